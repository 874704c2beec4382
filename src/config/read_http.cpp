// A source's [sources.http]: timeouts, the body limit, retries, the CA file and the stall guard.
#include "sections.hpp"

namespace meteo::config_detail {
namespace {

void read_limits(const ConfigReader& reader, const toml::table& t, const std::string& where,
                 HttpSettings& http) {
  long long connect = http.connect_timeout.count(), total = http.total_timeout.count();
  long long body_mb = static_cast<long long>(http.max_body_bytes >> 20);
  reader.read_integer(t, where, "connect_timeout_ms", connect, 1, 600'000);
  reader.read_integer(t, where, "timeout_ms", total, 1, 3'600'000);
  reader.read_integer(t, where, "max_body_mb", body_mb, 1, 1 << 20);
  http.connect_timeout = std::chrono::milliseconds(connect);
  http.total_timeout = std::chrono::milliseconds(total);
  http.max_body_bytes = static_cast<std::size_t>(body_mb) << 20;
}

void read_retry(const ConfigReader& reader, const toml::table& t, const std::string& where,
                RetryPolicy& retry) {
  long long initial = retry.initial_backoff.count(), max = retry.max_backoff.count();
  reader.read_integer(t, where, "retry_attempts", retry.attempts, 1, 20);
  reader.read_integer(t, where, "retry_initial_backoff_ms", initial, 0, 600'000);
  reader.read_integer(t, where, "retry_max_backoff_ms", max, 0, 3'600'000);
  retry.initial_backoff = std::chrono::milliseconds(initial);
  retry.max_backoff = std::chrono::milliseconds(max);
}

void read_low_speed_guard(const ConfigReader& reader, const toml::table& t,
                          const std::string& where, HttpSettings& http) {
  long long low_speed_seconds = http.low_speed_window.count();
  reader.read_integer(t, where, "low_speed_bytes_per_second", http.low_speed_bytes_per_second, 0,
                      1L << 30);
  reader.read_integer(t, where, "low_speed_seconds", low_speed_seconds, 0, 3600);
  http.low_speed_window = std::chrono::seconds(low_speed_seconds);
}

}  // namespace

HttpSettings read_http(const ConfigReader& reader, const toml::table* t, const std::string& where) {
  HttpSettings http;
  if (!t) return http;
  reader.expect_only(*t, where,
                     {"connect_timeout_ms", "timeout_ms", "max_body_mb", "ca_file",
                      "retry_attempts", "retry_initial_backoff_ms", "retry_max_backoff_ms",
                      "low_speed_bytes_per_second", "low_speed_seconds"});
  // Read in this order, so a file with several mistakes is told about the same one first.
  read_limits(reader, *t, where, http);
  read_retry(reader, *t, where, http.retry);
  reader.read_string(*t, where, "ca_file", http.ca_file);
  if (!http.ca_file.empty()) http.ca_file = reader.resolve(http.ca_file).string();
  read_low_speed_guard(reader, *t, where, http);
  return http;
}

}  // namespace meteo::config_detail
