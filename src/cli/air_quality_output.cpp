#include "air_quality_output.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "meteo/core/errors.hpp"
#include "table_output.hpp"
#include "view_rows.hpp"

namespace meteo {
namespace {

using nlohmann::json;

ViewRows index_view(const std::vector<AirQualityIndexRow>& rows) {
  ViewRows view{{{"Source", "source"},
                 {"Station", "station"},
                 {"Name", "name"},
                 {"Day", "day"},
                 {"Class", "class"},
                 {"Label", "label"},
                 {"Dominant", "dominant_pollutant"},
                 {"SubIndices", "sub_indices"},
                 {"Method", "method"}},
                {}};
  for (const auto& row : rows) {
    view.rows.push_back({row.source, row.station_code, row.station_name, row.day, row.index_class,
                         row.label, row.dominant_pollutant, row.sub_indices, row.method});
  }
  return view;
}

ViewRows daily_view(const std::vector<AirQualityDailyRow>& rows) {
  ViewRows view{{{"Source", "source"},
                 {"Station", "station"},
                 {"Pollutant", "pollutant"},
                 {"Day", "day"},
                 {"Mean", "mean_ugm3"},
                 {"MaxHourly", "max_hourly_ugm3"},
                 {"Hours", "hours"},
                 {"ValidatedHours", "validated_hours"},
                 {"Representative", "representative"},
                 {"SubIndex", "sub_index"}},
                {}};
  for (const auto& row : rows) {
    view.rows.push_back({row.source, row.station_code, row.pollutant, row.day, row.mean_ugm3,
                         row.max_hourly_ugm3, row.hours, row.validated_hours, row.representative,
                         optional_cell(row.sub_index)});
  }
  return view;
}

ViewRows hourly_view(const std::vector<AirQualityHourlyRow>& rows) {
  ViewRows view{{{"Source", "source"},
                 {"Station", "station"},
                 {"Pollutant", "pollutant"},
                 {"Hour", "hour"},
                 {"Value", "value_ugm3"},
                 {"Validated", "validated"}},
                {}};
  for (const auto& row : rows) {
    view.rows.push_back({row.source, row.station_code, row.pollutant, to_iso8601(row.hour),
                         row.value_ugm3, row.validated});
  }
  return view;
}

ViewRows exceedances_view(const std::vector<AirQualityExceedanceRow>& rows) {
  ViewRows view{{{"Source", "source"},
                 {"Station", "station"},
                 {"Pollutant", "pollutant"},
                 {"Level", "level"},
                 {"Basis", "basis"},
                 {"Start", "start"},
                 {"End", "end"},
                 {"Periods", "periods"},
                 {"Peak", "peak_ugm3"},
                 {"PeakAt", "peak_at"}},
                {}};
  for (const auto& row : rows) {
    view.rows.push_back({row.source, row.station_code, row.pollutant, row.level, row.basis,
                         to_iso8601(row.start_at), to_iso8601(row.end_at), row.periods,
                         row.peak_ugm3, to_iso8601(row.peak_at)});
  }
  return view;
}

ViewRows pairs_view(const std::vector<AirQualityPairRow>& rows) {
  ViewRows view{{{"Source", "source"},
                 {"Station", "station"},
                 {"Name", "name"},
                 {"Commune", "commune"},
                 {"WeatherSource", "weather_source"},
                 {"WeatherStation", "weather_station"},
                 {"DistanceKm", "distance_km"}},
                {}};
  for (const auto& row : rows) {
    view.rows.push_back({row.source, row.station_code, row.station_name, row.commune,
                         optional_cell(row.weather_source), optional_cell(row.weather_dataset),
                         optional_cell(row.distance_km)});
  }
  return view;
}

[[noreturn]] void usage(const std::string& message) {
  throw Error(ExitCode::usage, "query air-quality: " + message);
}

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

// The filter the options describe; --to is exclusive, as in export.
AirQualityFilter checked_filter(Database& db, const AirQualityQueryOptions& options) {
  AirQualityFilter filter;
  filter.limit = options.limit;
  if (!options.pollutant.empty()) {
    const auto& names = air_quality_pollutant_names();
    if (std::find(names.begin(), names.end(), options.pollutant) == names.end()) {
      usage("unknown pollutant " + options.pollutant + ": use one of " + joined(names));
    }
    filter.pollutant = options.pollutant;
  }
  if (!options.station.empty()) {
    if (!air_quality_station_exists(db, options.station)) {
      usage("no air-quality station " + options.station +
            " in the database (`query air-quality --view pairs` lists them)");
    }
    filter.station = options.station;
  }
  if (!options.from.empty()) filter.from = parse_hour(options.from);
  if (!options.to.empty()) filter.to = parse_hour(options.to) - std::chrono::hours(1);
  if (filter.from && filter.to && *filter.to < *filter.from) {
    usage("--from " + options.from + " must be before --to " + options.to);
  }
  return filter;
}

}  // namespace

void add_air_quality_query_options(CLI::App& app, AirQualityQueryOptions& options) {
  app.add_option("--view", options.view,
                 "index (the daily index, indicative), daily, hourly, exceedances or pairs")
      ->check(CLI::IsMember({"index", "daily", "hourly", "exceedances", "pairs"}))
      ->capture_default_str();
  app.add_option("--station", options.station, "only this station (its code: FR50044)")
      ->type_name("CODE");
  app.add_option("--pollutant", options.pollutant,
                 "only this pollutant (NO2, PM10...); the index: the days it dominates")
      ->type_name("P");
  app.add_option("--from", options.from, "first UTC hour, included (2026-11-22T00)")
      ->type_name("HOUR");
  app.add_option("--to", options.to, "end UTC hour, exclusive: the rows stop before it")
      ->type_name("HOUR");
  app.add_option("--format", options.format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
  app.add_option("--limit", options.limit, "at most this many rows, newest first")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
}

void run_air_quality_query(Database& db, const AirQualityQueryOptions& options, std::ostream& out) {
  const AirQualityFilter filter = checked_filter(db, options);
  if (options.view == "daily") {
    print_view(out, daily_view(query_air_quality_daily(db, filter)), options.format);
  } else if (options.view == "hourly") {
    print_view(out, hourly_view(query_air_quality_hourly(db, filter)), options.format);
  } else if (options.view == "exceedances") {
    print_view(out, exceedances_view(query_air_quality_exceedances(db, filter)), options.format);
  } else if (options.view == "pairs") {
    print_view(out, pairs_view(query_air_quality_pairs(db, filter)), options.format);
  } else {
    // A person reading the table is told what the index is; CSV and JSON stay plain rows.
    if (options.format == "table") out << "Air-quality index: " << kIndicativeIndexNote << "\n";
    print_view(out, index_view(query_air_quality_index(db, filter)), options.format);
  }
}

void print_air_quality_weather(std::ostream& out, const std::vector<AirQualityWeatherRow>& rows,
                               const std::string& format) {
  // The view's own names, as JSON keys too: the export speaks the view's language.
  ViewRows view;
  for (const char* name :
       {"AqSource", "StationCode", "Pollutant", "Hour", "Value", "WeatherStation", "DistanceKm",
        "Temperature", "Humidity", "WindSpeed", "WindDirection", "Rain"}) {
    view.columns.push_back({name, name});
  }
  for (const auto& row : rows) {
    view.rows.push_back({row.source, row.station_code, row.pollutant, to_iso8601(row.hour),
                         row.value_ugm3, optional_cell(row.weather_station),
                         optional_cell(row.distance_km), optional_cell(row.temperature),
                         optional_cell(row.humidity), optional_cell(row.wind_speed),
                         optional_cell(row.wind_direction), optional_cell(row.rain)});
  }
  print_view(out, view, format);
}

}  // namespace meteo
