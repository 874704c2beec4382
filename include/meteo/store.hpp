// MySQL/MariaDB: connection, migrations, region sets, the run ledger and the transactional load.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "meteo/archive.hpp"
#include "meteo/geo/settings.hpp"  // RegionSetConfig: a set is stored with where it comes from
#include "meteo/model.hpp"
#include "meteo/model/run_counts.hpp"
#include "meteo/model/source_kind.hpp"
#include "meteo/store/settings.hpp"
#include "meteo/time.hpp"

namespace sql {
class Connection;
}

namespace spdlog {
class logger;
}

namespace meteo {

// How a load transaction that hit a deadlock or a lock wait timeout is re-run.
struct TransactionRetry {
  int retries = 3;                         // re-runs after the first attempt
  std::chrono::milliseconds backoff{250};  // before the first re-run, doubled for each next one
  spdlog::logger* log = nullptr;           // warned at each re-run; none: re-runs are silent
};

// One connection, session in UTC and utf8mb4, closed on destruction.
class Database {
 public:
  // Throws Error(temporary) naming host/socket when the server cannot be reached or refuses us.
  // `log` receives the warnings of re-run transactions.
  static Database connect(const DatabaseConfig& config, spdlog::logger* log = nullptr);
  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;
  ~Database();

  sql::Connection& connection();
  void execute(const std::string& statement);  // one statement, no result
  const TransactionRetry& transaction_retry() const { return retry_; }

  // Whether loads may send fresh rows by LOAD DATA LOCAL INFILE: [database] load_data_local, until
  // the client or server refuses it, after which this session uses INSERT (warned once).
  bool bulk_load_allowed() const { return bulk_load_allowed_; }
  void refuse_bulk_load(const std::string& why);

  // The GET_LOCK name that marks the ledger run this session loads as alive (begin_run). A
  // session loads one run at a time: holding a new one releases the previous.
  void hold_run_lock(std::string name);

 private:
  Database(std::unique_ptr<sql::Connection> connection, TransactionRetry retry,
           bool bulk_load_allowed);
  std::unique_ptr<sql::Connection> connection_;
  TransactionRetry retry_;
  bool bulk_load_allowed_ = false;
  std::string run_lock_;
};

// ---- migrations -------------------------------------------------------------------------------

struct Migration {
  int version = 0;   // from the file name: 0001_initial.sql -> 1
  std::string name;  // the file name
  std::string sql;   // statements separated by ';' at end of line
};

// The files of sql/migrations/, embedded at build time, in version order.
const std::vector<Migration>& bundled_migrations();

// Splits a migration into statements (';' outside quotes and comments ends one).
std::vector<std::string> split_sql_statements(std::string_view script);

struct MigrationReport {
  std::vector<std::string> applied;  // names applied by this call
  int schema_version = 0;
};

// Applies pending migrations in order, each recorded in schema_migrations with its SHA-256.
// Throws Error(config) when an applied migration's checksum no longer matches its file.
MigrationReport apply_migrations(Database& db, const std::vector<Migration>& migrations);

// Throws Error(config, "schema not migrated: run `meteo-etl migrate`") unless every migration is
// applied with a matching checksum. Returns the schema version.
int require_current_schema(Database& db, const std::vector<Migration>& migrations);

// ---- region sets ------------------------------------------------------------------------------

// A set's identity is its name and its version (the checksum of its document): a name holds one
// version, and only replace_region_set gives it another.

// What the database holds under a set's name.
struct RegionSetRecord {
  std::string name, checksum, location, loaded_at;
  std::size_t region_count = 0;
};

// Stores a set under a name not in use, in one transaction. Returns false (and changes nothing)
// when the stored version already has this checksum. Throws Error(config) naming the set, both
// versions and where each comes from when the name holds another version.
bool save_region_set(Database& db, const RegionSetConfig& config, const RegionSet& set);

// Which region of the set being stored covers a point (its index in RegionSet::regions), if any.
using RegionLocator = std::function<std::optional<std::size_t>(double lon, double lat)>;

struct RegionSetReplacement {
  bool changed = false;                          // false: this version was already stored
  std::optional<std::string> previous_checksum;  // nothing: the name was not in use
  std::size_t readings_moved = 0;                // stored readings whose region in the set changed
  std::size_t stations_moved = 0;                // stations whose region in the set changed
  std::size_t hours_recomputed = 0;              // hours of the set's aggregates recomputed
};

// Stores the set whatever version its name holds and, in the same transaction, re-matches every
// stored reading and station of the set with `locate` and recomputes the set's aggregates of every
// hour that has a row or a measurement: `verify` passes right after, and a crash leaves the old
// version whole. Runs of sources that feed the set wait for it (they lock the set's row first).
RegionSetReplacement replace_region_set(Database& db, const RegionSetConfig& config,
                                        const RegionSet& set, const RegionLocator& locate);

// The version stored under `name`, if any.
std::optional<RegionSetRecord> find_region_set(Database& db, const std::string& name);

// Throws Error(config, "no regions loaded for set X: run `meteo-etl regions load`") when empty.
RegionSet load_region_set(Database& db, const std::string& name);

// ---- the run ----------------------------------------------------------------------------------

// GET_LOCK on the source: released on destruction. try_acquire returns nothing when busy, after
// a grace of 2 s: the session of a run just killed may still hold the lock for a moment.
class SourceLock {
 public:
  static std::optional<SourceLock> try_acquire(Database& db, const std::string& source);
  SourceLock(SourceLock&&) noexcept;
  SourceLock& operator=(SourceLock&&) = delete;
  ~SourceLock();

