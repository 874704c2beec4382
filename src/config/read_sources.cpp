// [[sources]]: the keys every source has, and the table of source types, each read by its own
// read_<type>.cpp. A new source type is one such file and one row of kSourceTypes.
#include <algorithm>
#include <chrono>
#include <iterator>
#include <vector>

#include "sections.hpp"

namespace meteo::config_detail {
namespace {

struct SourceType {
  std::string_view name;  // the `type` value in the file
  SourceTypeReader read;
  int poll_seconds;  // watch's default cadence: how often the source has something new
};

// In the order the "(known: ...)" message lists them.
constexpr SourceType kSourceTypes[] = {
    {"sensor-api", read_sensor_feed, 60},
    {"opendatasoft-stations", read_station_network, 300},
    {"arcgis-air-quality", read_air_quality, 3600},
};

// The keys of every source, whatever its type; a type names its own in expect_source_keys.
// `daily` is read by read_daily.cpp, which refuses it on a source that is not a station network.
constexpr std::string_view kCommonSourceKeys[] = {"name",        "display_name", "type",
                                                  "api_key_env", "api_key_file", "region_sets",
                                                  "http",        "poll_seconds", "daily"};

const SourceType* find_source_type(std::string_view name) {
  for (const auto& type : kSourceTypes) {
    if (type.name == name) return &type;
  }
  return nullptr;
}

// "sensor-api, opendatasoft-stations"
std::string known_source_types() {
  std::string names;
  for (const auto& type : kSourceTypes) {
    names += (names.empty() ? "" : ", ") + std::string(type.name);
  }
  return names;
}

void read_common_keys(const ConfigReader& reader, const toml::table& t, const std::string& where,
                      SourceConfig& source) {
  source.api_key = reader.read_secret(t, where, "api_key");
  source.region_sets = reader.read_string_array(t, where, "region_sets");
  if (source.region_sets.empty()) reader.fail(where + ".region_sets", "name at least one set");
  // Only sensor-api accepts it; read here, after the secret and the sets, so that of several
  // mistakes in a file the same one is reported first whatever the type.
  if (t.contains("home_country_labels")) {
    source.home_country_labels = reader.read_string_array(t, where, "home_country_labels");
  }
  source.http = read_http(reader, reader.subtable(t, where, "http"), where + ".http");
}

// What pages call the source; shown as text, so any words, but one line of a sensible length.
std::string read_display_name(const ConfigReader& reader, const toml::table& t,
                              const std::string& where, const std::string& name) {
  if (!t.contains("display_name")) return name;
  const std::string display = reader.required_string(t, where, "display_name");
  const bool blank = display.find_first_not_of(" \t") == std::string::npos;
  const bool control = std::any_of(display.begin(), display.end(),
                                   [](char c) { return static_cast<unsigned char>(c) < 0x20; });
  if (blank || control || display.size() > 120) {
    reader.fail(where + ".display_name", "use 1 to 120 characters on one line");
  }
  return display;
}

// Fractions are allowed (tests run watch at a few milliseconds); zero would be a busy loop.
void read_poll_interval(const ConfigReader& reader, const toml::table& t, const std::string& where,
                        int default_seconds, SourceConfig& source) {
  double seconds = default_seconds;
  reader.read_number(t, where, "poll_seconds", seconds, -1e18, 7 * 24 * 3600);
  if (!(seconds >= 0.001)) {
    reader.fail(where + ".poll_seconds",
                "source \"" + source.name + "\": must be more than 0 (at least 0.001)");
  }
  source.poll_interval = std::chrono::milliseconds(static_cast<long long>(seconds * 1000 + 0.5));
}

}  // namespace

void expect_source_keys(const ConfigReader& reader, const toml::table& t, const std::string& where,
                        std::initializer_list<std::string_view> type_keys) {
  std::vector<std::string_view> known(std::begin(kCommonSourceKeys), std::end(kCommonSourceKeys));
  known.insert(known.end(), type_keys);
  reader.expect_only(t, where, known);
}

SourceConfig read_source(const ConfigReader& reader, const toml::table& t,
                         const std::string& where) {
  SourceConfig source;
  source.name = reader.required_string(t, where, "name");
  // The name becomes a directory of the raw archive and a label of the metrics.
  reader.require_plain_name(where + ".name", source.name);
  source.display_name = read_display_name(reader, t, where, source.name);
  source.type = reader.required_string(t, where, "type");
  const SourceType* type = find_source_type(source.type);
  if (!type) {
    reader.fail(where + ".type", "unknown source type \"" + source.type +
                                     "\" (known: " + known_source_types() + ")");
  }
  type->read(reader, t, where, source);
  read_common_keys(reader, t, where, source);
  read_poll_interval(reader, t, where, type->poll_seconds, source);
  return source;
}

}  // namespace meteo::config_detail
