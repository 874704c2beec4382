// The http module's settings ([sources.http]): plain structs, so a stage can take them without
// seeing the rest of the configuration.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace meteo {

struct RetryPolicy {
  int attempts = 4;  // total tries, the first included
  std::chrono::milliseconds initial_backoff{1000};
  std::chrono::milliseconds max_backoff{30000};
};

struct HttpSettings {
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds total_timeout{60000};
  std::size_t max_body_bytes = std::size_t{512} << 20;  // decoded bytes, enforced as they arrive
  // A transfer averaging under low_speed_bytes_per_second for low_speed_window is abandoned (and
  // retried) without waiting for total_timeout; a zero in either disables the guard.
  long low_speed_bytes_per_second = 100;
  std::chrono::seconds low_speed_window{30};
  std::string ca_file;  // empty: the system's trust store
  RetryPolicy retry;
};

}  // namespace meteo
