#include "meteo/dashboard/dashboard_writer.hpp"

#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "air_quality_files.hpp"
#include "alert_forecast_files.hpp"
#include "daily_files.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/core/file_modes.hpp"
#include "meteo/core/names.hpp"
#include "meteo/dashboard/station_names.hpp"
#include "meteo/geo/regions.hpp"
#include "meteo/store/air_quality_read.hpp"
#include "meteo/store/dashboard_reads.hpp"
#include "meteo/store/normalised_read.hpp"
#include "meteo/store/region_sets.hpp"
#include "meteo/store/stations.hpp"
#include "normalised_files.hpp"

namespace meteo::dashboard {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int kFormatVersion = 1;
constexpr std::chrono::hours kSeriesSpan{24 * 7};

json optional_json(const std::optional<double>& value) {
  return value ? json(*value) : json(nullptr);
}

json optional_time(const std::optional<UtcSeconds>& moment) {
  return moment ? json(to_iso8601(*moment)) : json(nullptr);
}

// The first hour of the 7 days that end with `latest` (both included).
UtcSeconds series_start(UtcSeconds latest) {
  return latest - kSeriesSpan + std::chrono::hours(1);
}

// ---- writing files ----------------------------------------------------------------------------

[[noreturn]] void fail_io(const std::string& what, const fs::path& path) {
  throw Error(ExitCode::temporary,
              "dashboard: " + what + " " + path.string() + ": " + std::strerror(errno));
}

// Writes to `path`.tmp-<pid>, then rename(2): readers see the old file or the whole new one.
// The site is published: readable by all, writable by the tool only, whatever the umask.
void write_atomically(const fs::path& path, std::string_view content) {
  try {
    create_directories_with_mode(path.parent_path(), kPublishedDirectoryMode);
  } catch (const fs::filesystem_error& error) {
    errno = error.code().value();
    fail_io("cannot create the directory", error.path1());
  }
  const fs::path temporary = path.string() + ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) fail_io("cannot create", temporary);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out) fail_io("cannot write", temporary);
  }
  if (::chmod(temporary.c_str(), static_cast<mode_t>(kPublishedFileMode)) != 0) {
    fail_io("cannot set the mode of", temporary);
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const int saved = errno;
    std::remove(temporary.c_str());
    errno = saved;
    fail_io("cannot rename into", path);
  }
}

// Shown when the binary was built before web/dist existed: the data files are still usable.
constexpr std::string_view kPlaceholderPage =
    "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>meteo-etl</title></head>\n"
    "<body><p>This meteo-etl was built without its web page (web/dist): the data files are in "
    "<a href=\"data/meta.json\">data/</a>.</p></body></html>\n";

std::size_t write_page(const fs::path& out) {
  const auto& assets = dashboard_assets();
  if (assets.empty()) {
    write_atomically(out / "index.html", kPlaceholderPage);
    return 1;
  }
  for (const EmbeddedFile& file : assets) write_atomically(out / file.path, file.bytes);
  return assets.size();
}

// ---- data/hourly-<set>.json -------------------------------------------------------------------

json region_hour_json(const RegionHourRow& row) {
  return {{"hour", to_iso8601(row.hour)},
          {"temperature", row.temperature},
          {"numberOfPoints", row.number_of_points},
          {"temperature_3h_before", optional_json(row.temperature_3h_before)}};
}

json hourly_json(const RegionSet& set, const std::optional<UtcSeconds>& latest,
                 const std::vector<RegionHourRow>& rows) {
  std::map<std::string, std::vector<const RegionHourRow*>> rows_by_code;
  for (const auto& row : rows) rows_by_code[row.region_code].push_back(&row);
  json regions = json::array();
  for (const Region& region : set.regions) {
    json latest_row = nullptr;
    json series = json::array();
    for (const RegionHourRow* row : rows_by_code[region.code]) {  // ascending hours
      series.push_back(region_hour_json(*row));
      if (row->hour == latest) latest_row = region_hour_json(*row);
    }
    regions.push_back(
        {{"code", region.code}, {"name", region.name}, {"latest", latest_row}, {"series", series}});
  }
  return {{"region_set", set.name}, {"latest_hour", optional_time(latest)}, {"regions", regions}};
}

json hourly_of_set(Database& db, const RegionSet& set) {
  const std::optional<UtcSeconds> latest = newest_region_hour(db, set.name);
  const std::vector<RegionHourRow> rows =
      latest ? query_region_hours(db, set.name, series_start(*latest), *latest)
             : std::vector<RegionHourRow>{};
  return hourly_json(set, latest, rows);
}

