#include "alert_output.hpp"

#include "meteo/core/errors.hpp"
#include "meteo/core/time.hpp"
#include "meteo/store/alerts.hpp"
#include "meteo/store/forecasts.hpp"
#include "view_rows.hpp"

namespace meteo {
namespace {

using nlohmann::json;

constexpr const char* kIndicativeAlertsNote =
    "indicative, not official vigilance (Météo-France's vigilance is decided by forecasters)";

json optional_time(const std::optional<UtcSeconds>& moment) {
  return moment ? json(to_iso8601(*moment)) : json(nullptr);
}

ViewRows alerts_view(const std::vector<AlertRow>& rows) {
  ViewRows view{{{"Id", "id"},
                 {"Kind", "kind"},
                 {"Level", "level"},
                 {"Subject", "subject"},
                 {"Scope", "scope_type"},
                 {"Source", "source"},
                 {"Place", "scope_id"},
                 {"Start", "start"},
                 {"End", "end"},
                 {"Peak", "peak_value"},
                 {"PeakAt", "peak_at"},
                 {"Threshold", "threshold"},
                 {"Unit", "unit"},
                 {"Triggers", "triggers"},
                 {"Withdrawn", "withdrawn_at"},
                 {"Rule", "rule_version"}},
                {}};
  for (const AlertRow& row : rows) {
    view.rows.push_back({row.id, row.kind, row.level, row.subject, row.scope_type, row.source,
                         row.scope_id, to_iso8601(row.start), optional_time(row.end),
                         row.peak_value, to_iso8601(row.peak_at), row.threshold, row.unit,
                         row.triggers, optional_time(row.withdrawn_at), row.rule_version});
  }
  return view;
}

ViewRows skill_view(const std::vector<ForecastSkillRow>& rows) {
  ViewRows view{{{"Source", "source"},
                 {"Station", "dataset_id"},
                 {"Quantity", "quantity"},
                 {"HorizonH", "horizon_h"},
                 {"Window", "window"},
                 {"Model", "model"},
                 {"Mae", "mae"},
                 {"Rmse", "rmse"},
                 {"SkillVsPersistence", "skill_vs_persistence"},
                 {"Cases", "cases"},
                 {"From", "window_start"},
                 {"To", "window_end"}},
                {}};
  for (const ForecastSkillRow& row : rows) {
    view.rows.push_back({row.source, row.dataset_id, row.quantity, row.horizon_h, row.skill_window,
                         row.model, row.mae, row.rmse, optional_cell(row.skill_vs_persistence),
                         row.cases, to_iso8601(row.window_start), to_iso8601(row.window_end)});
  }
  return view;
}

}  // namespace

void add_alert_query_options(CLI::App& app, AlertQueryOptions& options) {
  app.add_flag("--active", options.active, "only the alerts still open");
  app.add_flag("--withdrawn", options.withdrawn,
               "also the alerts withdrawn after a correction removed their trigger");
  app.add_option("--from", options.from, "alerts still open at or after this UTC hour")
      ->type_name("HOUR");
  app.add_option("--to", options.to, "end UTC hour, exclusive: alerts starting before it")
      ->type_name("HOUR");
  app.add_option("--format", options.format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
  app.add_option("--limit", options.limit, "at most this many alerts, newest first")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
}

void add_forecast_skill_options(CLI::App& app, ForecastSkillOptions& options) {
  app.add_option("--source", options.source, "only this station network")->type_name("NAME");
  app.add_option("--station", options.station, "only this station (its dataset)")
      ->type_name("DATASET");
  app.add_option("--format", options.format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
}

void run_alert_query(Database& db, const AlertQueryOptions& options, std::ostream& out) {
  AlertFilter filter;
  filter.active_only = options.active;
  filter.include_withdrawn = options.withdrawn;
  filter.limit = options.limit;
  if (!options.from.empty()) filter.from = parse_hour(options.from);
  if (!options.to.empty()) filter.to = parse_hour(options.to);
  if (filter.from && filter.to && *filter.to <= *filter.from) {
    throw Error(ExitCode::usage,
                "query alerts: --from " + options.from + " must be before --to " + options.to);
  }
  if (options.format == "table") out << "Alerts: " << kIndicativeAlertsNote << "\n";
  print_view(out, alerts_view(query_alerts(db, filter)), options.format);
}

void run_forecast_skill_query(Database& db, const ForecastSkillOptions& options,
                              std::ostream& out) {
  print_view(out, skill_view(query_forecast_skill(db, options.source, options.station)),
             options.format);
}

}  // namespace meteo
