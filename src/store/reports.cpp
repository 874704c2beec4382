// Reading results back: the 3-hours-before view and the status report.
#include "meteo/store/reports.hpp"

#include <algorithm>

#include "meteo/store/migrations.hpp"
#include "meteo/store/region_sets.hpp"
#include "sql_support.hpp"
#include "station_support.hpp"

namespace meteo {

namespace {

using store::Binder;

std::vector<RunRecord> recent_runs(sql::Connection& connection, std::size_t limit) {
  // CAST: the driver's own DATETIME formatting drops the milliseconds.
  auto statement = store::prepare(
      connection,
      "SELECT id, source, CAST(hour AS CHAR), CAST(started_at AS CHAR),"
      " CAST(finished_at AS CHAR), status, fetched, rejected, duplicates, outside, disagreements,"
      " `stored`, corrections, unchanged, message FROM etl_runs ORDER BY id DESC LIMIT ?");
  Binder(*statement).count(limit);
  auto row = store::run_query(*statement);
  std::vector<RunRecord> runs;
  while (row->next()) {
    RunRecord run;
    run.id = row->getInt64(1);
    run.source = store::text(*row, 2);
    run.hour = parse_sql_datetime(store::text(*row, 3));
    run.started_at = store::text(*row, 4);
    run.finished_at = store::optional_text(*row, 5).value_or("");
    run.status = store::text(*row, 6);
    std::size_t* counts[] = {&run.counts.fetched,       &run.counts.rejected,
                             &run.counts.duplicates,    &run.counts.outside,
                             &run.counts.disagreements, &run.counts.stored,
                             &run.counts.corrections,   &run.counts.unchanged};
    for (unsigned i = 0; i < std::size(counts); ++i) *counts[i] = row->getUInt64(7 + i);
    run.message = store::optional_text(*row, 15).value_or("");
    runs.push_back(std::move(run));
  }
  return runs;
}

std::vector<RegionSetRecord> region_set_records(sql::Connection& connection) {
  auto statement = store::prepare(connection,
                                  "SELECT name, checksum, location, CAST(loaded_at AS CHAR),"
                                  " region_count FROM region_sets ORDER BY name");
  auto row = store::run_query(*statement);
  std::vector<RegionSetRecord> sets;
  while (row->next()) {
    sets.push_back({store::text(*row, 1), store::text(*row, 2), store::text(*row, 3),
                    store::text(*row, 4), static_cast<std::size_t>(row->getUInt64(5))});
  }
  return sets;
}

// The newest finished run of a source, of one status or of any. `fetches_only`: leave replays out.
std::optional<FinishedRun> last_finished_run(sql::Connection& connection, const std::string& source,
                                             const std::optional<std::string>& status,
                                             bool fetches_only) {
  auto statement = store::prepare(
      connection,
      std::string("SELECT id, CAST(hour AS CHAR), CAST(finished_at AS CHAR), status, message,"
                  " fetched, rejected, duplicates, outside, disagreements, `stored`, corrections,"
                  " unchanged FROM etl_runs WHERE source = ? AND finished_at IS NOT NULL"
                  " AND (? IS NULL OR status = ?)") +
          (fetches_only ? " AND kind = 'run'" : "") +
          " ORDER BY finished_at DESC, id DESC LIMIT 1");
  Binder(*statement).text(source).optional_text(status).optional_text(status);
  auto row = store::run_query(*statement);
  if (!row->next()) return std::nullopt;
  FinishedRun run;
  run.id = row->getInt64(1);
  run.hour = parse_sql_datetime(store::text(*row, 2));
  run.finished_at = parse_sql_datetime(store::text(*row, 3));
  run.status = store::text(*row, 4);
  run.message = store::optional_text(*row, 5).value_or("");
  std::size_t* counts[] = {&run.counts.fetched,       &run.counts.rejected,
                           &run.counts.duplicates,    &run.counts.outside,
                           &run.counts.disagreements, &run.counts.stored,
                           &run.counts.corrections,   &run.counts.unchanged};
  for (unsigned i = 0; i < std::size(counts); ++i) *counts[i] = row->getUInt64(6 + i);
  return run;
}

// An analysis loads no data: its hour (when it ran) must not make a stale source look fresh.
std::optional<UtcSeconds> newest_succeeded_hour(sql::Connection& connection,
                                                const std::string& source, bool has_kinds) {
  auto statement =
      store::prepare(connection, std::string("SELECT CAST(MAX(hour) AS CHAR) FROM etl_runs"
                                             " WHERE source = ? AND status = 'succeeded'") +
                                     (has_kinds ? " AND kind <> 'analyze'" : ""));
  Binder(*statement).text(source);
  auto row = store::run_query(*statement);
  return row->next() ? store::optional_datetime(*row, 1) : std::nullopt;
}

// A count query whose first parameter is the source and next two the day's bounds.
std::size_t count_in_day(sql::Connection& connection, const std::string& query,
                         const std::string& source, UtcSeconds day) {
  auto statement = store::prepare(connection, query);
  Binder(*statement).text(source).datetime(day).datetime(day + std::chrono::days(1));
  auto row = store::run_query(*statement);
  return row->next() && !row->isNull(1) ? static_cast<std::size_t>(row->getUInt64(1)) : 0;
}

std::size_t rows_today(sql::Connection& connection, const std::string& source, SourceKind kind,
                       UtcSeconds now) {
  const UtcSeconds day = std::chrono::floor<std::chrono::days>(now);
  if (kind == SourceKind::sensor_feed) {
    return count_in_day(connection,
                        "SELECT SUM(`stored`) FROM etl_runs WHERE source = ?"
                        " AND status = 'succeeded' AND finished_at >= ? AND finished_at < ?",
                        source, day);
  }
  if (kind == SourceKind::air_quality) {
    if (!store::table_exists(connection, "air_quality_measurements")) return 0;
    return count_in_day(connection,
                        "SELECT COUNT(*) FROM air_quality_measurements WHERE source = ?"
                        " AND measured_at >= ? AND measured_at < ?",
                        source, day);
  }
  if (!store::table_exists(connection, "weather_observations")) return 0;
  return count_in_day(connection,
                      "SELECT COUNT(*) FROM weather_observations WHERE source = ?"
                      " AND observed_at >= ? AND observed_at < ?",
                      source, day);
}

int schema_version(sql::Connection& connection) {
  auto statement = store::prepare(connection, "SELECT MAX(version) FROM schema_migrations");
  auto row = store::run_query(*statement);
  return row->next() && !row->isNull(1) ? row->getInt(1) : 0;
}

}  // namespace

std::vector<Temperature3hRow> query_temperature_3h(Database& db, std::size_t limit) {
  auto& connection = db.connection();
  return store::guarded("reading the view region_temperature_3h", [&] {
    auto statement = store::prepare(
        connection,
        "SELECT RegionSet, Region, CAST(Hour AS CHAR), Temperature, Temperature3HoursBefore"
        " FROM region_temperature_3h ORDER BY Hour DESC, RegionSet, Region, RegionCode LIMIT ?");
    Binder(*statement).count(limit);
    auto row = store::run_query(*statement);
    std::vector<Temperature3hRow> rows;
    while (row->next()) {
      rows.push_back({store::text(*row, 1), store::text(*row, 2),
                      parse_sql_datetime(store::text(*row, 3)),
                      static_cast<double>(row->getDouble(4)), store::optional_real(*row, 5)});
    }
    return rows;
  });
}

// Works on an unmigrated database too: `status` is how one finds out.
StatusReport read_status(Database& db, std::size_t run_limit) {
  auto& connection = db.connection();
  return store::guarded("reading the status", [&] {
    StatusReport report;
    const auto& bundled = bundled_migrations();
    report.bundled_version = bundled.empty() ? 0 : bundled.back().version;
    if (store::table_exists(connection, "schema_migrations")) {
      report.schema_version = schema_version(connection);
    }
    if (store::table_exists(connection, "etl_runs")) {
      report.recent_runs = recent_runs(connection, run_limit);
    }
    if (store::table_exists(connection, "region_sets")) {
      report.region_sets = region_set_records(connection);
    }
    if (report.schema_version >= 2 && store::table_exists(connection, "station_datasets")) {
      report.datasets = store::read_dataset_states(connection);
    }
    return report;
  });
}

SourceState read_source_state(Database& db, const std::string& source, SourceKind kind,
                              UtcSeconds now) {
  auto& connection = db.connection();
  return store::guarded("reading the ledger of source " + source, [&] {
    SourceState state;
    if (!store::table_exists(connection, "etl_runs")) return state;
    const bool has_kinds = store::column_exists(connection, "etl_runs", "kind");
    state.last_success = last_finished_run(connection, source, "succeeded", has_kinds);
    state.last_failure = last_finished_run(connection, source, "failed", has_kinds);
    state.last_finished = last_finished_run(connection, source, std::nullopt, has_kinds);
    state.newest_succeeded_hour = newest_succeeded_hour(connection, source, has_kinds);
    state.rows_today = rows_today(connection, source, kind, now);
    return state;
  });
}

}  // namespace meteo
