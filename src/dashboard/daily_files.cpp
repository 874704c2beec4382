#include "daily_files.hpp"

#include <algorithm>
#include <map>

#include "meteo/dashboard/station_names.hpp"
#include "meteo/store/reports.hpp"
#include "meteo/store/stations.hpp"

namespace meteo::dashboard {
namespace {

using nlohmann::json;

constexpr int kDailySchemaVersion = 9;

json optional_json(const std::optional<double>& value) {
  return value ? json(*value) : json(nullptr);
}

// One station's days in columns: the same index in every array is the same day.
json station_days_json(const std::vector<const StationDayRow*>& rows) {
  json columns = {{"days", json::array()},
                  {"temperature_mean", json::array()},
                  {"temperature_min", json::array()},
                  {"temperature_max", json::array()},
                  {"pressure_mean", json::array()},
                  {"wind_mean", json::array()},
                  {"gust_max", json::array()},
                  {"rain_sum", json::array()},
                  {"hours_observed", json::array()},
                  {"heavy_rain", json::array()}};
  for (const StationDayRow* row : rows) {
    columns["days"].push_back(row->day);
    columns["temperature_mean"].push_back(optional_json(row->temperature_mean));
    columns["temperature_min"].push_back(optional_json(row->temperature_min));
    columns["temperature_max"].push_back(optional_json(row->temperature_max));
    columns["pressure_mean"].push_back(optional_json(row->pressure_mean));
    columns["wind_mean"].push_back(optional_json(row->wind_mean));
    columns["gust_max"].push_back(optional_json(row->gust_max));
    columns["rain_sum"].push_back(optional_json(row->rain_sum));
    columns["hours_observed"].push_back(row->hours_observed);
    columns["heavy_rain"].push_back(row->heavy_rain ? json(*row->heavy_rain) : json(nullptr));
  }
  return columns;
}

}  // namespace

bool has_daily_weather(Database& db) {
  return read_status(db, 1).schema_version >= kDailySchemaVersion;
}

std::optional<json> daily_json(Database& db, const std::string& source) {
  const std::vector<StationDayRow> rows = query_recent_station_days(db, source, kDailySpanDays);
  if (rows.empty()) return std::nullopt;
  std::map<std::string, std::vector<const StationDayRow*>> rows_by_dataset;
  for (const auto& row : rows) rows_by_dataset[row.dataset_id].push_back(&row);
  std::map<std::string, DailyStation> known;
  for (auto& station : query_daily_stations(db)) {
    if (station.source == source) known[station.dataset_id] = std::move(station);
  }
  std::string newest_day;
  json stations = json::array();
  for (const auto& [dataset_id, days] : rows_by_dataset) {
    const DailyStation& named = known[dataset_id];
    json station = {{"key", dataset_id},
                    {"name", station_display_name(dataset_id, named.commune, named.name)},
                    {"commune", named.commune}};
    station.update(station_days_json(days));
    newest_day = std::max(newest_day, days.back()->day);
    stations.push_back(std::move(station));
  }
  return json{{"source", source},
              {"span_days", kDailySpanDays},
              {"newest_day", newest_day},
              {"stations", stations}};
}

}  // namespace meteo::dashboard
