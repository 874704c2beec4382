// [watch]: how `meteo-etl watch` backs off a failing source (its cadence is each source's
// poll_seconds, read with the source).
#include "sections.hpp"

namespace meteo::config_detail {

WatchConfig read_watch(const ConfigReader& reader, const toml::table* t) {
  WatchConfig watch;
  if (!t) return watch;
  reader.expect_only(*t, "watch", {"backoff_max_seconds"});
  long long seconds = std::chrono::duration_cast<std::chrono::seconds>(watch.backoff_max).count();
  reader.read_integer(*t, "watch", "backoff_max_seconds", seconds, 1, 7 * 24 * 3600);
  watch.backoff_max = std::chrono::seconds(seconds);
  return watch;
}

}  // namespace meteo::config_detail
