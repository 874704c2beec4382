// An "arcgis-air-quality" source: one or more ArcGIS layers of hourly air-quality measurements
// (ATMO Occitanie's by default), read window by window from a watermark.
#include <cmath>
#include <string>
#include <vector>

#include "meteo/core/errors.hpp"
#include "meteo/core/time.hpp"
#include "sections.hpp"

namespace meteo::config_detail {
namespace {

bool is_service_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.';
}

bool all_of(std::string_view text, bool (*accepted)(char)) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!accepted(c)) return false;
  }
  return true;
}

// ".../rest/services/<service>/FeatureServer/<id>" (or MapServer) -> "<service>/<id>": the layer's
// key in the database and in messages, so both parts are checked as names.
std::string layer_key(const ConfigReader& reader, const std::string& key, std::string url) {
  if (!is_http_url(url))
    reader.fail(key, "must be an http:// or https:// URL (got \"" + url + "\")");
  if (url.find_first_of("?#") != std::string::npos) {
    reader.fail(key, "must be a layer URL without a query (got \"" + url + "\")");
  }
  while (!url.empty() && url.back() == '/') url.pop_back();
  const auto id_at = url.rfind('/');
  const auto server_at = url.rfind('/', id_at - 1);
  const auto service_at = server_at == 0 ? std::string::npos : url.rfind('/', server_at - 1);
  const std::string id = url.substr(id_at + 1);
  const std::string server = url.substr(server_at + 1, id_at - server_at - 1);
  const std::string service = service_at == std::string::npos
                                  ? std::string()
                                  : url.substr(service_at + 1, server_at - service_at - 1);
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (!all_of(id, digit) || (server != "FeatureServer" && server != "MapServer") ||
      !all_of(service, is_service_char) || id.size() > 9 || service.size() > 200) {
    reader.fail(key, "must be a layer URL ending in /<service>/FeatureServer/<layer id> (got \"" +
                         url + "\")");
  }
  return service + "/" + id;
}

std::vector<AirQualityLayer> read_layers(const ConfigReader& reader, const toml::table& t,
                                         const std::string& where) {
  const std::string key = where + ".url";
  std::vector<std::string> urls;
  const toml::node* node = t.get("url");
  if (node == nullptr) reader.fail(key, "is required");
  if (node->is_string()) {
    urls.push_back(node->as_string()->get());
  } else {
    urls = reader.read_string_array(t, where, "url");
    if (urls.empty()) reader.fail(key, "name at least one layer");
  }
  std::vector<AirQualityLayer> layers;
  for (auto& url : urls) {
    AirQualityLayer layer{url, layer_key(reader, key, url)};
    while (!layer.url.empty() && layer.url.back() == '/') layer.url.pop_back();
    for (const auto& other : layers) {
      if (other.key == layer.key) reader.fail(key, "layer " + layer.key + " is named twice");
    }
    layers.push_back(std::move(layer));
  }
  return layers;
}

// TOML writes -5 and -5.0 differently; both are a number here.
void read_number(const ConfigReader& reader, const toml::table& t, const std::string& where,
                 std::string_view key, double& out) {
  const toml::node* node = t.get(key);
  if (node == nullptr) return;
  if (const auto* real = node->as_floating_point()) {
    out = real->get();
  } else if (const auto* integer = node->as_integer()) {
    out = static_cast<double>(integer->get());
  } else {
    reader.fail(ConfigReader::join(where, key), "must be a number");
  }
  if (!std::isfinite(out)) reader.fail(ConfigReader::join(where, key), "must be a finite number");
}

