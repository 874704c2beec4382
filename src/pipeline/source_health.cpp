#include "meteo/pipeline/source_health.hpp"

#include <algorithm>

#include "meteo/pipeline/config_views.hpp"
#include "meteo/store/reports.hpp"

namespace meteo::pipeline {

std::string_view verdict_name(HealthVerdict verdict) {
  switch (verdict) {
    case HealthVerdict::healthy:
      return "healthy";
    case HealthVerdict::stale:
      return "stale";
    case HealthVerdict::never_run:
      return "never_run";
  }
  return "never_run";
}

SourceHealthReport judge_source(const SourceConfig& source, SourceState state, UtcSeconds now,
                                std::chrono::minutes stale_after) {
  SourceHealthReport report{
      .source = &source, .state = std::move(state), .stale_after = stale_after};
  if (!report.state.last_success) return report;
  // A success stamped after `now` (a clock ahead of ours) is as fresh as can be, not negative.
  report.staleness =
      std::max(std::chrono::seconds(0), now - report.state.last_success->finished_at);
  report.verdict = *report.staleness > stale_after ? HealthVerdict::stale : HealthVerdict::healthy;
  return report;
}

std::vector<SourceHealthReport> read_source_health_reports(Database& db, const Config& config,
                                                           UtcSeconds now) {
  std::vector<SourceHealthReport> reports;
  for (const SourceConfig& source : config.sources) {
    const std::chrono::minutes stale_after(config.monitoring.stale_after_minutes_for(source.name));
    reports.push_back(judge_source(
        source, read_source_state(db, source.name, source_kind(source), now), now, stale_after));
  }
  return reports;
}

HealthVerdict worst_verdict(const std::vector<SourceHealthReport>& reports) {
  HealthVerdict worst = HealthVerdict::healthy;
  for (const auto& report : reports) worst = std::max(worst, report.verdict);
  return worst;
}

}  // namespace meteo::pipeline
