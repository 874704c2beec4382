// The run ledger's autocommitted writes: a run is visible as 'running' while it loads.
#include "meteo/store.hpp"
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

}  // namespace

std::int64_t begin_run(Database& db, const std::string& source, UtcSeconds hour) {
  auto& connection = db.connection();
  return store::guarded("recording the start of a run of " + source, [&] {
    auto insert = store::prepare(connection,
                                 "INSERT INTO etl_runs (source, hour, started_at, status)"
                                 " VALUES (?, ?, UTC_TIMESTAMP(3), 'running')");
    store::Binder(*insert).text(source).datetime(hour);
    insert->executeUpdate();
    auto id = store::prepare(connection, "SELECT LAST_INSERT_ID()");
    auto row = store::run_query(*id);
    row->next();
    return static_cast<std::int64_t>(row->getInt64(1));
  });
}

// A run whose data committed stays 'succeeded': only a running row can fail.
void fail_run(Database& db, std::int64_t run_id, const std::string& message) {
  auto& connection = db.connection();
  store::guarded("recording the failure of run " + std::to_string(run_id), [&] {
    auto update = store::prepare(connection,
                                 "UPDATE etl_runs SET status = 'failed',"
                                 " finished_at = UTC_TIMESTAMP(3), message = ?"
                                 " WHERE id = ? AND status = 'running'");
    store::Binder(*update).text(fit_text(message)).int64(run_id);
    update->executeUpdate();
  });
}

std::size_t close_abandoned_runs(Database& db, const std::string& source) {
  auto& connection = db.connection();
  return store::guarded("closing the abandoned runs of " + source, [&] {
    auto update = store::prepare(
        connection,
        "UPDATE etl_runs SET status = 'failed', finished_at = UTC_TIMESTAMP(3),"
        " message = CONCAT('abandoned: the run ended without recording its outcome (killed, or"
        " its database connection lost); its data changes were rolled back',"
        " IF(message IS NULL, '', CONCAT('; ', message)))"
        " WHERE source = ? AND status = 'running'");
    store::Binder(*update).text(source);
    return static_cast<std::size_t>(update->executeUpdate());
  });
}

}  // namespace meteo
