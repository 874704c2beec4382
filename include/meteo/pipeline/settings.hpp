// The pipeline's settings ([monitoring], [cache], [verify], the analysis job's part of [analysis]
// and [[interventions]]): source health, the metrics file, the region-index cache, verify-after-run
// and the analysis windows are the run's concerns. Plain structs.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "meteo/analysis/settings.hpp"

namespace meteo {

// What `status` and the Prometheus textfile tell monitoring.
struct MonitoringConfig {
  // A source without a success for longer is stale (`status` exits 1). Unset in [monitoring]: the
  // [dashboard] value when there is one, so the page and `status` agree.
  int stale_after_minutes = 90;
  std::vector<std::pair<std::string, int>> stale_after_minutes_by_source;  // overrides
  std::filesystem::path metrics_file;  // *.prom written by `run`; empty: none

  // Inline, so this header needs no library behind it.
  int stale_after_minutes_for(std::string_view source) const {
    for (const auto& [name, minutes] : stale_after_minutes_by_source) {
      if (name == source) return minutes;
    }
    return stale_after_minutes;
  }
};

// [watch]: how `meteo-etl watch` backs off a failing source. The first retry waits the source's
// cadence or 30 s, whichever is smaller, then doubles per consecutive failure (with jitter) up to
// backoff_max; a success resets it.
struct WatchConfig {
  std::chrono::milliseconds backoff_max{std::chrono::seconds(900)};  // backoff_max_seconds
};

// Derived files that are safe to delete: today the region index, one file per region set
// version and index format (see make_indexed_matcher).
struct CacheConfig {
  std::filesystem::path dir = "cache";  // relative paths are relative to the config file
};

struct VerifyConfig {
  bool after_run = false;  // `run` checks the hours it touched (meteo-etl verify) before exiting
};

// What `analyze` reads beside the learner's settings (config.analysis): the window around an
// intervention ([analysis] before_days, after_days) and the city's [[interventions]].
struct AnalysisJobConfig {
  int before_days = 365;  // `analyze impact` reads [D - before_days, D + after_days)
  int after_days = 365;
  std::vector<analysis::Intervention> interventions;  // names unique, in file order
};

}  // namespace meteo