// ---- data/stations.json -----------------------------------------------------------------------

json latest_observation_json(const WeatherObservation& observation) {
  return {{"observed_at", to_iso8601(observation.observed_at)},
          {"temperature_c", optional_json(observation.temperature_c)},
          {"humidity_pct", optional_json(observation.humidity_pct)},
          {"pressure_hpa", optional_json(observation.pressure_hpa)},
          {"wind_speed_kmh", optional_json(observation.wind_speed_kmh)},
          {"gust_kmh", optional_json(observation.gust_kmh)},
          {"rain_mm", optional_json(observation.rain_mm)}};
}

json station_hour_json(const StationHourlyRow& row) {
  return {{"hour", to_iso8601(row.hour)},
          {"temperature_mean", optional_json(row.temperature_mean)},
          {"temperature_min", optional_json(row.temperature_min)},
          {"temperature_max", optional_json(row.temperature_max)},
          {"humidity_mean", optional_json(row.humidity_mean)},
          {"rain_sum", optional_json(row.rain_sum)},
          {"wind_mean", optional_json(row.wind_mean)},
          {"gust_max", optional_json(row.gust_max)},
          {"observations", row.observations}};
}

// The station's forecast fields: none (empty, null) without forecasts or before schema 8.
json forecast_of(const std::map<std::string, json>& forecasts, const std::string& dataset_id,
                 const char* field) {
  const auto found = forecasts.find(dataset_id);
  if (found != forecasts.end()) return found->second[field];
  return std::string_view(field) == "forecast" ? json::array() : json(nullptr);
}

json stations_json(Database& db, const SourceScope& source, const std::string& region_set,
                   const std::map<std::string, json>& forecasts) {
  std::map<std::string, json> latest_by_dataset;
  for (const auto& observation : query_latest_observations(db, source.name)) {
    latest_by_dataset[observation.dataset_id] = latest_observation_json(observation);
  }
  std::map<std::string, json> hourly_by_dataset;
  if (const auto newest = newest_observation(db, source.name)) {
    const UtcSeconds last_hour = floor_to_hour(*newest);
    for (const auto& row :
         query_station_hours(db, source.name, series_start(last_hour), last_hour)) {
      hourly_by_dataset[row.dataset_id].push_back(station_hour_json(row));
    }
  }
  json stations = json::array();
  for (const auto& [station, region_code] : query_stations(db, source.name, region_set)) {
    const auto latest = latest_by_dataset.find(station.dataset_id);
    const auto hourly = hourly_by_dataset.find(station.dataset_id);
    stations.push_back(
        {{"dataset_id", station.dataset_id},
         {"name", station_display_name(station.dataset_id, station.commune, station.name)},
         {"number", station.number},
         {"commune", station.commune},
         {"region_code", region_code ? json(*region_code) : json(nullptr)},
         {"latitude", station.latitude},
         {"longitude", station.longitude},
         {"type", station.type},
         {"latest", latest == latest_by_dataset.end() ? json(nullptr) : latest->second},
         {"hourly", hourly == hourly_by_dataset.end() ? json::array() : hourly->second},
         {"forecast", forecast_of(forecasts, station.dataset_id, "forecast")},
         {"tomorrow_maximum", forecast_of(forecasts, station.dataset_id, "tomorrow_maximum")}});
  }
  return {{"source", source.name}, {"region_set", region_set}, {"stations", stations}};
}

// The network the page shows: the first station source, matched against its first region set.
const SourceScope* station_network(const DashboardInputs& inputs) {
  for (const auto& source : inputs.sources) {
    if (source.kind == SourceKind::station_network && !source.region_sets.empty()) return &source;
  }
  return nullptr;
}

// ---- data/meta.json ---------------------------------------------------------------------------

json source_json(Database& db, const SourceScope& source, UtcSeconds generated_at,
                 int stale_after_minutes) {
  const SourceHealth health = read_source_health(db, source.name);
  const bool stale = !health.last_success || generated_at - *health.last_success >
                                                 std::chrono::minutes(stale_after_minutes);
  return {{"name", source.name},
          {"display_name", source.display_name.empty() ? source.name : source.display_name},
          {"type", source_type_name(source.kind)},
          {"last_success", optional_time(health.last_success)},
          {"last_failure", optional_time(health.last_failure)},
          {"last_failure_message",
           health.last_failure ? json(health.last_failure_message) : json(nullptr)},
          {"stale", stale}};
}

