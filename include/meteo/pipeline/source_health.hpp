// The health verdict of each configured source, shared by `status` and the metrics of `run`.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

#include "meteo/config/config.hpp"
#include "meteo/core/time.hpp"
#include "meteo/store/reports.hpp"

namespace meteo::pipeline {

// Ordered by severity: the worst verdict among the sources is the exit code of `status`.
enum class HealthVerdict { healthy = 0, stale = 1, never_run = 2 };

std::string_view verdict_name(HealthVerdict verdict);  // healthy, stale, never_run

struct SourceHealthReport {
  const SourceConfig* source = nullptr;
  SourceState state;
  std::chrono::minutes stale_after{90};
  std::optional<std::chrono::seconds> staleness;  // since the last success; none if never
  HealthVerdict verdict = HealthVerdict::never_run;
};

// Never run: no success at all. Stale: the last success is older than `stale_after`.
SourceHealthReport judge_source(const SourceConfig& source, SourceState state, UtcSeconds now,
                                std::chrono::minutes stale_after);

// Every configured source, read from the database at `now`.
std::vector<SourceHealthReport> read_source_health_reports(Database& db, const Config& config,
                                                           UtcSeconds now);

// 2 (a source never succeeded) beats 1 (a source is stale) beats 0; no source is healthy.
HealthVerdict worst_verdict(const std::vector<SourceHealthReport>& reports);

}  // namespace meteo::pipeline
