#include "forecast_after_run.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "meteo/core/log_fields.hpp"
#include "meteo/forecast/forecast.hpp"
#include "meteo/store/forecasts.hpp"

namespace meteo::pipeline {
namespace {

// A backfill issues at most this many hours per station (the newest): two days of issues cost
// seconds, a year's would cost the run an hour.
constexpr int kMaxIssuesPerRun = 48;
// The live skill is measured over the scored forecasts of this many days.
constexpr int kLiveSkillDays = 30;

// Issues at each unissued hour of [from, through] for one station.
std::size_t issue_station(Database& db, const ForecastRun& run, const std::string& dataset,
                          UtcSeconds from, UtcSeconds through) {
  const auto hours = unissued_hours(db, run.source, dataset, from, through);
  if (hours.empty()) return 0;
  const forecast::HourlySeries series = read_forecast_series(
      db, run.source, dataset,
      hours.front() - std::chrono::days(forecast::history_days(run.settings)), hours.back());
  std::size_t issues = 0;
  for (const UtcSeconds hour : hours) {
    const auto issue = forecast::forecast_station(series, hour, run.settings);
    if (!issue) continue;  // not enough history yet
    write_station_forecast(db, run.source, dataset, *issue, run.run_id);
    ++issues;
  }
  return issues;
}

}  // namespace

ForecastTally forecast_after_run(Database& db, const ForecastRun& run,
                                 const std::optional<HourSpan>& observed, spdlog::logger& log) {
  ForecastTally tally;
  if (!run.settings.enabled || !observed) return tally;
  // The newest complete hour: the run's own hour is still filling.
  const UtcSeconds through =
      std::min(observed->last, floor_to_hour(run.now) - std::chrono::hours(1));
  const UtcSeconds from =
      std::max(observed->first, through - std::chrono::hours(kMaxIssuesPerRun - 1));
  std::vector<std::string> datasets;
  try {
    datasets = datasets_with_hours(db, run.source, observed->first, observed->last);
  } catch (const std::exception& error) {
    log.warn("source {}: no forecasts: {}", run.source, error.what());
    return tally;
  }
  for (const std::string& dataset : datasets) {
    try {
      if (from <= through) tally.issues += issue_station(db, run, dataset, from, through);
      // After issuing: a backfill's issues whose targets it stored too are scored now, as the
      // later runs score only the targets of the hours they load.
      tally.scored += score_station_forecasts(db, run.source, dataset, observed->first, run.now,
                                              kLiveSkillDays);
      ++tally.stations;
    } catch (const std::exception& error) {
      ++tally.failed;
      log_with(log, spdlog::level::warn,
               LogFields().add("source", run.source).add("dataset", dataset),
               "source {} dataset {}: no forecast this run: {}", run.source, dataset, error.what());
    }
  }
  log_with(log, spdlog::level::debug,
           LogFields()
               .add("source", run.source)
               .add("stations", tally.stations)
               .add("issues", tally.issues)
               .add("scored", tally.scored),
           "source {}: forecasts for {} stations, {} issues, {} scored", run.source, tally.stations,
           tally.issues, tally.scored);
  return tally;
}

}  // namespace meteo::pipeline