 private:
  SourceLock(Database& db, std::string name);
  Database* db_;
  std::string name_;
};

// A run fetches from its source; a replay re-reads one archived payload.
enum class RunKind { fetch, replay };

// Inserts the ledger row (status 'running') and returns its id. The row commits together with a
// GET_LOCK that this session holds while the run is alive ("meteo-etl:<db>:run:<id>", until the
// session begins another run or ends): close_abandoned_runs never takes a live run for a dead one.
std::int64_t begin_run(Database& db, const std::string& source, UtcSeconds hour,
                       RunKind kind = RunKind::fetch,
                       std::optional<std::int64_t> replayed_payload = std::nullopt);

// Records a durable archive file in raw_payloads (autocommit) and returns its id; a path already
// recorded (a replay of a file whose row survived) returns the existing id.
std::int64_t record_raw_payload(Database& db, const ArchivedPayload& payload);

struct RawPayloadRecord {
  std::int64_t id = 0;
  std::string sha256;  // of the body as received
  bool pruned = false;
};

// The ledger's record of an archive file, if any.
std::optional<RawPayloadRecord> find_raw_payload(Database& db,
                                                 const std::filesystem::path& relative_path);

// Marks files deleted by retention (raw_payloads.pruned_at).
void mark_raw_payloads_pruned(Database& db, const std::vector<std::filesystem::path>& paths);

// Marks a run failed with its message (autocommit; after the data transaction rolled back).
void fail_run(Database& db, std::int64_t run_id, const std::string& message);

// Marks failed, with a message starting "abandoned:", every 'running' row of `source` whose run
// lock (see begin_run) no session holds: runs that died (killed, or their connection lost) before
// recording their outcome. Live runs of the source, such as the other workers of a sharded run,
// are left alone. Returns how many rows it closed.
std::size_t close_abandoned_runs(Database& db, const std::string& source);

// What one run loads, besides its readings.
struct RunHeader {
  std::int64_t run_id = 0;
  std::string source;
  UtcSeconds hour;
  UtcMicros fetched_at;  // of the payload: a reading keeps the values of its newest payload
  std::vector<const RegionSet*> region_sets;  // same order as MatchedReading::region_index
};

// Where a run's producer puts its batches, inside the load's transaction. Each reading id appears
// once in the whole run (the producer deduplicates), so a batch never sees another's readings.
class RunSink {
 public:
  virtual ~RunSink() = default;
  virtual void add_readings(const std::vector<MatchedReading>& readings) = 0;
  virtual void add_rejected(const std::vector<RejectedRecord>& rejected) = 0;
};

// Puts every batch of a run into the sink and returns the counts known upstream (fetched,
// rejected, duplicates, outside, disagreements, other_shards). Called again from the start when
// the transaction is retried, so it must produce the same batches each time.
using RunProducer = std::function<RunCounts(RunSink&)>;

// In one transaction: upserts readings (a stored id keeps its hour, the earliest that carried it;
// its values and matches are those of the newest payload that carried it, so payloads may be
// loaded in any order), records rejects (a record already rejected for this source and hour is not
// stored twice), recomputes the aggregate of every touched hour from the stored readings, and
// marks the ledger row succeeded with the final counts. Rolls back and rethrows on any error. The
// readings stream through in batches: memory is bounded by the biggest batch, not by the run.
RunCounts load_run(Database& db, const RunHeader& run, const RunProducer& produce);

// A whole run held in memory: one batch.
struct RunBatch {
  std::int64_t run_id = 0;
  std::string source;
  UtcSeconds hour;
  UtcMicros fetched_at;
  std::vector<const RegionSet*> region_sets;
  std::vector<MatchedReading> readings;  // one per id (already deduplicated)
  std::vector<RejectedRecord> rejected;
  RunCounts counts;  // fetched, rejected, duplicates, outside, disagreements filled by the caller
};

RunCounts load_run(Database& db, const RunBatch& batch);

// ---- reading it back --------------------------------------------------------------------------

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

// ---- source health: `status` verdicts and the Prometheus textfile ------------------------------

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

// ---- versions ----------------------------------------------------------------------------------

// The MySQL connector this binary runs with, from its driver (no connection needed).
std::string connector_version();

// The highest migration number this build carries: the schema it expects.
int latest_schema_version();

}  // namespace meteo
