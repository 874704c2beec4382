#include "air_quality_files.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "meteo/core/names.hpp"

namespace meteo::dashboard {
namespace {

using nlohmann::json;

constexpr std::chrono::hours kSeriesSpan{24 * 7};
constexpr std::chrono::hours kRoseSpan{24 * 30};
constexpr int kSectors = 16;
constexpr double kSectorDegrees = 360.0 / kSectors;
constexpr double kCalmBelowKmh = 2;
constexpr std::array<const char*, 4> kRosePollutants{"NO2", "PM10", "PM2.5", "O3"};

json optional_json(const std::optional<double>& value) {
  return value ? json(*value) : json(nullptr);
}

json optional_json(const std::optional<std::string>& value) {
  return value ? json(*value) : json(nullptr);
}

json index_json(const AirQualityIndexRow& row) {
  return {{"day", row.day},
          {"class", row.index_class},
          {"label", row.label},
          {"dominant", row.dominant_pollutant},
          {"sub_indices", row.sub_indices}};
}

std::string day_of(UtcSeconds hour) {
  return to_iso8601(hour).substr(0, 10);
}

// The hours first..last, both included.
std::vector<UtcSeconds> hours_between(UtcSeconds first, UtcSeconds last) {
  std::vector<UtcSeconds> hours;
  for (UtcSeconds hour = first; hour <= last; hour += std::chrono::hours(1)) hours.push_back(hour);
  return hours;
}

// One value per hour of `hours`, null where `values` has none: a gap stays a gap.
json series_json(const std::vector<UtcSeconds>& hours,
                 const std::map<UtcSeconds, std::optional<double>>& values) {
  json series = json::array();
  for (UtcSeconds hour : hours) {
    const auto found = values.find(hour);
    series.push_back(found == values.end() ? json(nullptr) : optional_json(found->second));
  }
  return series;
}

// The hourly values per pollutant and the paired wind over the 7 days ending at `last`.
json hourly_json(const std::vector<AirQualityWeatherRow>& rows, UtcSeconds first, UtcSeconds last) {
  std::map<std::string, std::map<UtcSeconds, std::optional<double>>> by_pollutant;
  std::map<UtcSeconds, std::optional<double>> speed, direction;
  for (const auto& row : rows) {
    if (row.hour < first) continue;  // the rose's rows reach further back
    by_pollutant[row.pollutant][row.hour] = row.value_ugm3;
    // Every pollutant's row of an hour carries the same weather hour.
    if (row.wind_speed) speed[row.hour] = row.wind_speed;
    if (row.wind_direction) direction[row.hour] = row.wind_direction;
  }
  const auto hours = hours_between(first, last);
  json axis = json::array();
  for (UtcSeconds hour : hours) axis.push_back(to_iso8601(hour));
  json pollutants = json::object();
  for (const auto& [pollutant, values] : by_pollutant) {
    pollutants[pollutant] = series_json(hours, values);
  }
  return {{"hours", axis},
          {"pollutants", pollutants},
          {"wind_speed_kmh", series_json(hours, speed)},
          {"wind_direction_deg", series_json(hours, direction)}};
}

json exceedances_json(const std::vector<AirQualityExceedanceRow>& rows) {
  json out = json::array();
  for (auto row = rows.rbegin(); row != rows.rend(); ++row) {  // the reader gives newest first
    out.push_back({{"pollutant", row->pollutant},
                   {"level", row->level},
                   {"basis", row->basis},
                   {"start", to_iso8601(row->start_at)},
                   {"end", to_iso8601(row->end_at)},
                   {"periods", row->periods},
                   {"peak_ugm3", row->peak_ugm3},
                   {"peak_at", to_iso8601(row->peak_at)}});
  }
  return out;
}

// The 7 days ending with the last hour's day, each with its index or null.
json daily_index_json(const std::vector<AirQualityIndexRow>& rows, UtcSeconds last) {
  std::map<std::string, const AirQualityIndexRow*> by_day;
  for (const auto& row : rows) by_day[row.day] = &row;
  json days = json::array();
  for (int back = 6; back >= 0; --back) {
    const std::string day = day_of(last - std::chrono::hours(24 * back));
    const auto found = by_day.find(day);
    days.push_back(found == by_day.end() ? json{{"day", day}, {"class", nullptr}}
                                         : index_json(*found->second));
  }
  return days;
}

json station_list_json(const AirQualityStationSummary& station, bool has_file) {
  return {{"code", station.code},
          {"name", station.name},
          {"commune", station.commune},
          {"typology", station.typology},
          {"influence", station.influence},
          {"latitude", station.latitude},
          {"longitude", station.longitude},
          {"weather_station", optional_json(station.weather_dataset)},
          {"distance_km", optional_json(station.distance_km)},
          {"file", has_file ? json("air-quality/" + station.code + ".json") : json(nullptr)},
          {"index", station.latest_index ? index_json(*station.latest_index) : json(nullptr)}};
}

json station_file_json(Database& db, const AirQualityStationSummary& station, UtcSeconds last) {
  const UtcSeconds first = last - kSeriesSpan + std::chrono::hours(1);
  AirQualityFilter filter;
  filter.source = station.source;
  filter.station = station.code;
  filter.from = last - kRoseSpan + std::chrono::hours(1);
  filter.to = last;
  const auto rows = query_air_quality_weather(db, filter);
  filter.from = first;
  filter.limit = 1'000'000;
  json out = hourly_json(rows, first, last);
  out["source"] = station.source;
  out["code"] = station.code;
  out["name"] = station.name;
  out["weather_station"] = optional_json(station.weather_dataset);
  out["exceedances"] = exceedances_json(query_air_quality_exceedances(db, filter));
  out["daily_index"] = daily_index_json(query_air_quality_index(db, filter), last);
  json rose = pollution_rose(rows);
  rose["from"] = to_iso8601(last - kRoseSpan + std::chrono::hours(1));
  rose["to"] = to_iso8601(last);
  out["rose"] = rose;
  return out;
}

std::string chosen_source(const std::vector<std::string>& in_database,
                          const std::vector<std::string>& configured) {
  for (const auto& name : configured) {
    if (std::find(in_database.begin(), in_database.end(), name) != in_database.end()) return name;
  }
  return in_database.front();
}

}  // namespace

json pollution_rose(const std::vector<AirQualityWeatherRow>& rows) {
  // The wind of each hour once (every pollutant's row repeats it), and the values of that hour.
  struct Hour {
    std::optional<double> speed, direction;
    std::map<std::string, double> values;
  };
  std::map<UtcSeconds, Hour> hours;
  for (const auto& row : rows) {
    Hour& hour = hours[row.hour];
    hour.speed = row.wind_speed;
    hour.direction = row.wind_direction;
    hour.values[row.pollutant] = row.value_ugm3;
  }
  struct Sector {
    std::size_t hours = 0;
    std::map<std::string, std::pair<double, std::size_t>> sums;  // pollutant -> (sum, count)
  };
  std::array<Sector, kSectors> sectors;
  std::size_t calm = 0;
  for (const auto& [moment, hour] : hours) {
    if (!hour.speed) continue;  // no weather that hour
    if (*hour.speed < kCalmBelowKmh) {
      ++calm;
      continue;
    }
    if (!hour.direction) continue;
    // Sector 0 spans [348.75°, 11.25°): north.
    const int index =
        static_cast<int>(
            std::floor(std::fmod(*hour.direction + kSectorDegrees / 2, 360.0) / kSectorDegrees)) %
        kSectors;
    Sector& sector = sectors[static_cast<std::size_t>(index)];
    ++sector.hours;
    for (const auto& [pollutant, value] : hour.values) {
      auto& [sum, count] = sector.sums[pollutant];
      sum += value;
      ++count;
    }
  }
  json out_sectors = json::array();
  for (int i = 0; i < kSectors; ++i) {
    const Sector& sector = sectors[static_cast<std::size_t>(i)];
    json means = json::object();
    for (const char* pollutant : kRosePollutants) {
      const auto found = sector.sums.find(pollutant);
      means[pollutant] =
          found == sector.sums.end()
              ? json(nullptr)
              : json(found->second.first / static_cast<double>(found->second.second));
    }
    out_sectors.push_back(
        {{"direction_deg", i * kSectorDegrees}, {"hours", sector.hours}, {"means", means}});
  }
  return {{"days", kRoseSpan.count() / 24},
          {"sector_deg", kSectorDegrees},
          {"calm_below_kmh", kCalmBelowKmh},
          {"calm_hours", calm},
          {"sectors", out_sectors}};
}

std::optional<AirQualityFiles> air_quality_files(Database& db,
                                                 const std::vector<std::string>& configured,
                                                 spdlog::logger& log) {
  const auto sources = air_quality_sources(db);
  if (sources.empty()) return std::nullopt;
  AirQualityFiles files;
  files.source = chosen_source(sources, configured);
  const std::optional<UtcSeconds> last = newest_air_quality_hour(db, files.source);
  json stations = json::array();
  for (const auto& station : query_air_quality_stations(db, files.source)) {
    // A code becomes a file name: one that could leave the directory gets no file.
    const bool has_file = last.has_value() && is_plain_name(station.code);
    if (!is_plain_name(station.code)) {
      log.warn("dashboard: air-quality station code {} is not a plain name: no file for it",
               station.code);
    }
    if (has_file) files.stations.emplace_back(station.code, station_file_json(db, station, *last));
    stations.push_back(station_list_json(station, has_file));
  }
  files.list = {{"source", files.source},
                {"label", kAirQualityLabel},
                {"latest_hour", last ? json(to_iso8601(*last)) : json(nullptr)},
                {"stations", stations}};
  return files;
}

}  // namespace meteo::dashboard
