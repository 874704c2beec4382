// [sources.daily] of an opendatasoft-stations source: the time zone of its stations' local days
// and the heavy-rain threshold of station_daily_weather.
#include <date/tz.h>

#include <stdexcept>

#include "sections.hpp"

namespace meteo::config_detail {

namespace {

// The zone must be one the system's tzdata knows: the load reads it there.
void require_known_zone(const ConfigReader& reader, const std::string& key,
                        const std::string& zone) {
  try {
    date::locate_zone(zone);
  } catch (const std::runtime_error&) {
    reader.fail(key, "unknown time zone \"" + zone +
                         "\" (an IANA name of the system's tzdata: \"Europe/Paris\", \"UTC\")");
  }
}

}  // namespace

void read_station_daily(const ConfigReader& reader, const toml::table& t, const std::string& where,
                        Config& config) {
  const SourceConfig& source = config.sources.back();
  const std::string key = where + ".daily";
  const toml::table* daily_table = reader.subtable(t, where, "daily");
  if (!source.stations) {
    if (daily_table) reader.fail(key, "only an opendatasoft-stations source has daily aggregates");
    return;
  }
  aggregate::DailySettings daily;
  if (daily_table) {
    reader.expect_only(*daily_table, key, {"time_zone", "heavy_rain_mm"});
    reader.read_string(*daily_table, key, "time_zone", daily.time_zone);
    reader.read_number(*daily_table, key, "heavy_rain_mm", daily.heavy_rain_mm, 0.1, 1000);
  }
  require_known_zone(reader, key + ".time_zone", daily.time_zone);
  config.station_daily[source.name] = daily;
}

}  // namespace meteo::config_detail
