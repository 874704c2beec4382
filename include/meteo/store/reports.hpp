// What `status` and the health checks read back: the 3-hours-before view, runs, source state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "meteo/core/time.hpp"
#include "meteo/model/run_counts.hpp"
#include "meteo/model/source_kind.hpp"
#include "meteo/store/database.hpp"
#include "meteo/store/region_sets.hpp"

namespace meteo {

struct Temperature3hRow {
  std::string region_set;
  std::string region;
  UtcSeconds hour;
  double temperature = 0;
  std::optional<double> temperature_3h_before;
};

// Rows of the view region_temperature_3h, newest hour first, then region name.
std::vector<Temperature3hRow> query_temperature_3h(Database& db, std::size_t limit = 1000);

struct RunRecord {
  std::int64_t id = 0;
  std::string source;
  UtcSeconds hour;
  std::string started_at, finished_at;  // as the database prints them, UTC
  std::string status;                   // running, succeeded, failed
  RunCounts counts;
  std::string message;
};

// A measurement dataset of a station network (schema version 2). Defined here rather than in
// station_store.hpp, which includes this header: StatusReport needs the complete type.
struct DatasetState {
  std::string source, dataset_id;
  std::string status;  // active, skipped
  std::string reason;  // why it is skipped; empty when active
  std::optional<UtcSeconds> read_through, newest_observation;
};

struct StatusReport {
  int schema_version = 0;  // 0 when not migrated
  int bundled_version = 0;
  std::vector<RunRecord> recent_runs;  // newest first
  std::vector<RegionSetRecord> region_sets;
  std::vector<DatasetState> datasets;  // by source and dataset; empty before schema version 2
};

StatusReport read_status(Database& db, std::size_t run_limit = 20);

// ---- source health: `status` verdicts and the Prometheus textfile ---------------------------

// A finished ledger row.
struct FinishedRun {
  std::int64_t id = 0;
  UtcSeconds hour;
  UtcSeconds finished_at;
  std::string status;   // succeeded or failed
  std::string message;  // why it failed
  RunCounts counts;
};

// What the ledger and the data say about one source. Replay runs (schema 3) are left out of the
// last runs: re-loading an archived payload says nothing about the source being alive.
struct SourceState {
  std::optional<FinishedRun> last_success, last_failure, last_finished;
  std::optional<UtcSeconds> newest_succeeded_hour;  // the sensor feed's watermark
  // In the UTC day of `now`. Sensor: `stored` of the day's succeeded runs; station network: the
  // observations measured that day.
  std::size_t rows_today = 0;
};

// Works on an unmigrated database too (a source there has never run). `kind` says which rows count
// as today's.
SourceState read_source_state(Database& db, const std::string& source, SourceKind kind,
                              UtcSeconds now);

}  // namespace meteo
