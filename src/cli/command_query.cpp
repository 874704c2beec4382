#include <memory>
#include <nlohmann/json.hpp>

#include "air_quality_output.hpp"
#include "alert_output.hpp"
#include "commands.hpp"
#include "json_rows.hpp"
#include "manual.hpp"
#include "meteo/store/migrations.hpp"
#include "meteo/store/reports.hpp"
#include "meteo/store/stations.hpp"
#include "period_output.hpp"
#include "table_output.hpp"

namespace meteo {
namespace {

// Rounded for the terminal table; CSV is for other programs and keeps every digit.
std::string number_text(double value, const std::string& format) {
  return format == "csv" ? exact_number(value) : table_number(value);
}

// A missing value: empty in CSV, NULL in a table (as temperature-3h shows it).
std::string optional_text(const std::optional<double>& value, const std::string& format) {
  return value ? number_text(*value, format) : (format == "csv" ? "" : "NULL");
}

void print_temperature_3h(std::ostream& out, const std::vector<Temperature3hRow>& rows,
                          const std::string& format) {
  if (format == "json") {
    nlohmann::json array = nlohmann::json::array();
    for (const auto& row : rows) {
      array.push_back({{"region_set", row.region_set},
                       {"region", row.region},
                       {"hour", to_iso8601(row.hour)},
                       {"temperature", row.temperature},
                       {"temperature_3h_before", row.temperature_3h_before
                                                     ? nlohmann::json(*row.temperature_3h_before)
                                                     : nlohmann::json(nullptr)}});
    }
    out << array.dump(2) << '\n';
    return;
  }
  std::vector<TextRow> text;
  for (const auto& row : rows) {
    text.push_back({row.region_set, row.region, to_iso8601(row.hour),
                    number_text(row.temperature, format),
                    optional_text(row.temperature_3h_before, format)});
  }
  const TextRow header{"RegionSet", "Region", "Hour", "Temperature", "Temperature3HoursBefore"};
  format == "csv" ? print_csv(out, header, text) : print_table(out, header, text);
}

void print_station_hourly(std::ostream& out, const std::vector<StationHourlyRow>& rows,
                          const std::string& format) {
  if (format == "json") {
    nlohmann::json array = nlohmann::json::array();
    for (const auto& row : rows) {
      array.push_back(station_hourly_json(row));
    }
    out << array.dump(2) << '\n';
    return;
  }
  std::vector<TextRow> text;
  for (const auto& row : rows) {
    text.push_back(
        {row.source, row.dataset_id, row.station_number, row.commune, to_iso8601(row.hour),
         optional_text(row.temperature_mean, format), optional_text(row.temperature_min, format),
         optional_text(row.temperature_max, format), optional_text(row.humidity_mean, format),
         optional_text(row.pressure_mean, format), optional_text(row.rain_sum, format),
         optional_text(row.wind_mean, format), optional_text(row.gust_max, format),
         std::to_string(row.observations)});
  }
  const TextRow header{"Source",       "Dataset",         "Station",        "Commune",
                       "Hour",         "TemperatureMean", "TemperatureMin", "TemperatureMax",
                       "HumidityMean", "PressureMean",    "RainSum",        "WindMean",
                       "GustMax",      "Observations"};
  format == "csv" ? print_csv(out, header, text) : print_table(out, header, text);
}

struct QueryOptions {
  std::string format = "table";
  std::size_t limit = 1000;
};

void add_query_options(CLI::App* app, QueryOptions& options) {
  app->add_option("--format", options.format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
  app->add_option("--limit", options.limit, "at most this many rows, newest first")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
}

}  // namespace

CommandRegistration register_query(CLI::App& parent) {
  CLI::App* app = parent.add_subcommand("query", "read results back");
  app->require_subcommand(1);
  CLI::App* three_hours = app->add_subcommand(
      "temperature-3h", "each region's hourly temperature beside the one 3 hours before");
  CLI::App* station_hourly = app->add_subcommand(
      "station-hourly", "each weather station's hourly means, extremes and rain, newest first");
  CLI::App* period = app->add_subcommand(
      "period",
      "each station's temperature, pressure, wind and rain over local days, beside an earlier "
      "period");
  CLI::App* air_quality = app->add_subcommand(
      "air-quality",
      "air quality: the daily index (indicative), daily figures, hourly values, "
      "exceedances or station pairs, newest first");
  CLI::App* alerts = app->add_subcommand(
      "alerts", "indicative weather and pollution alerts (peaks), newest first");
  CLI::App* forecast_skill = app->add_subcommand(
      "forecast-skill",
      "each station's forecast error per horizon and model, backtest and live, against "
      "persistence");
  // One set of options per subcommand: only the chosen one is parsed.
  auto options = std::make_shared<QueryOptions>();
  auto station_options = std::make_shared<QueryOptions>();
  auto air_quality_options = std::make_shared<AirQualityQueryOptions>();
  auto period_options = std::make_shared<PeriodQueryOptions>();
  add_period_query_options(*period, *period_options);
  add_query_options(three_hours, *options);
  add_query_options(station_hourly, *station_options);
  add_air_quality_query_options(*air_quality, *air_quality_options);
  auto alert_options = std::make_shared<AlertQueryOptions>();
  auto skill_options = std::make_shared<ForecastSkillOptions>();
  add_alert_query_options(*alerts, *alert_options);
  add_forecast_skill_options(*forecast_skill, *skill_options);
  set_examples(*alerts, {"meteo-etl query alerts --active"});
  set_examples(*forecast_skill, {"meteo-etl query forecast-skill --format csv"});
  set_examples(*app,
               {"meteo-etl query temperature-3h", "meteo-etl query station-hourly --limit 48"});
  set_examples(*three_hours, {"meteo-etl query temperature-3h --format csv --limit 100"});
  set_examples(*station_hourly, {"meteo-etl query station-hourly --format json --limit 48"});
  set_examples(*period, {"meteo-etl query period --station 01-station-meteo-toulouse-meteopole "
                         "--from 2026-11-23 --to 2026-11-24",
                         "meteo-etl query period --station Meteopole --from 2026-11-23 "
                         "--to 2026-11-24 --compare-to 2026-11-22 --format csv"});
  set_examples(*air_quality, {"meteo-etl query air-quality",
                              "meteo-etl query air-quality --view hourly --station FR50044 "
                              "--pollutant NO2 --from 2026-11-22T00 --to 2026-11-23T00"});
  return {app, [options, station_options, station_hourly, period, period_options, air_quality,
                air_quality_options, alerts, alert_options, forecast_skill,
                skill_options](CommandContext& context) {
            Database db = Database::connect(context.config.database);
            require_current_schema(db, bundled_migrations());
            if (alerts->parsed()) {
              run_alert_query(db, *alert_options, context.out);
            } else if (forecast_skill->parsed()) {
              run_forecast_skill_query(db, *skill_options, context.out);
            } else if (period->parsed()) {
              run_period_query(db, *period_options, context.out);
            } else if (air_quality->parsed()) {
              run_air_quality_query(db, *air_quality_options, context.out);
            } else if (station_hourly->parsed()) {
              print_station_hourly(context.out, query_station_hourly(db, station_options->limit),
                                   station_options->format);
            } else {
              print_temperature_3h(context.out, query_temperature_3h(db, options->limit),
                                   options->format);
            }
            return 0;
          }};
}

}  // namespace meteo