AirQualityFields read_fields(const ConfigReader& reader, const toml::table* t,
                             const std::string& where) {
  AirQualityFields fields;
  if (t == nullptr) return fields;
  struct Named {
    std::string_view key;
    std::string AirQualityFields::*member;
  };
  static constexpr Named kFields[] = {
      {"station_code", &AirQualityFields::station_code},
      {"station_name", &AirQualityFields::station_name},
      {"commune", &AirQualityFields::commune},
      {"insee", &AirQualityFields::insee},
      {"department", &AirQualityFields::department},
      {"typology", &AirQualityFields::typology},
      {"influence", &AirQualityFields::influence},
      {"pollutant", &AirQualityFields::pollutant},
      {"pollutant_id", &AirQualityFields::pollutant_id},
      {"value", &AirQualityFields::value},
      {"unit", &AirQualityFields::unit},
      {"metric", &AirQualityFields::metric},
      {"start", &AirQualityFields::start},
      {"end", &AirQualityFields::end},
      {"validation", &AirQualityFields::validation},
      {"object_id", &AirQualityFields::object_id},
      {"longitude", &AirQualityFields::longitude},
      {"latitude", &AirQualityFields::latitude},
  };
  std::vector<std::string_view> known;
  for (const auto& field : kFields) known.push_back(field.key);
  reader.expect_only(*t, where, known);
  for (const auto& field : kFields) {
    std::string& value = fields.*field.member;
    reader.read_string(*t, where, field.key, value);
    // A field name goes into the where clause and the query's ordering: a plain identifier.
    if (!all_of(value, is_service_char)) {
      reader.fail(ConfigReader::join(where, field.key),
                  "must be a field name of letters, digits and _ (got \"" + value + "\")");
    }
  }
  return fields;
}

void read_windows(const ConfigReader& reader, const toml::table& t, const std::string& where,
                  AirQualityConfig& aq) {
  std::string start;
  reader.read_string(t, where, "start", start);
  if (!start.empty()) {
    try {
      aq.start = parse_hour(start);
    } catch (const Error& error) {
      reader.fail(where + ".start", error.what());
    }
  }
  reader.read_hours(t, where, "lookback_hours", aq.lookback, 0, 24 * 31);
  reader.read_hours(t, where, "max_catch_up_hours", aq.max_catch_up, 1, 24 * 366);
  reader.read_hours(t, where, "backfill_window_hours", aq.backfill_window, 1, 24 * 366);
}

void read_rules(const ConfigReader& reader, const toml::table& t, const std::string& where,
                AirQualityRules& rules) {
  read_number(reader, t, where, "negative_floor", rules.negative_floor);
  if (rules.negative_floor > 0) {
    reader.fail(where + ".negative_floor", "must be 0 or below (values under it are rejected)");
  }
  if (t.contains("accepted_units")) {
    rules.accepted_units = reader.read_string_array(t, where, "accepted_units");
    if (rules.accepted_units.empty()) reader.fail(where + ".accepted_units", "name at least one");
  }
}

}  // namespace

void read_air_quality(const ConfigReader& reader, const toml::table& t, const std::string& where,
                      SourceConfig& source) {
  expect_source_keys(
      reader, t, where,
      {"url", "where", "start", "lookback_hours", "max_catch_up_hours", "backfill_window_hours",
       "negative_floor", "accepted_units", "weather_source", "max_pair_distance_km", "fields"});
  AirQualityConfig aq;
  aq.layers = read_layers(reader, t, where);
  reader.read_string(t, where, "where", aq.where);
  if (aq.where.find_first_not_of(" \t") == std::string::npos) {
    reader.fail(where + ".where", "must not be empty (\"1=1\" reads the whole layer)");
  }
  read_windows(reader, t, where, aq);
  read_rules(reader, t, where, aq.rules);
  // Checked against the other sources once all are read (config.cpp).
  reader.read_string(t, where, "weather_source", aq.weather_source);
  read_number(reader, t, where, "max_pair_distance_km", aq.max_pair_distance_km);
  if (aq.max_pair_distance_km < 0) {
    reader.fail(where + ".max_pair_distance_km", "must be 0 or more");
  }
  aq.fields = read_fields(reader, reader.subtable(t, where, "fields"), where + ".fields");
  source.air_quality = std::move(aq);
}

}  // namespace meteo::config_detail
