// An "opendatasoft-stations" source: a network of weather stations published as Opendatasoft
// datasets, one per station (Toulouse) or many per dataset told apart by a field (Météo-France
// SYNOP), read window by window from a start hour.
#include <initializer_list>
#include <string>

#include "meteo/core/errors.hpp"
#include "meteo/core/names.hpp"
#include "meteo/core/time.hpp"
#include "sections.hpp"

namespace meteo::config_detail {
namespace {

void require_unit(const ConfigReader& reader, const std::string& key, const std::string& unit,
                  std::initializer_list<const char*> known) {
  std::string listed;
  for (const char* candidate : known) {
    if (unit == candidate) return;
    listed += (listed.empty() ? "" : " or ") + std::string(candidate);
  }
  reader.fail(key, "must be " + listed + " (got \"" + unit + "\")");
}

ObservationFields read_observation_fields(const ConfigReader& reader, const toml::table* t,
                                          const std::string& where, ObservationFields fields) {
  if (!t) return fields;
  reader.expect_only(*t, where,
                     {"time", "temperature", "temperature_unit", "humidity", "pressure",
                      "pressure_unit", "rain", "rain_intensity_max", "wind_speed",
                      "wind_speed_unit", "gust", "gust_unit", "wind_direction"});
  reader.read_string(*t, where, "time", fields.time);
  reader.read_string(*t, where, "temperature", fields.temperature);
  reader.read_string(*t, where, "temperature_unit", fields.temperature_unit);
  reader.read_string(*t, where, "humidity", fields.humidity);
  reader.read_string(*t, where, "pressure", fields.pressure);
  reader.read_string(*t, where, "pressure_unit", fields.pressure_unit);
  reader.read_string(*t, where, "rain", fields.rain);
  reader.read_string(*t, where, "rain_intensity_max", fields.rain_intensity_max);
  reader.read_string(*t, where, "wind_speed", fields.wind_speed);
  reader.read_string(*t, where, "wind_speed_unit", fields.wind_speed_unit);
  reader.read_string(*t, where, "gust", fields.gust);
  reader.read_string(*t, where, "gust_unit", fields.gust_unit);
  reader.read_string(*t, where, "wind_direction", fields.wind_direction);
  require_unit(reader, where + ".temperature_unit", fields.temperature_unit, {"degC", "K"});
  require_unit(reader, where + ".pressure_unit", fields.pressure_unit, {"Pa", "hPa"});
  require_unit(reader, where + ".wind_speed_unit", fields.wind_speed_unit, {"km/h", "m/s"});
  require_unit(reader, where + ".gust_unit", fields.gust_unit, {"km/h", "m/s"});
  if (fields.time.empty()) reader.fail(where + ".time", "must not be empty");
  return fields;
}

StationListFields read_station_fields(const ConfigReader& reader, const toml::table* t,
                                      const std::string& where, StationListFields fields,
                                      bool many_per_dataset) {
  if (!t) return fields;
  // In a dataset of many stations the station field names the station, not `dataset`.
  if (many_per_dataset) {
    reader.expect_only(*t, where,
                       {"number", "latitude", "longitude", "altitude", "type", "commune", "name"});
  } else {
    reader.expect_only(
        *t, where,
        {"dataset", "number", "latitude", "longitude", "altitude", "type", "commune", "name"});
  }
  reader.read_string(*t, where, "dataset", fields.dataset);
  reader.read_string(*t, where, "number", fields.number);
  reader.read_string(*t, where, "latitude", fields.latitude);
  reader.read_string(*t, where, "longitude", fields.longitude);
  reader.read_string(*t, where, "altitude", fields.altitude);
  reader.read_string(*t, where, "type", fields.type);
  reader.read_string(*t, where, "commune", fields.commune);
  reader.read_string(*t, where, "name", fields.name);
  return fields;
}

void read_base_url(const ConfigReader& reader, const toml::table& t, const std::string& where,
                   StationNetworkConfig& network) {
  network.base_url = reader.required_string(t, where, "base_url");
  if (!is_http_url(network.base_url)) reader.fail(where + ".base_url", "must be an http(s) URL");
  while (!network.base_url.empty() && network.base_url.back() == '/') network.base_url.pop_back();
}

// Dataset ids go into the portal's URL paths and the database's keys.
void require_dataset_id(const ConfigReader& reader, const std::string& key, const std::string& id) {
  if (!is_plain_name(id, kMaxDatasetIdLength)) {
    reader.fail(key, std::string(kPlainDatasetIdRule) + " (got \"" + id + "\")");
  }
}

// A field name, as a record's key: its text is stored as the station key.
void read_station_field(const ConfigReader& reader, const toml::table& t, const std::string& where,
                        StationNetworkConfig& network) {
  reader.read_string(t, where, "station_field", network.station_field);
  if (t.contains("station_field") && network.station_field.empty()) {
    reader.fail(where + ".station_field", "must not be empty");
  }
  if (!network.station_field.empty() && t.contains("stations_dataset")) {
    reader.fail(where + ".stations_dataset",
                "a dataset of many stations (station_field) has no stations dataset: its records "
                "name their stations");
  }
}

void read_datasets(const ConfigReader& reader, const toml::table& t, const std::string& where,
                   StationNetworkConfig& network) {
  reader.read_string(t, where, "stations_dataset", network.stations_dataset);
  network.datasets = reader.read_string_array(t, where, "datasets");
  for (const auto& id : network.datasets) require_dataset_id(reader, where + ".datasets", id);
  require_dataset_id(reader, where + ".stations_dataset", network.stations_dataset);
  reader.read_string(t, where, "dataset_pattern", network.dataset_pattern);
  if (network.datasets.empty() == network.dataset_pattern.empty()) {
    reader.fail(where,
                "name the station datasets with either datasets = [...] or "
                "dataset_pattern = \"...\" (exactly one)");
  }
}

void read_windows(const ConfigReader& reader, const toml::table& t, const std::string& where,
                  StationNetworkConfig& network) {
  const std::string start = reader.required_string(t, where, "start");
  try {
    network.start = parse_hour(start);
  } catch (const Error& error) {
    reader.fail(where + ".start", error.what());
  }
  reader.read_hours(t, where, "lookback_hours", network.lookback, 0, 24 * 31);
  reader.read_hours(t, where, "max_catch_up_hours", network.max_catch_up, 1, 24 * 366);
  reader.read_hours(t, where, "export_window_hours", network.export_window, 1, 24 * 366);
  // 100 pages of 100 reach the portal's offset ceiling: past it a window is exported anyway.
  reader.read_integer(t, where, "export_threshold_pages", network.export_threshold_pages, 1, 100);
}

}  // namespace

void read_station_network(const ConfigReader& reader, const toml::table& t,
                          const std::string& where, SourceConfig& source) {
  expect_source_keys(reader, t, where,
                     {"base_url", "station_field", "stations_dataset", "datasets",
                      "dataset_pattern", "start", "lookback_hours", "max_catch_up_hours",
                      "export_window_hours", "export_threshold_pages", "fields", "station_fields"});
  StationNetworkConfig network;
  read_base_url(reader, t, where, network);
  read_station_field(reader, t, where, network);
  read_datasets(reader, t, where, network);
  read_windows(reader, t, where, network);
  const bool many_per_dataset = !network.station_field.empty();
  network.fields =
      read_observation_fields(reader, reader.subtable(t, where, "fields"), where + ".fields",
                              many_per_dataset ? synop_observation_fields() : ObservationFields{});
  network.station_fields = read_station_fields(
      reader, reader.subtable(t, where, "station_fields"), where + ".station_fields",
      many_per_dataset ? synop_station_fields(network.station_field) : StationListFields{},
      many_per_dataset);
  source.stations = std::move(network);
}

}  // namespace meteo::config_detail
