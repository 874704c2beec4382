// `meteo-etl export`: hourly rows between two hours, as CSV (RFC 4180) or a JSON array.
#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>

#include "air_quality_output.hpp"
#include "commands.hpp"
#include "json_rows.hpp"
#include "manual.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/store/dashboard_reads.hpp"
#include "meteo/store/migrations.hpp"
#include "meteo/store/stations.hpp"
#include "table_output.hpp"

namespace meteo {
namespace {

using nlohmann::json;

struct ExportOptions {
  std::string what;
  std::string from, to;
  std::string format = "csv";
  std::string set;
  std::string source;
};

// Every digit (exact_number); empty for a missing value.
std::string number_text(const std::optional<double>& value) {
  return value ? exact_number(*value) : std::string();
}

json region_row_json(const RegionHourRow& row) {
  return {{"region_set", row.region_set},
          {"region_code", row.region_code},
          {"region", row.region},
          {"hour", to_iso8601(row.hour)},
          {"temperature", row.temperature},
          {"numberOfPoints", row.number_of_points},
          {"temperature_3h_before", optional_json(row.temperature_3h_before)}};
}

void print_region_rows(std::ostream& out, const std::vector<RegionHourRow>& rows,
                       const std::string& format) {
  if (format == "json") {
    json array = json::array();
    for (const auto& row : rows) array.push_back(region_row_json(row));
    out << array.dump(2) << '\n';
    return;
  }
  std::vector<TextRow> text;
  for (const auto& row : rows) {
    text.push_back({row.region_set, row.region_code, row.region, to_iso8601(row.hour),
                    number_text(row.temperature), std::to_string(row.number_of_points),
                    number_text(row.temperature_3h_before)});
  }
  print_csv(out,
            {"RegionSet", "RegionCode", "Region", "Hour", "Temperature", "NumberOfPoints",
             "Temperature3HoursBefore"},
            text);
}

void print_station_rows(std::ostream& out, const std::vector<StationHourlyRow>& rows,
                        const std::string& format) {
  if (format == "json") {
    json array = json::array();
    for (const auto& row : rows) array.push_back(station_hourly_json(row));
    out << array.dump(2) << '\n';
    return;
  }
  std::vector<TextRow> text;
  for (const auto& row : rows) {
    text.push_back({row.source, row.dataset_id, row.station_number, row.commune,
                    to_iso8601(row.hour), number_text(row.temperature_mean),
                    number_text(row.temperature_min), number_text(row.temperature_max),
                    number_text(row.humidity_mean), number_text(row.pressure_mean),
                    number_text(row.rain_sum), number_text(row.wind_mean),
                    number_text(row.gust_max), std::to_string(row.observations)});
  }
  print_csv(out,
            {"Source", "Dataset", "Station", "Commune", "Hour", "TemperatureMean", "TemperatureMin",
             "TemperatureMax", "HumidityMean", "PressureMean", "RainSum", "WindMean", "GustMax",
             "Observations"},
            text);
}

std::optional<std::string> optional_name(const std::string& name) {
  return name.empty() ? std::nullopt : std::optional<std::string>(name);
}

// The view air_quality_weather_hourly; a --source with no air-quality station is a usage error
// (a typo would otherwise export nothing, silently).
void export_air_quality(Database& db, const ExportOptions& options, UtcSeconds from,
                        UtcSeconds last, std::ostream& out) {
  AirQualityFilter filter;
  if (!options.source.empty()) {
    const auto sources = air_quality_sources(db);
    if (std::find(sources.begin(), sources.end(), options.source) == sources.end()) {
      throw Error(ExitCode::usage,
                  "export: no air-quality data of source " + options.source + " in the database");
    }
    filter.source = options.source;
  }
  filter.from = from;
  filter.to = last;
  print_air_quality_weather(out, query_air_quality_weather(db, filter), options.format);
}

int run_export(CommandContext& context, const ExportOptions& options) {
  // --to is exclusive, as in backfill, replay and verify; the queries take their last hour.
  const UtcSeconds from = parse_hour(options.from), to = parse_hour(options.to);
  if (!(from < to)) {
    throw Error(ExitCode::usage,
                "export: --from " + options.from + " must be before --to " + options.to);
  }
  const UtcSeconds last = to - std::chrono::hours(1);
  if (options.what != "region-hourly" && !options.set.empty()) {
    throw Error(ExitCode::usage, "export: --set applies to region-hourly only");
  }
  if (options.what != "air-quality-hourly" && !options.source.empty()) {
    throw Error(ExitCode::usage, "export: --source applies to air-quality-hourly only");
  }
  if (!options.set.empty()) context.config.region_set(options.set);  // names an unknown set
  Database db = Database::connect(context.config.database);
  require_current_schema(db, bundled_migrations());
  if (options.what == "air-quality-hourly") {
    export_air_quality(db, options, from, last, context.out);
  } else if (options.what == "region-hourly") {
    print_region_rows(context.out, query_region_hours(db, optional_name(options.set), from, last),
                      options.format);
  } else {
    print_station_rows(context.out, query_station_hours(db, std::nullopt, from, last),
                       options.format);
  }
  return 0;
}

}  // namespace

CommandRegistration register_export(CLI::App& parent) {
  CLI::App* app =
      parent.add_subcommand("export", "hourly rows of a window of UTC hours, as CSV or JSON");
  auto options = std::make_shared<ExportOptions>();
  app->add_option("--what", options->what, "region-hourly, station-hourly or air-quality-hourly")
      ->required()
      ->check(CLI::IsMember({"region-hourly", "station-hourly", "air-quality-hourly"}));
  app->add_option("--from", options->from, "first UTC hour, included (2026-11-22T00)")
      ->type_name("HOUR")
      ->required();
  app->add_option("--to", options->to,
                  "end UTC hour, exclusive: the rows stop before it (2026-11-23T00)")
      ->type_name("HOUR")
      ->required();
  app->add_option("--format", options->format, "csv (RFC 4180) or json")
      ->check(CLI::IsMember({"csv", "json"}))
      ->capture_default_str();
  app->add_option("--set", options->set, "only this region set (region-hourly); default: all")
      ->type_name("NAME");
  app->add_option("--source", options->source,
                  "only this source (air-quality-hourly); default: all")
      ->type_name("NAME");
  set_examples(*app,
               {"meteo-etl export --what region-hourly --from 2026-11-22T00 --to 2026-11-23T00",
                "meteo-etl export --what station-hourly --from 2026-11-22T00 --to "
                "2026-11-22T06 --format json",
                "meteo-etl export --what air-quality-hourly --from 2026-11-22T00 --to "
                "2026-11-23T00"});
  return {app, [options](CommandContext& context) { return run_export(context, *options); }};
}

}  // namespace meteo
