// `meteo-etl verify`: checks, in SQL over whole sets of rows, that what landed is consistent
// (aggregates, ledger, region matches, views, watermarks). Part of the store module.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "meteo/archive/settings.hpp"
#include "meteo/core/time.hpp"
#include "meteo/model/source_scope.hpp"
#include "meteo/store/database.hpp"

namespace meteo {

// Hours in [from, to); an open end reaches the first (or last) stored hour.
struct VerifyWindow {
  std::optional<UtcSeconds> from, to;
};

struct VerifyCheck {
  std::string name;     // aggregates, ledger, regions, views, watermarks
  std::string checked;  // what was checked, in a sentence
  std::size_t violation_count = 0;
  std::vector<std::string> violations;  // the first kListedViolations, each naming its row

  bool passed() const { return violation_count == 0; }
};

inline constexpr std::size_t kListedViolations = 20;

struct VerifyReport {
  VerifyWindow window;
  std::vector<VerifyCheck> checks;  // always the five, in the order above

  bool passed() const;
};

// What verify reads of the configuration: the configured sources (in the configuration's order)
// and the raw archive their payloads went to.
struct VerifyScope {
  std::vector<SourceScope> sources;
  ArchiveConfig archive;
};

// Runs every check over `window`. Sensor and station sources, their region sets and the raw
// archive come from `scope`; `now` bounds the watermarks. Only the ledger check reads files: the
// archived payloads of the window of the configured sources (another configuration's sources have
// their own archive root). Checks of stored rows that need no configuration (aggregates, the run
// ids of readings, unknown region codes, station watermarks) cover every source, since a region
// set may be fed by sources of several configurations. Throws Error on database errors (75 when
// temporary).
VerifyReport verify_stored_data(Database& db, const VerifyScope& scope, const VerifyWindow& window,
                                UtcSeconds now);

// The earliest hour holding a reading of `source` whose values run `run_id` wrote last; nothing
// when it wrote none (every reading unchanged). Scans the source's readings: once per run.
std::optional<UtcSeconds> earliest_hour_written_by(Database& db, const std::string& source,
                                                   std::int64_t run_id);

// The newest hour of a succeeded run (or replay) of `source`: no stored reading of the source is in
// a later hour, since a reading's hour is always that of a run that carried it.
std::optional<UtcSeconds> newest_run_hour(Database& db, const std::string& source);

}  // namespace meteo
