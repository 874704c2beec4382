// The run ledger: the source lock, ledger rows, archived payloads, abandoned and failed runs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "meteo/archive/raw_archive.hpp"
#include "meteo/core/time.hpp"
#include "meteo/store/database.hpp"

namespace meteo {

// The source's lock: a GET_LOCK on the server connected to and a lease row for the other nodes of
// a cluster, both released on destruction. try_acquire returns nothing when busy: after a grace
// of 2 s when a run on the same server holds it (the session of a run just killed may still hold
// it for a moment), at once when a run on another node holds an unexpired lease.
class SourceLock {
 public:
  static std::optional<SourceLock> try_acquire(Database& db, const std::string& source);
  SourceLock(SourceLock&&) noexcept;
  SourceLock& operator=(SourceLock&&) = delete;
  ~SourceLock();

 private:
  SourceLock(Database& db, std::string name, std::string lease);
  Database* db_;
  std::string name_;   // of the GET_LOCK
  std::string lease_;  // of the lease row
};

// A run fetches from its source; a replay re-reads one archived payload; a file run (ledger kind
// "ingest") loads a local file given to `ingest --file`; an analysis (ledger kind "analyze")
// fetches nothing: `analyze normalise` recomputing a source's normalised series.
enum class RunKind { fetch, replay, file, analyze };

// The ledger's name of a kind (etl_runs.kind): "run", "replay", "ingest", "analyze".
const char* run_kind_text(RunKind kind);

// Inserts the ledger row (status 'running') and returns its id. The row commits together with the
// run's lease ("run:<id>") and a GET_LOCK that this session holds while the run is alive (until
// the session begins another run or ends): close_abandoned_runs never takes a live run, on any
// node of a cluster, for a dead one.
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

// A run that committed (status 'succeeded'), as `serve` announces it.
struct CommittedRun {
  std::int64_t id = 0;
  std::string source;
  std::string kind;  // run_kind_text's words
  UtcSeconds hour;
};

// What changed in the ledger since a poll: the runs that committed with an id above `after`,
// ascending, at most `limit`; and the lowest id still 'running', since a run begun earlier may
// commit later (the next poll must look from below it).
struct LedgerChanges {
  std::vector<CommittedRun> committed;
  std::optional<std::int64_t> oldest_running;
};
LedgerChanges ledger_changes_after(Database& db, std::int64_t after, std::size_t limit);

// The highest id of the ledger, 0 when it is empty.
std::int64_t newest_run_id(Database& db);

}  // namespace meteo
