// Reading results back: the 3-hours-before view and the status report.
#include <algorithm>

#include "meteo/store.hpp"
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

}  // namespace meteo
