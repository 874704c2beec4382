// The run ledger's writes, each committed at once: a run is visible as 'running' while it loads.
#include <algorithm>
#include <chrono>

#include "lease_keeper.hpp"
#include "meteo/core/text.hpp"
#include "meteo/store/ledger.hpp"
#include "sql_support.hpp"

namespace meteo {

namespace {

// TEXT holds 65,535 bytes; cut longer messages on a UTF-8 character boundary.
std::string fit_text(const std::string& message) {
  constexpr std::size_t kLimit = 60000;
  if (message.size() <= kLimit) return message;
  std::size_t end = kLimit;
  while (end > 0 && (static_cast<unsigned char>(message[end]) & 0xC0) == 0x80) --end;
  return message.substr(0, end) + "...";
}

std::int64_t last_insert_id(sql::Connection& connection) {
  auto id = store::prepare(connection, "SELECT LAST_INSERT_ID()");
  auto row = store::run_query(*id);
  row->next();
  return static_cast<std::int64_t>(row->getInt64(1));
}

std::string run_lock_name(sql::Connection& connection, std::int64_t run_id) {
  return store::lock_name(connection, "run:" + std::to_string(run_id));
}

std::string run_lease_name(std::int64_t run_id) {
  return "run:" + std::to_string(run_id);
}

}  // namespace

const char* run_kind_text(RunKind kind) {
  switch (kind) {
    case RunKind::fetch:
      return "run";
    case RunKind::replay:
      return "replay";
    case RunKind::file:
      return "ingest";
    case RunKind::analyze:
      return "analyze";
  }
  return "run";
}

std::int64_t begin_run(Database& db, const std::string& source, UtcSeconds hour, RunKind kind,
                       std::optional<std::int64_t> replayed_payload) {
  auto& connection = db.connection();
  return store::guarded("recording the start of a run of " + source, [&] {
    // The row becomes visible with its lock already held: no recovery can see it unlocked.
    store::Transaction transaction(connection);
    auto insert = store::prepare(
        connection,
        "INSERT INTO etl_runs (source, kind, replayed_payload, hour, started_at, status)"
        " VALUES (?, ?, ?, ?, UTC_TIMESTAMP(3), 'running')");
    store::Binder binder(*insert);
    binder.text(source).text(run_kind_text(kind));
    if (replayed_payload) {
      binder.int64(*replayed_payload);
    } else {
      binder.null_value();
    }
    binder.datetime(hour);
    insert->executeUpdate();
    const std::int64_t run_id = last_insert_id(connection);
    std::string lock = run_lock_name(connection, run_id);
    if (!store::get_lock(connection, lock, 0)) {
      throw Error(ExitCode::software,
                  "run " + std::to_string(run_id) + ": its lock is held by another session");
    }
    auto lease = store::take_lease(connection, run_lease_name(run_id), db.leases().ttl());
    if (!lease) {
      throw Error(ExitCode::software,
                  "run " + std::to_string(run_id) + ": its lease is held by another session");
    }
    transaction.commit();
    db.hold_run_lock(std::move(lock), *lease);
    return run_id;
  });
}

std::int64_t record_raw_payload(Database& db, const ArchivedPayload& payload) {
  auto& connection = db.connection();
  const std::string path = payload.relative_path.generic_string();
  return store::guarded("recording the archive file " + path, [&] {
    // id = LAST_INSERT_ID(id) makes an already recorded path report its own id.
    auto insert = store::prepare(
        connection,
        "INSERT INTO raw_payloads (source, hour, run_id, sequence, fetched_at, url, http_status,"
        " path, sha256, size, stored_size, recorded_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3))"
        " ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)");
    const auto& origin = payload.origin;
    store::Binder(*insert)
        .text(origin.source)
        .datetime(origin.hour)
        .int64(origin.run_id)
        .count(static_cast<std::size_t>(origin.sequence))
        .text(to_sql_datetime(origin.fetched_at))
        .text(origin.url)
        .count(static_cast<std::size_t>(origin.http_status))
        .text(path)
        .text(payload.sha256)
        .count(payload.size)
        .count(payload.stored_size);
    insert->executeUpdate();
    return last_insert_id(connection);
  });
}

std::optional<RawPayloadRecord> find_raw_payload(Database& db,
                                                 const std::filesystem::path& relative_path) {
  auto& connection = db.connection();
  const std::string path = relative_path.generic_string();
  return store::guarded("reading the ledger of " + path, [&]() -> std::optional<RawPayloadRecord> {
    auto select = store::prepare(
        connection, "SELECT id, sha256, pruned_at IS NOT NULL FROM raw_payloads WHERE path = ?");
    store::Binder(*select).text(path);
    auto row = store::run_query(*select);
    if (!row->next()) return std::nullopt;
    return RawPayloadRecord{static_cast<std::int64_t>(row->getInt64(1)), store::text(*row, 2),
                            row->getBoolean(3)};
  });
}

void mark_raw_payloads_pruned(Database& db, const std::vector<std::filesystem::path>& paths) {
  if (paths.empty()) return;
  auto& connection = db.connection();
  store::guarded("recording pruned archive files", [&] {
    auto update = store::prepare(connection,
                                 "UPDATE raw_payloads SET pruned_at = UTC_TIMESTAMP(3) WHERE path "
                                 "= ? AND pruned_at IS NULL");
    for (const auto& path : paths) {
      store::Binder(*update).text(path.generic_string());
      update->executeUpdate();
    }
  });
}

// A run whose data committed stays 'succeeded': only a running row can fail. The message may
// quote bytes a partner sent: made valid UTF-8 first, so strict mode cannot refuse the row (1366).
void fail_run(Database& db, std::int64_t run_id, const std::string& message) {
  auto& connection = db.connection();
  store::guarded("recording the failure of run " + std::to_string(run_id), [&] {
    auto update = store::prepare(connection,
                                 "UPDATE etl_runs SET status = 'failed',"
                                 " finished_at = UTC_TIMESTAMP(3), message = ?"
                                 " WHERE id = ? AND status = 'running'");
    store::Binder(*update).text(fit_text(valid_utf8(message))).int64(run_id);
    update->executeUpdate();
  });
}

std::size_t close_abandoned_runs(Database& db, const std::string& source) {
  auto& connection = db.connection();
  return store::guarded("closing the abandoned runs of " + source, [&] {
    std::vector<std::int64_t> running;
    auto select = store::prepare(connection,
                                 "SELECT id FROM etl_runs WHERE source = ? AND status = 'running'");
    store::Binder(*select).text(source);
    auto row = store::run_query(*select);
    while (row->next()) running.push_back(static_cast<std::int64_t>(row->getInt64(1)));

    auto update = store::prepare(
        connection,
        "UPDATE etl_runs SET status = 'failed', finished_at = UTC_TIMESTAMP(3),"
        " message = CONCAT('abandoned: the run ended without recording its outcome (killed, or"
        " its database connection lost); its data changes were rolled back',"
        " IF(message IS NULL, '', CONCAT('; ', message)))"
        " WHERE id = ? AND status = 'running'");
    std::size_t closed = 0;
    const auto close_if_unlocked = [&](std::int64_t run_id, int wait_seconds) {
      // Taking the run's lock proves no session of this server runs it; its lease, that no
      // session of another node does (it is missing, this server's, or expired). The lock is
      // held only for the update.
      const std::string lock = run_lock_name(connection, run_id);
      if (!store::get_lock(connection, lock, wait_seconds)) return false;
      const std::string lease = run_lease_name(run_id);
      if (store::lease_abandoned(connection, lease)) {
        store::Binder(*update).int64(run_id);
        closed += static_cast<std::size_t>(update->executeUpdate());
        store::discard_lease(connection, lease);
      }
      store::release_lock(connection, lock);
      return true;
    };
    std::vector<std::int64_t> locked;
    for (const auto run_id : running) {
      if (!close_if_unlocked(run_id, 0)) locked.push_back(run_id);
    }
    // A killed process's sessions end one by one: the one holding the source lock may be gone
    // while another still holds its run's lock for a moment. A short grace, shared by all the
    // locked runs, tells a dying session from a live worker's (which holds its lock throughout).
    const auto deadline = std::chrono::steady_clock::now() + store::kDyingSessionGrace;
    for (const auto run_id : locked) {
      const auto left =
          std::chrono::ceil<std::chrono::seconds>(deadline - std::chrono::steady_clock::now());
      close_if_unlocked(run_id, static_cast<int>(std::max<std::int64_t>(0, left.count())));
    }
    return closed;
  });
}

LedgerChanges ledger_changes_after(Database& db, std::int64_t after, std::size_t limit) {
  auto& connection = db.connection();
  return store::guarded("reading the runs committed after run " + std::to_string(after), [&] {
    LedgerChanges changes;
    auto committed = store::prepare(connection,
                                    "SELECT id, source, kind, CAST(hour AS CHAR) FROM etl_runs"
                                    " WHERE id > ? AND status = 'succeeded' ORDER BY id LIMIT ?");
    store::Binder(*committed).int64(after).count(limit);
    auto row = store::run_query(*committed);
    while (row->next()) {
      changes.committed.push_back({static_cast<std::int64_t>(row->getInt64(1)),
                                   store::text(*row, 2), store::text(*row, 3),
                                   parse_sql_datetime(store::text(*row, 4))});
    }
    auto running = store::prepare(
        connection, "SELECT MIN(id) FROM etl_runs WHERE status = 'running' AND id > ?");
    store::Binder(*running).int64(after);
    auto oldest = store::run_query(*running);
    if (oldest->next() && !oldest->isNull(1)) {
      changes.oldest_running = static_cast<std::int64_t>(oldest->getInt64(1));
    }
    return changes;
  });
}

std::int64_t newest_run_id(Database& db) {
  auto& connection = db.connection();
  return store::guarded("reading the newest run id", [&] {
    auto select = store::prepare(connection, "SELECT COALESCE(MAX(id), 0) FROM etl_runs");
    auto row = store::run_query(*select);
    return row->next() ? static_cast<std::int64_t>(row->getInt64(1)) : std::int64_t{0};
  });
}

}  // namespace meteo
