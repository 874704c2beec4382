// `meteo-etl analyze`: the effect of an intervention at a station (impact, read-only) and the
// weather-normalised series of a source's stations (normalise, written for the dashboard).
#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "commands.hpp"
#include "manual.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/model/air_quality.hpp"
#include "meteo/pipeline/analysis_job.hpp"
#include "meteo/store/migrations.hpp"
#include "table_output.hpp"

namespace meteo {
namespace {

void require_pollutant(const std::string& pollutant) {
  if (std::find(kAirQualityPollutants.begin(), kAirQualityPollutants.end(), pollutant) !=
      kAirQualityPollutants.end()) {
    return;
  }
  std::string names;
  for (const auto name : kAirQualityPollutants) {
    names += (names.empty() ? "" : ", ") + std::string(name);
  }
  throw Error(ExitCode::usage, "unknown pollutant " + pollutant + ": use one of " + names);
}

struct ImpactOptions {
  std::string source;
  std::string station;
  std::string pollutant;
  std::string intervention;
  std::optional<int> before_days;
  std::optional<int> after_days;
  std::string method = "normalised";
  std::optional<std::uint64_t> seed;
  std::string format = "table";
};

struct NormaliseOptions {
  std::string source;
  std::string station;
  std::string pollutant;
};

void print_impact_json(std::ostream& out, const pipeline::ImpactQuery& query,
                       const pipeline::ImpactReport& report) {
  const analysis::ImpactEstimate& e = report.estimate;
  nlohmann::ordered_json json = {
      {"station", query.station_code},
      {"pollutant", query.pollutant},
      {"intervention", to_iso8601(query.intervention).substr(0, 10)},
      {"method", analysis::impact_method_text(query.method)},
      {"hours_before", e.hours_before},
      {"hours_after", e.hours_after},
      {"raw_mean_before", e.raw_mean_before},
      {"raw_mean_after", e.raw_mean_after},
      {"raw_effect_percent", e.raw_effect_percent},
      {"normalised_mean_before", e.normalised_mean_before},
      {"normalised_mean_after", e.normalised_mean_after},
      {"effect_percent", e.effect_percent},
      {"effect_ci_low_percent", e.effect_ci_low_percent},
      {"effect_ci_high_percent", e.effect_ci_high_percent},
      {"model_r2", e.score.r2},
      {"model_rmse", e.score.rmse},
      {"weather_station", report.weather.weather_source + "/" + report.weather.weather_dataset},
  };
  out << json.dump(2) << '\n';
}

void print_impact_table(std::ostream& out, const pipeline::ImpactQuery& query,
                        const pipeline::ImpactReport& report) {
  const analysis::ImpactEstimate& e = report.estimate;
  const bool counterfactual = query.method == analysis::ImpactMethod::counterfactual;
  const std::vector<TextRow> rows = {
      {"station", query.station_code},
      {"pollutant", query.pollutant},
      {"intervention", to_iso8601(query.intervention).substr(0, 10)},
      {"method", analysis::impact_method_text(query.method)},
      {"weather station", report.weather.weather_source + "/" + report.weather.weather_dataset},
      {"hours before / after",
       std::to_string(e.hours_before) + " / " + std::to_string(e.hours_after)},
      {"raw mean before / after (µg/m³)",
       table_number(e.raw_mean_before) + " / " + table_number(e.raw_mean_after)},
      {"raw effect (%)", table_number(e.raw_effect_percent)},
      {counterfactual ? "modelled mean before / predicted after (µg/m³)"
                      : "normalised mean before / after (µg/m³)",
       table_number(e.normalised_mean_before) + " / " + table_number(e.normalised_mean_after)},
      {"effect (%)", table_number(e.effect_percent)},
      {"95% interval (%)",
       table_number(e.effect_ci_low_percent) + " to " + table_number(e.effect_ci_high_percent)},
      {"model R² / RMSE (µg/m³)", table_number(e.score.r2) + " / " + table_number(e.score.rmse)},
  };
  print_table(out, {"", "value"}, rows);
}

void print_normalise_summary(std::ostream& out, const pipeline::NormaliseSummary& summary) {
  std::vector<TextRow> rows;
  for (const auto& one : summary.results) {
    std::string effects;
    for (const auto& effect : one.effects) {
      effects += (effects.empty() ? "" : "; ") + effect.intervention + " " +
                 table_number(effect.estimate.effect_percent) + "% [" +
                 table_number(effect.estimate.effect_ci_low_percent) + ", " +
                 table_number(effect.estimate.effect_ci_high_percent) + "]";
    }
    if (!one.skipped.empty()) {
      rows.push_back({one.station_code, one.pollutant, std::to_string(one.hours_read), "", "", "",
                      "", "skipped: " + one.skipped});
      continue;
    }
    rows.push_back({one.station_code, one.pollutant, std::to_string(one.hours_read),
                    std::to_string(one.written.days), table_number(one.score.r2),
                    table_number(one.score.rmse), effects.empty() ? "-" : effects, "written"});
  }
  print_table(out, {"Station", "Pollutant", "Hours", "Days", "R2", "RMSE", "Effects", "Result"},
              rows);
  out << "analyze run " << summary.run_id << ": " << summary.written << " written, "
      << summary.skipped << " skipped, " << summary.rows << " row(s)\n";
}

}  // namespace

CommandRegistration register_analyze(CLI::App& parent) {
  CLI::App* app = parent.add_subcommand(
      "analyze", "weather-normalised air quality and the effect of an intervention");
  app->require_subcommand(1);
  CLI::App* impact = app->add_subcommand(
      "impact", "estimate the effect of an intervention at a station, the weather taken out");
  CLI::App* normalise = app->add_subcommand(
      "normalise",
      "write the weather-normalised hourly and daily series of a source's stations, with the "
      "effect of each configured intervention");
  auto impact_options = std::make_shared<ImpactOptions>();
  impact->add_option("--source", impact_options->source, "the air-quality source")
      ->type_name("NAME")
      ->required();
  impact->add_option("--station", impact_options->station, "the station's code")
      ->type_name("CODE")
      ->required();
  impact->add_option("--pollutant", impact_options->pollutant, "NO2, PM10, O3...")
      ->type_name("P")
      ->required();
  impact
      ->add_option("--intervention", impact_options->intervention,
                   "the first day after the change, UTC")
      ->type_name("YYYY-MM-DD")
      ->required();
  impact
      ->add_option("--before-days", impact_options->before_days,
                   "days read before the intervention (default: [analysis] before_days)")
      ->type_name("N")
      ->check(CLI::Range(1, 7320));
  impact
      ->add_option("--after-days", impact_options->after_days,
                   "days read from the intervention on (default: [analysis] after_days)")
      ->type_name("N")
      ->check(CLI::Range(1, 7320));
  impact
      ->add_option("--method", impact_options->method,
                   "normalised: normalised means after vs before; counterfactual: a model of "
                   "the period before predicts after")
      ->check(CLI::IsMember({"normalised", "counterfactual"}))
      ->capture_default_str();
  impact
      ->add_option("--seed", impact_options->seed, "the learner's seed (default: [analysis] seed)")
      ->type_name("N");
  impact->add_option("--format", impact_options->format, "output format")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  auto normalise_options = std::make_shared<NormaliseOptions>();
  normalise->add_option("--source", normalise_options->source, "the air-quality source")
      ->type_name("NAME")
      ->required();
  normalise->add_option("--station", normalise_options->station, "only this station")
      ->type_name("CODE");
  normalise->add_option("--pollutant", normalise_options->pollutant, "only this pollutant")
      ->type_name("P");
  set_examples(
      *app, {"meteo-etl analyze impact --source atmo-occitanie --station FR12021 --pollutant NO2 "
             "--intervention 2024-03-01",
             "meteo-etl analyze normalise --source atmo-occitanie"});
  set_examples(
      *impact,
      {"meteo-etl analyze impact --source atmo-occitanie --station FR12021 --pollutant NO2 "
       "--intervention 2024-03-01 --format json",
       "meteo-etl analyze impact --source atmo-occitanie --station FR12021 --pollutant NO2 "
       "--intervention 2024-03-01 --before-days 180 --after-days 180 "
       "--method counterfactual"});
  set_examples(*normalise, {"meteo-etl analyze normalise --source atmo-occitanie",
                            "meteo-etl analyze normalise --source atmo-occitanie --station FR12021 "
                            "--pollutant NO2"});
  return {app, [impact, impact_options, normalise_options](CommandContext& context) {
            if (impact->parsed()) {
              const ImpactOptions& o = *impact_options;
              const SourceConfig& source = context.config.source(o.source);
              pipeline::require_air_quality_source(source);
              require_pollutant(o.pollutant);
              pipeline::ImpactQuery query;
              query.station_code = o.station;
              query.pollutant = o.pollutant;
              query.intervention = pipeline::parse_day(o.intervention);
              query.before_days = o.before_days.value_or(context.config.analysis_job.before_days);
              query.after_days = o.after_days.value_or(context.config.analysis_job.after_days);
              query.method = o.method == "counterfactual" ? analysis::ImpactMethod::counterfactual
                                                          : analysis::ImpactMethod::normalised;
              query.seed = o.seed;
              Database db = Database::connect(context.config.database, &context.log);
              require_current_schema(db, bundled_migrations());
              const pipeline::ImpactReport report =
                  pipeline::estimate_station_impact(db, context.config, source, query, context.log);
              if (o.format == "json") {
                print_impact_json(context.out, query, report);
              } else {
                print_impact_table(context.out, query, report);
              }
              return 0;
            }
            const NormaliseOptions& o = *normalise_options;
            const SourceConfig& source = context.config.source(o.source);
            pipeline::require_air_quality_source(source);
            if (!o.pollutant.empty()) require_pollutant(o.pollutant);
            Database db = Database::connect(context.config.database, &context.log);
            require_current_schema(db, bundled_migrations());
            const pipeline::NormaliseSummary summary = pipeline::normalise_source(
                db, context.config, source, {o.station, o.pollutant}, context.log);
            print_normalise_summary(context.out, summary);
            return 0;
          }};
}

}  // namespace meteo
