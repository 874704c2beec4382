// A value that must never reach argv, logs or the database.
#pragma once

#include <string>

namespace meteo {

// Deliberately has no stream operator and no formatter: the only way out is reveal(), which makes
// every use greppable.
class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  const std::string& reveal() const noexcept { return value_; }
  bool empty() const noexcept { return value_.empty(); }

 private:
  std::string value_;
};

}  // namespace meteo