// The configured sets whose regions are loaded; a set never loaded is skipped with a warning.
std::vector<RegionSet> loaded_region_sets(Database& db, const DashboardInputs& inputs,
                                          spdlog::logger& log) {
  std::vector<RegionSet> sets;
  for (const auto& set : inputs.region_sets) {
    try {
      sets.push_back(load_region_set(db, set.name));
    } catch (const Error& error) {
      if (error.code() != ExitCode::config) throw;
      log.warn("dashboard: region set {} left out: {}", set.name, error.what());
    }
  }
  return sets;
}

// data/air-quality.json and a file per station (the codes are checked plain names); what
// meta.json says of them, or null without air-quality data.
json write_air_quality(Database& db, const DashboardInputs& inputs, const fs::path& data,
                       spdlog::logger& log, DashboardReport& report) {
  std::vector<std::string> configured;
  for (const auto& source : inputs.sources) configured.push_back(source.name);
  const auto files = air_quality_files(db, configured, log);
  if (!files) return nullptr;
  for (const auto& [code, document] : files->stations) {
    write_atomically(file_inside(data / "air-quality", "", code, ".json"), document.dump());
    ++report.data_files;
  }
  write_atomically(data / "air-quality.json", files->list.dump());
  ++report.data_files;
  return {{"file", "air-quality.json"}, {"source", files->source}, {"label", kAirQualityLabel}};
}

// The "did it work?" panel of the air-quality source shown: a file per station with a normalised
// series, the traffic increment; what meta.json says of them, or null when there is neither.
json write_air_quality_impact(Database& db, const DashboardInputs& inputs,
                              const std::string& source, const fs::path& data, spdlog::logger& log,
                              DashboardReport& report) {
  const auto normalised = normalised_files(db, source, inputs.interventions, log);
  const auto increment = increment_json(source, query_traffic_increment(db, source));
  if (!normalised && !increment) return nullptr;
  if (normalised) {
    for (const auto& [code, document] : normalised->stations) {
      write_atomically(file_inside(data / "air-quality" / "normalised", "", code, ".json"),
                       document.dump());
      ++report.data_files;
    }
  }
  // Beside air-quality.json, not in air-quality/: no station code can collide with it.
  if (increment) {
    write_atomically(data / "air-quality-increment.json", increment->dump());
    ++report.data_files;
  }
  return {{"source", source},
          {"stations", normalised ? normalised->list : json::array()},
          {"increment", increment ? json("air-quality-increment.json") : json(nullptr)}};
}

// ---- data/alerts.json -------------------------------------------------------------------------

// Where each alert scope is, as the page names it: a weather station by its name and commune,
// an air-quality station by its name.
std::map<std::string, std::string> alert_places(Database& db, const SourceScope* network) {
  std::map<std::string, std::string> places;
  if (network) {
    for (const auto& [station, region_code] :
         query_stations(db, network->name, network->region_sets.front())) {
      // As the page names a station: "Meteopole (Toulouse)".
      places["station:" + station.dataset_id] =
          station_label(station.dataset_id, station.commune, station.name);
    }
  }
  for (const auto& source : air_quality_sources(db)) {
    for (const auto& station : query_air_quality_stations(db, source)) {
      places["air_quality_station:" + station.code] = station.name;
    }
  }
  return places;
}

// The first hour the station chart shows (the 7 days up to the network's newest observation),
// else the 7 days up to now: alerts ending before it are not written.
UtcSeconds alert_span_start(Database& db, const SourceScope* network, UtcSeconds generated_at) {
  if (network) {
    if (const auto newest = newest_observation(db, network->name)) {
      return series_start(floor_to_hour(*newest));
    }
  }
  return series_start(floor_to_hour(generated_at));
}

// data/alerts.json; returns what meta.json says of it, its name (the caller says null before
// schema 8, which has no alerts table).
json write_alerts(Database& db, const SourceScope* network, const fs::path& data,
                  UtcSeconds generated_at, DashboardReport& report) {
  const json alerts =
      alerts_json(db, alert_span_start(db, network, generated_at), alert_places(db, network));
  write_atomically(data / "alerts.json", alerts.dump());
  ++report.data_files;
  return "alerts.json";
}

// ---- data/daily-<source>.json -----------------------------------------------------------------

