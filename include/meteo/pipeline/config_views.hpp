// The views of the configuration the stages take: only the composition roots (pipeline, cli) see
// Config, so a stage states what it reads and can be called without a whole configuration.
#pragma once

#include <vector>

#include "meteo/config/config.hpp"
#include "meteo/dashboard/dashboard_writer.hpp"
#include "meteo/model/source_scope.hpp"
#include "meteo/store/verify.hpp"

namespace meteo::pipeline {

// A source with a [stations] table is a station network; every other one is a sensor feed.
SourceKind source_kind(const SourceConfig& source);

// Every configured source, in the configuration's order.
std::vector<SourceScope> source_scopes(const Config& config);

VerifyScope verify_scope(const Config& config);

dashboard::DashboardInputs dashboard_inputs(const Config& config);

}  // namespace meteo::pipeline
