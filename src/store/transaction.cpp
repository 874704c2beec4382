#include "transaction.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>
#include <thread>

#include "lease_keeper.hpp"
#include "region_aggregates.hpp"

namespace meteo::store {

bool is_retryable_transaction_error(int mysql_error) {
  return mysql_error == 1213 || mysql_error == 1205;
}

void wait_before_retry(const TransactionRetry& retry, int failed_attempt, const Error& error) {
  constexpr int kMaxDoublings = 10;
  const auto ceiling = retry.backoff * (1 << std::min(failed_attempt - 1, kMaxDoublings));
  std::random_device random;
  std::uniform_int_distribution<long long> jitter(ceiling.count() / 2, ceiling.count());
  const std::chrono::milliseconds delay(jitter(random));
  if (retry.log != nullptr) {
    retry.log->warn("{}; transaction rolled back, re-running it in {} ms (attempt {} of {})",
                    error.what(), delay.count(), failed_attempt + 1, retry.retries + 1);
  }
  std::this_thread::sleep_for(delay);
}

void lock_region_sets(sql::Connection& connection, const std::vector<const RegionSet*>& sets) {
  if (sets.empty()) return;
  auto statement =
      prepare(connection, "SELECT name, checksum FROM region_sets WHERE name IN (" +
                              placeholders(sets.size()) + ") ORDER BY name FOR UPDATE");
  Binder binder(*statement);
  for (const auto* set : sets) binder.text(set->name);
  auto rows = run_query(*statement);
  while (rows->next()) {
    const std::string name = text(*rows, 1);
    const std::string stored = text(*rows, 2);
    // The load matched with the version it read before taking the lock: a replacement that
    // committed meanwhile would be undone for its readings.
    for (const auto* set : sets) {
      if (set->name == name && set->checksum != stored) {
        throw Error(ExitCode::temporary,
                    "region set " + name + " was replaced by version " + stored +
                        " while this load matched against version " + set->checksum +
                        " (regions load --replace): nothing was loaded; run it again");
      }
    }
  }
  // A row lock holds on one server only; a write is certified across a cluster's nodes too.
  auto write = prepare(connection, "UPDATE region_sets SET loads = loads + 1 WHERE name IN (" +
                                       placeholders(sets.size()) + ")");
  Binder written(*write);
  for (const auto* set : sets) written.text(set->name);
  write->executeUpdate();
}

void confirm_held_leases(Database& db) {
  auto& leases = db.leases();
  confirm_leases(db.connection(), leases.held(), leases.ttl());
}

void for_each_lookup_chunk(std::size_t size,
                           const std::function<void(std::size_t, std::size_t)>& chunk) {
  for (std::size_t first = 0; first < size; first += kLookupChunk) {
    chunk(first, std::min(first + kLookupChunk, size));
  }
}

std::vector<std::size_t> changed_items(const std::vector<Change>& changes) {
  std::vector<std::size_t> items;
  for (std::size_t i = 0; i < changes.size(); ++i) {
    if (changes[i] != Change::unchanged) items.push_back(i);
  }
  return items;
}

void insert_rejects(sql::Connection& connection, const std::string& source, std::int64_t run_id,
                    UtcSeconds hour, const std::vector<RejectedRecord>& rejected,
                    const std::string& reason_prefix) {
  const MultiRowInsert insert{
      "INSERT INTO rejected_records (source, run_id, hour, position, reason, record, record_sha,"
      " created_at)",
      "(?, ?, ?, ?, ?, ?, SHA2(?, 256), UTC_TIMESTAMP(3))", "ON DUPLICATE KEY UPDATE id = id", 200};
  insert_rows(
      connection, insert, rejected.size(),
      [&](Binder& binder, std::size_t row) {
        const auto& record = rejected[row];
        binder.text(source)
            .int64(run_id)
            .datetime(hour)
            .count(record.position)
            .text(reason_prefix + record.reason)
            .text(record.record_json)
            .text(record.record_json);
      },
      [&](std::size_t row) {
        return 2 * rejected[row].record_json.size() + reason_prefix.size() +
               rejected[row].reason.size();
      });
}

void recompute_region_hours(sql::Connection& connection,
                            const std::vector<const RegionSet*>& region_sets,
                            const std::set<UtcSeconds>& hours, std::string& step) {
  if (hours.empty()) return;
  const std::string span = hours.size() == 1 ? to_sql_datetime(*hours.begin())
                                             : std::to_string(hours.size()) + " hours from " +
                                                   to_sql_datetime(*hours.begin()) + " to " +
                                                   to_sql_datetime(*hours.rbegin());
  for (const auto* set : region_sets) {
    step = "recomputing the aggregates of set " + set->name + " for " + span;
    recompute_region_hours(connection, set->name, hours);
  }
}

void mark_run_succeeded(sql::Connection& connection, std::int64_t run_id, const RunCounts& counts,
                        const std::optional<std::string>& source) {
  auto update = prepare(
      connection,
      std::string("UPDATE etl_runs SET status = 'succeeded', finished_at = UTC_TIMESTAMP(3),"
                  " fetched = ?, rejected = ?, duplicates = ?, outside = ?, disagreements = ?,"
                  " `stored` = ?, corrections = ?, unchanged = ? WHERE id = ?") +
          (source ? " AND source = ?" : "") + " AND status = 'running'");
  Binder binder(*update);
  binder.count(counts.fetched)
      .count(counts.rejected)
      .count(counts.duplicates)
      .count(counts.outside)
      .count(counts.disagreements)
      .count(counts.stored)
      .count(counts.corrections)
      .count(counts.unchanged)
      .int64(run_id);
  if (source) binder.text(*source);
  if (update->executeUpdate() != 1) {
    throw Error(ExitCode::software, "run " + std::to_string(run_id) +
                                        (source ? " of source " + *source : std::string()) +
                                        " is not a running run of the ledger");
  }
}

}  // namespace meteo::store