// A file per configured source with local days (schema 9 on); what meta.json says of them.
json write_daily(Database& db, const DashboardInputs& inputs, const fs::path& data,
                 DashboardReport& report) {
  json files = json::array();
  if (!has_daily_weather(db)) return files;
  for (const auto& source : inputs.sources) {
    const auto document = daily_json(db, source.name);
    if (!document) continue;
    // Built from the checked name, so no source name can write outside the site.
    write_atomically(file_inside(data, "daily-", source.name, ".json"), document->dump());
    ++report.data_files;
    files.push_back(
        {{"source", source.name},
         {"display_name", source.display_name.empty() ? source.name : source.display_name},
         {"file", "daily-" + source.name + ".json"},
         {"newest_day", (*document)["newest_day"]}});
  }
  return files;
}

}  // namespace

DashboardSettings dashboard_settings(const DashboardInputs& inputs,
                                     const std::string& out_override) {
  const DashboardConfig& dashboard = inputs.dashboard;
  DashboardSettings settings{.out = dashboard.out,
                             .language = dashboard.language,
                             .stale_after_minutes = dashboard.stale_after_minutes,
                             .simplify_tolerance = dashboard.simplify_tolerance};
  if (!out_override.empty()) settings.out = out_override;
  if (settings.out.empty()) {
    throw Error(ExitCode::usage,
                "dashboard: no output directory: pass --out DIR or set "
                "[dashboard] out in the configuration");
  }
  return settings;
}

DashboardReport write_dashboard(Database& db, const DashboardInputs& inputs,
                                const DashboardSettings& settings, UtcSeconds generated_at,
                                spdlog::logger& log) {
  const fs::path data = settings.out / "data";
  DashboardReport report;
  report.page_files = write_page(settings.out);

  json region_sets = json::array();
  for (const RegionSet& set : loaded_region_sets(db, inputs, log)) {
    const std::string shapes = "shapes-" + set.name + ".geojson";
    const std::string hourly = "hourly-" + set.name + ".json";
    // Built from the checked name, so no set name can write outside the site.
    write_atomically(file_inside(data, "shapes-", set.name, ".geojson"),
                     simplified_feature_collection(set.regions, settings.simplify_tolerance));
    write_atomically(file_inside(data, "hourly-", set.name, ".json"),
                     hourly_of_set(db, set).dump());
    report.data_files += 2;
    region_sets.push_back({{"name", set.name}, {"shapes", shapes}, {"hourly", hourly}});
  }

  // Alerts and forecasts exist from schema 8 on: an older database gives a dashboard without.
  const bool alerts_and_forecasts = has_alerts_and_forecasts(db);
  const SourceScope* network = station_network(inputs);
  json stations = nullptr, station_region_set = nullptr;
  if (network) {
    const std::string& set = network->region_sets.front();
    const auto forecasts =
        alerts_and_forecasts ? station_forecasts(db, network->name) : std::map<std::string, json>{};
    write_atomically(data / "stations.json", stations_json(db, *network, set, forecasts).dump());
    ++report.data_files;
    stations = "stations.json";
    station_region_set = set;
  }

  const json air_quality = write_air_quality(db, inputs, data, log, report);
  const json air_quality_impact =
      air_quality.is_null()
          ? json(nullptr)
          : write_air_quality_impact(db, inputs, air_quality["source"].get<std::string>(), data,
                                     log, report);

  const json alerts =
      alerts_and_forecasts ? write_alerts(db, network, data, generated_at, report) : json(nullptr);

  const json daily = write_daily(db, inputs, data, report);

  json sources = json::array();
  for (const auto& source : inputs.sources) {
    sources.push_back(source_json(db, source, generated_at, settings.stale_after_minutes));
  }
  const json meta{{"version", kFormatVersion},
                  {"generated_at", to_iso8601(generated_at)},
                  {"language", settings.language},
                  {"stale_after_minutes", settings.stale_after_minutes},
                  {"sources", sources},
                  {"region_sets", region_sets},
                  {"stations", stations},
                  {"station_region_set", station_region_set},
                  {"air_quality", air_quality},
                  {"air_quality_impact", air_quality_impact},
                  {"alerts", alerts},
                  {"daily", daily}};
  // Last: a reader that finds this meta.json finds every file it names.
  write_atomically(data / "meta.json", meta.dump(2));
  ++report.data_files;
  log.info("dashboard written to {}: {} data file(s), {} page file(s)", settings.out.string(),
           report.data_files, report.page_files);
  return report;
}

}  // namespace meteo::dashboard
