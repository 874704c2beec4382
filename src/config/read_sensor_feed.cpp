// A "sensor-api" source: one JSON feed of sensor readings at one URL.
#include "sections.hpp"

namespace meteo::config_detail {

void read_sensor_feed(const ConfigReader& reader, const toml::table& t, const std::string& where,
                      SourceConfig& source) {
  expect_source_keys(reader, t, where, {"url", "home_country_labels"});
  source.url = reader.required_string(t, where, "url");
  if (!is_http_url(source.url)) reader.fail(where + ".url", "must be an http:// or https:// URL");
}

}  // namespace meteo::config_detail
