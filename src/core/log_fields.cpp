#include "meteo/core/log_fields.hpp"

#include <spdlog/sinks/sink.h>

namespace meteo {

LogFields& LogFields::add(std::string key, std::string value) {
  return add_value(std::move(key), std::move(value));
}

LogFields& LogFields::add(std::string key, bool value) {
  return add_value(std::move(key), value);
}

LogFields& LogFields::add(std::string key, double value) {
  return add_value(std::move(key), value);
}

LogFields& LogFields::add(const LogFields& more) {
  fields_.insert(fields_.end(), more.fields_.begin(), more.fields_.end());
  return *this;
}

LogFields& LogFields::add_value(std::string key, Value value) {
  fields_.emplace_back(std::move(key), std::move(value));
  return *this;
}

void log_fields(spdlog::logger& log, spdlog::level::level_enum level, const LogFields& fields,
                std::string_view message) {
  if (!log.should_log(level)) return;
  FieldSink* sink =
      log.sinks().size() == 1 ? dynamic_cast<FieldSink*>(log.sinks().front().get()) : nullptr;
  if (sink != nullptr) {
    sink->write(level, message, fields);
  } else {
    log.log(level, "{}", message);
  }
}

}  // namespace meteo
