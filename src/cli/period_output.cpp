#include "period_output.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>

#include "meteo/aggregate/local_days.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/dashboard/station_names.hpp"
#include "meteo/store/stations.hpp"
#include "view_rows.hpp"

namespace meteo {
namespace {

using std::chrono::sys_days;
using std::chrono::year_month_day;

[[noreturn]] void usage(const std::string& message) {
  throw Error(ExitCode::usage, "query period: " + message);
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Local days [from, to), as the dates the store reads.
struct Period {
  std::string from, to;
};

year_month_day date_option(const std::string& option, const std::string& text) {
  try {
    return aggregate::parse_local_date(text);
  } catch (const Error& error) {
    usage(option + ": " + error.what());
  }
}

// The period and, with --compare-to, the earlier one of the same length.
std::pair<Period, std::optional<Period>> checked_periods(const PeriodQueryOptions& options) {
  const sys_days from{date_option("--from", options.from)};
  const sys_days to{date_option("--to", options.to)};
  if (to <= from) usage("--to " + options.to + " must be after --from " + options.from);
  const Period period{options.from, options.to};
  if (options.compare_to.empty()) return {period, std::nullopt};
  const sys_days compare{date_option("--compare-to", options.compare_to)};
  if (compare >= from) {
    usage("--compare-to " + options.compare_to + " must be before --from " + options.from);
  }
  return {period, Period{options.compare_to,
                         aggregate::to_date_text(year_month_day{compare + (to - from)})}};
}

std::string station_name(const DailyStation& station) {
  return dashboard::station_display_name(station.dataset_id, station.commune, station.name);
}

// The stations a name gives: its dataset id or its name, in any case, within --source.
DailyStation resolve_station(const std::vector<DailyStation>& known, const std::string& name,
                             const std::string& source) {
  std::vector<DailyStation> found;
  for (const auto& station : known) {
    if (!source.empty() && station.source != source) continue;
    if (lower(station.dataset_id) == lower(name) || lower(station_name(station)) == lower(name)) {
      found.push_back(station);
    }
  }
  if (found.size() == 1) return found.front();
  if (found.empty()) {
    usage("no station \"" + name + "\"" + (source.empty() ? "" : " in source " + source) +
          " with daily weather (name one by its dataset id or its name; `query station-hourly`"
          " lists the stations)");
  }
  std::string candidates;
  for (const auto& station : found) {
    candidates += (candidates.empty() ? "" : ", ") + station.source + " " + station.dataset_id;
  }
  usage("station \"" + name + "\" is ambiguous (" + candidates +
        "): use its dataset id or --source");
}

std::vector<Column> figure_columns(const std::string& header_prefix,
                                   const std::string& key_prefix) {
  std::vector<Column> columns;
  for (const auto& [header, key] :
       std::vector<std::pair<std::string, std::string>>{{"From", "from"},
                                                        {"To", "to"},
                                                        {"DaysObserved", "days_observed"},
                                                        {"TemperatureMean", "temperature_mean"},
                                                        {"TemperatureMin", "temperature_min"},
                                                        {"TemperatureMax", "temperature_max"},
                                                        {"PressureMean", "pressure_mean"},
                                                        {"WindMean", "wind_mean"},
                                                        {"GustMax", "gust_max"},
                                                        {"RainSum", "rain_sum"},
                                                        {"HeavyRainDays", "heavy_rain_days"}}) {
    columns.push_back({header_prefix + header, key_prefix + key});
  }
  return columns;
}

void add_figures(nlohmann::json& row, const Period& period, const StationPeriodFigures& f) {
  for (nlohmann::json cell :
       {nlohmann::json(period.from), nlohmann::json(period.to), nlohmann::json(f.days_observed),
        optional_cell(f.temperature_mean), optional_cell(f.temperature_min),
        optional_cell(f.temperature_max), optional_cell(f.pressure_mean),
        optional_cell(f.wind_mean), optional_cell(f.gust_max), optional_cell(f.rain_sum),
        nlohmann::json(f.heavy_rain_days)}) {
    row.push_back(std::move(cell));
  }
}

}  // namespace

void add_period_query_options(CLI::App& app, PeriodQueryOptions& options) {
  app.add_option("--station", options.stations,
                 "the stations, by dataset id or name, separated by commas")
      ->delimiter(',')
      ->required()
      ->type_name("S[,S...]");
  app.add_option("--from", options.from, "first local day, included (2023-03-01)")
      ->required()
      ->type_name("DATE");
  app.add_option("--to", options.to, "end local day, exclusive: the period stops before it")
      ->required()
      ->type_name("DATE");
  app.add_option("--compare-to", options.compare_to,
                 "also the period of the same length starting on this earlier local day")
      ->type_name("DATE");
  app.add_option("--source", options.source, "only the stations of this source")->type_name("NAME");
  app.add_option("--format", options.format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
}

void run_period_query(Database& db, const PeriodQueryOptions& options, std::ostream& out) {
  const auto [period, compared] = checked_periods(options);
  const auto known = query_daily_stations(db);
  std::vector<DailyStation> stations;
  for (const auto& name : options.stations) {
    stations.push_back(resolve_station(known, name, options.source));
  }
  ViewRows view{{{"Source", "source"}, {"Station", "station"}, {"Name", "name"}}, {}};
  for (auto& column : figure_columns("", "")) view.columns.push_back(std::move(column));
  if (compared) {
    for (auto& column : figure_columns("Compare", "compare_")) {
      view.columns.push_back(std::move(column));
    }
  }
  for (const auto& station : stations) {
    nlohmann::json row = {station.source, station.dataset_id, station_name(station)};
    add_figures(row, period, query_station_period(db, station, period.from, period.to));
    if (compared) {
      add_figures(row, *compared, query_station_period(db, station, compared->from, compared->to));
    }
    view.rows.push_back(std::move(row));
  }
  print_view(out, view, options.format);
}

}  // namespace meteo
