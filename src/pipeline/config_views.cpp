#include "meteo/pipeline/config_views.hpp"

#include "meteo/store/verify.hpp"

namespace meteo::pipeline {

SourceKind source_kind(const SourceConfig& source) {
  if (source.stations) return SourceKind::station_network;
  if (source.air_quality) return SourceKind::air_quality;
  return SourceKind::sensor_feed;
}

std::vector<SourceScope> source_scopes(const Config& config) {
  std::vector<SourceScope> scopes;
  scopes.reserve(config.sources.size());
  for (const auto& source : config.sources) {
    scopes.push_back({source.name, source_kind(source), source.region_sets, source.display_name});
  }
  return scopes;
}

VerifyScope verify_scope(const Config& config) {
  return {source_scopes(config), config.archive};
}

dashboard::DashboardInputs dashboard_inputs(const Config& config) {
  // No [dashboard] table: DashboardConfig's defaults, which are the dashboard's own.
  return {config.dashboard.value_or(DashboardConfig{}), source_scopes(config), config.region_sets,
          config.analysis_job.interventions};
}

}  // namespace meteo::pipeline
