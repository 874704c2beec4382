// Private helpers of the store's transactional loads (load_run, load_station_batch, and the
// station sync for its region set locks): the transaction they run in, how a batch compares with
// what is stored, the rejects they keep and the ledger step that marks a run succeeded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "meteo/model/change.hpp"
#include "meteo/model/records.hpp"
#include "meteo/model/run_counts.hpp"
#include "meteo/store/database.hpp"
#include "sql_support.hpp"

namespace meteo::store {

// Locks the sets' region_sets rows in name order: every load that rewrites a set's aggregates
// takes these locks first, so two never recompute the same hour at once, and rows are locked in
// one order: no deadlock. Throws Error(temporary) when a set's stored version is no longer the
// one the load matched with (it was replaced meanwhile).
void lock_region_sets(sql::Connection& connection, const std::vector<const RegionSet*>& sets);

// Inside a load's transaction: writes the session's leases (confirm_leases), so the load commits
// only while this session still owns its source and run, on a cluster as on one server.
void confirm_held_leases(Database& db);

// Runs `load` in one transaction and commits what it returns. READ COMMITTED: the aggregates'
// INSERT ... SELECT then reads without share-locking other sources' rows of the hour (which could
// deadlock with their loads); the region set locks, taken first, already order the loads that
// share aggregates. `step` says what the load is doing (`load` moves it on): a driver error rolls
// the transaction back and is rethrown as an Error naming `purpose` and that step.
// Before committing, the session's leases are confirmed (confirm_held_leases).
template <class Load>
auto run_load(Database& db, const std::vector<const RegionSet*>& region_sets,
              const std::string& purpose, std::string& step, Load&& load) -> decltype(load()) {
  auto& connection = db.connection();
  try {
    Transaction transaction(connection, Transaction::Isolation::read_committed);
    step = "locking the region sets";
    lock_region_sets(connection, region_sets);
    auto result = load();
    step = "confirming this run's locks";
    confirm_held_leases(db);
    step = "committing";
    transaction.commit();
    return result;
  } catch (const sql::SQLException& error) {
    throw_error(error, purpose + ": " + step);
  }
}

// Whether a transaction that failed with this server error may succeed when re-run from the
// start: a deadlock (1213, the server rolled it back) or a lock wait timeout (1205). A lost
// connection (2006, 2013) is not: the session's GET_LOCK on the source went with it, so another
// run may already be loading; the run fails with 75 and cron's next run starts clean.
bool is_retryable_transaction_error(int mysql_error);

// Warns through retry.log that attempt `failed_attempt` failed with `error` and will be re-run,
// then waits retry.backoff doubled per earlier re-run, with jitter so that two loads which
// deadlocked on each other do not collide again.
void wait_before_retry(const TransactionRetry& retry, int failed_attempt, const Error& error);

// Runs `attempt` (one whole load transaction) and re-runs it after a deadlock or a lock wait
// timeout, at most retry.retries times; then throws Error(temporary) with the last failure.
// `attempt` must start from nothing each time: build a fresh loader inside it, so nothing read by
// a rolled-back attempt leaks into the next.
template <class Attempt>
auto with_transaction_retries(const TransactionRetry& retry, Attempt&& attempt)
    -> decltype(attempt()) {
  for (int attempts = 1;; ++attempts) {
    try {
      return attempt();
    } catch (const DatabaseError& error) {
      if (!is_retryable_transaction_error(error.mysql_error())) throw;
      if (attempts > retry.retries) {
        throw Error(ExitCode::temporary, std::string(error.what()) + "; gave up after " +
                                             std::to_string(attempts) + " attempt(s)");
      }
      wait_before_retry(retry, attempts, error);
    }
  }
}

// Stored rows are looked up (and locked) this many keys at a time.
inline constexpr std::size_t kLookupChunk = 500;

// Calls `chunk(first, end)` over [0, size) in pieces of at most kLookupChunk.
void for_each_lookup_chunk(std::size_t size,
                           const std::function<void(std::size_t, std::size_t)>& chunk);

// The positions of the items to write: all but the unchanged ones.
std::vector<std::size_t> changed_items(const std::vector<Change>& changes);

// Adds the changes to counts.stored, counts.corrections and counts.unchanged.
inline void count_changes(const std::vector<Change>& changes, RunCounts& counts) {
  for (const auto change : changes) {
    ++(change == Change::fresh       ? counts.stored
       : change == Change::corrected ? counts.corrections
                                     : counts.unchanged);
  }
}

// Records the rejected records of a run; each reason gets `reason_prefix` in front. The unique key
// (source, hour, record_sha) keeps a record rejected again in the same hour once.
void insert_rejects(sql::Connection& connection, const std::string& source, std::int64_t run_id,
                    UtcSeconds hour, const std::vector<RejectedRecord>& rejected,
                    const std::string& reason_prefix = "");

// Recomputes the aggregates of every set for every hour from the stored measurements of every
// source, so the result depends only on what is stored. `step` names the set and hour at work.
void recompute_region_hours(sql::Connection& connection,
                            const std::vector<const RegionSet*>& region_sets,
                            const std::set<UtcSeconds>& hours, std::string& step);

// Marks the ledger row of `run_id` (of `source`, when given) succeeded with `counts`; an Error
// (software) when it is not a running run of the ledger.
void mark_run_succeeded(sql::Connection& connection, std::int64_t run_id, const RunCounts& counts,
                        const std::optional<std::string>& source = std::nullopt);

}  // namespace meteo::store
