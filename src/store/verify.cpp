// `verify`: each check is one or a few queries returning a description per violating row, counted
// and sampled by the server, so a clean database of millions of readings costs a few scans.
#include "meteo/store/verify.hpp"

#include <algorithm>
#include <array>
#include <set>

#include "meteo/archive/raw_archive.hpp"
#include "meteo/core/errors.hpp"
#include "region_aggregates.hpp"
#include "sql_support.hpp"
#include "station_support.hpp"

namespace meteo {
namespace {

using store::Binder;

// A query whose single column `description` names one violating row, and its parameters (all
// bound as text: the server converts them to DATETIME where compared with one).
struct ViolationQuery {
  std::string sql;
  std::vector<std::string> parameters;
};

void add_violation(VerifyCheck& check, std::string description) {
  ++check.violation_count;
  if (check.violations.size() < kListedViolations)
    check.violations.push_back(std::move(description));
}

store::StatementPtr prepare_bound(sql::Connection& connection, const std::string& sql,
                                  const std::vector<std::string>& parameters) {
  auto statement = store::prepare(connection, sql);
  Binder binder(*statement);
  for (const auto& parameter : parameters) binder.text(parameter);
  return statement;
}

// Counts every violation, then lists the first ones (only when there are some).
void collect(sql::Connection& connection, VerifyCheck& check, const ViolationQuery& query) {
  store::guarded("verifying " + check.name, [&] {
    auto count = prepare_bound(connection, "SELECT COUNT(*) FROM (" + query.sql + ") AS violations",
                               query.parameters);
    auto counted = store::run_query(*count);
    const std::size_t found = counted->next() ? counted->getUInt64(1) : 0;
    if (found == 0) return;
    const std::size_t room =
        kListedViolations - std::min(kListedViolations, check.violations.size());
    check.violation_count += found;
    if (room == 0) return;
    auto sample =
        prepare_bound(connection,
                      "SELECT description FROM (" + query.sql +
                          ") AS violations ORDER BY description LIMIT " + std::to_string(room),
                      query.parameters);
    auto rows = store::run_query(*sample);
    while (rows->next()) check.violations.push_back(store::text(*rows, 1));
  });
}

// The window as DATETIME text; an open end is the type's own limit.
struct Bounds {
  std::string from, to;
};

Bounds bounds_of(const VerifyWindow& window) {
  return {window.from ? to_sql_datetime(*window.from) : "1000-01-01 00:00:00",
          window.to ? to_sql_datetime(*window.to) : "9999-12-31 23:59:59"};
}

std::vector<const SourceScope*> sources_of_kind(const VerifyScope& scope, SourceKind kind) {
  std::vector<const SourceScope*> sources;
  for (const auto& source : scope.sources) {
    if (source.kind == kind) sources.push_back(&source);
  }
  return sources;
}

std::vector<std::string> names_of(const std::vector<const SourceScope*>& sources) {
  std::vector<std::string> names;
  for (const auto* source : sources) names.push_back(source->name);
  return names;
}

std::vector<std::string> joined(std::vector<std::string> first,
                                const std::vector<std::string>& rest) {
  first.insert(first.end(), rest.begin(), rest.end());
  return first;
}

// ---- 1. aggregates ------------------------------------------------------------------------------

// Every measurement of the window as (region_set, region_code, hour, temperature): the definition
// of store::recompute_region_hour, for all sets and hours at once. Parameters: from, to, from, to,
// from, to.
constexpr const char* kMeasurements =
    "SELECT r.region_set AS region_set, r.region_code AS region_code, r.hour AS hour,"
    " r.temperature AS temperature"
    " FROM sensor_readings AS r"
    " WHERE r.hour >= ? AND r.hour < ? AND r.region_set IS NOT NULL AND r.region_code IS NOT NULL"
    " UNION ALL"
    " SELECT m.region_set, m.region_code, r.hour, r.temperature"
    " FROM sensor_readings AS r"
    " JOIN reading_extra_regions AS m ON m.source = r.source AND m.reading_id = r.reading_id"
    " WHERE r.hour >= ? AND r.hour < ? AND m.region_code IS NOT NULL"
    " UNION ALL"
    " SELECT s.region_set, s.region_code,"
    " CAST(DATE_FORMAT(o.observed_at, '%Y-%m-%d %H:00:00') AS DATETIME), o.temperature_c"
    " FROM station_regions AS s"
    " JOIN weather_observations AS o ON o.source = s.source AND o.dataset_id = s.dataset_id"
    " WHERE s.region_code IS NOT NULL AND o.observed_at >= ? AND o.observed_at < ?"
    " AND o.temperature_c IS NOT NULL";

std::string expected_aggregates() {
  return std::string(
             "SELECT x.region_set, x.region_code, x.hour, g.name AS region,"
             " AVG(x.temperature) AS temperature, COUNT(*) AS points, ") +
         store::exact_temperature_sum_sql("x.temperature") + " AS temperature_sum FROM (" +
         kMeasurements +
         ") AS x JOIN regions AS g ON g.region_set = x.region_set AND g.code = x.region_code"
         " GROUP BY x.region_set, x.region_code, x.hour, g.name";
}

// Rows that differ from their recomputation or are missing, then rows nothing supports any more.
ViolationQuery aggregate_violations(const Bounds& window) {
  const std::string expected = expected_aggregates();
  const std::string wrong_or_missing =
      "SELECT CONCAT(e.region_set, ' ', e.region_code, ' (', e.region COLLATE utf8mb4_bin, ') ',"
      " e.hour, ': ', IF(a.region_code IS NULL, 'missing', CONCAT('stored ', a.temperature,"
      " ' over ', a.numberOfPoints, ' point(s) as ', a.region COLLATE utf8mb4_bin)),"
      " '; recomputed ', e.temperature, ' over ', e.points, ' point(s)',"
      " IF(a.temperature_sum <> e.temperature_sum, CONCAT('; exact sum stored ',"
      " a.temperature_sum, ', recomputed ', e.temperature_sum), '')) AS description"
      " FROM (" +
      expected +
      ") AS e"
      " LEFT JOIN region_hourly_temperature AS a ON a.region_set = e.region_set"
      " AND a.region_code = e.region_code AND a.hour = e.hour"
      " WHERE a.region_code IS NULL OR a.numberOfPoints <> e.points"
      " OR CAST(a.region AS BINARY) <> CAST(e.region AS BINARY)"
      " OR ABS(a.temperature - e.temperature)"
      " > 1e-9 * GREATEST(ABS(a.temperature), ABS(e.temperature), 1)"
      // Rows written before migration 0004 have no sum yet (NULL): not a violation.
      " OR a.temperature_sum <> e.temperature_sum";
  const std::string stale =
      "SELECT CONCAT(a.region_set, ' ', a.region_code, ' (', a.region COLLATE utf8mb4_bin, ') ',"
      " a.hour, ': stale, stored ', a.temperature, ' over ', a.numberOfPoints,"
      " ' point(s) but no stored measurement') AS description"
      " FROM region_hourly_temperature AS a"
      " LEFT JOIN (" +
      expected +
      ") AS e ON e.region_set = a.region_set"
      " AND e.region_code = a.region_code AND e.hour = a.hour"
      " WHERE a.hour >= ? AND a.hour < ? AND e.region_code IS NULL";
  const std::vector<std::string> measurements{window.from, window.to,   window.from,
                                              window.to,   window.from, window.to};
  return {wrong_or_missing + " UNION ALL " + stale,
          joined(joined(measurements, measurements), {window.from, window.to})};
}

// `a` and `b` differ: one NULL and not the other, or apart by more than a rounding.
std::string differ(const std::string& a, const std::string& b) {
  return "NOT (" + a + " <=> " + b + " OR COALESCE(ABS(" + a + " - " + b +
         ") <= 1e-9 * GREATEST(ABS(" + a + "), ABS(" + b + "), 1), FALSE))";
}

// station_daily_weather rows overlapping the window that differ from their observations over
// their own [start_utc, end_utc) (the bounds the load computed from tzdata), or have none left.
ViolationQuery daily_violations(const Bounds& window) {
  const std::string recomputed =
      std::string(
          "SELECT d.source, d.dataset_id, d.day, d.temperature_mean, d.rain_sum,"
          " d.hours_observed, d.heavy_rain, d.temperature_min, d.temperature_max,"
          " d.pressure_mean, d.wind_mean, d.gust_max, d.heavy_rain_mm, COUNT(o.observed_at) AS n,"
          " AVG(o.temperature_c) AS t_mean, MIN(o.temperature_c) AS t_min,"
          " MAX(o.temperature_c) AS t_max, AVG(o.pressure_hpa) AS pres,"
          " AVG(o.wind_speed_kmh) AS wind, MAX(o.gust_kmh) AS gust, SUM(o.rain_mm) AS rain,"
          " COUNT(DISTINCT ") +
      store::kObservationHour +  // observed_at: only the observations have one
      ") AS hours FROM station_daily_weather AS d LEFT JOIN weather_observations AS o"
      " ON o.source = d.source AND o.dataset_id = d.dataset_id"
      " AND o.observed_at >= d.start_utc AND o.observed_at < d.end_utc"
      " WHERE d.end_utc > ? AND d.start_utc < ?"
      " GROUP BY d.source, d.dataset_id, d.day, d.temperature_mean, d.rain_sum,"
      " d.hours_observed, d.heavy_rain, d.temperature_min, d.temperature_max, d.pressure_mean,"
      " d.wind_mean, d.gust_max, d.heavy_rain_mm";
  const std::string wrong =
      "SELECT CONCAT('station ', x.source, ' ', x.dataset_id, ' day ', x.day, ': ',"
      " IF(x.n = 0, 'stale, no stored observation in its bounds', CONCAT('stored mean ',"
      " COALESCE(x.temperature_mean, 'NULL'), ', rain ', COALESCE(x.rain_sum, 'NULL'), ' over ',"
      " x.hours_observed, ' hour(s); recomputed mean ', COALESCE(x.t_mean, 'NULL'), ', rain ',"
      " COALESCE(x.rain, 'NULL'), ' over ', x.hours, ' hour(s)'))) AS description FROM (" +
      recomputed + ") AS x WHERE x.n = 0 OR x.hours_observed <> x.hours OR " +
      differ("x.temperature_mean", "x.t_mean") + " OR " + differ("x.temperature_min", "x.t_min") +
      " OR " + differ("x.temperature_max", "x.t_max") + " OR " +
      differ("x.pressure_mean", "x.pres") + " OR " + differ("x.wind_mean", "x.wind") + " OR " +
      differ("x.gust_max", "x.gust") + " OR " + differ("x.rain_sum", "x.rain") +
      " OR NOT (x.heavy_rain <=> (x.rain >= x.heavy_rain_mm))";
  // A dataset with days must have one for each of its observations; one without any (stored
  // before migration 0009) gets them all on its next load.
  const std::string uncovered =
      "SELECT CONCAT('station ', o.source, ' ', o.dataset_id, ': observation at ', o.observed_at,"
      " ' is in no station_daily_weather day') AS description FROM weather_observations AS o"
      " WHERE o.observed_at >= ? AND o.observed_at < ?"
      " AND EXISTS (SELECT 1 FROM station_daily_weather AS a"
      " WHERE a.source = o.source AND a.dataset_id = o.dataset_id)"
      " AND NOT EXISTS (SELECT 1 FROM station_daily_weather AS d"
      " WHERE d.source = o.source AND d.dataset_id = o.dataset_id"
      " AND d.day BETWEEN DATE(o.observed_at) - INTERVAL 1 DAY"
      " AND DATE(o.observed_at) + INTERVAL 1 DAY"
      " AND d.start_utc <= o.observed_at AND d.end_utc > o.observed_at)";
  return {wrong + " UNION ALL " + uncovered, {window.from, window.to, window.from, window.to}};
}

VerifyCheck check_aggregates(sql::Connection& connection, const Bounds& window) {
  VerifyCheck check{"aggregates",
                    "every region_hourly_temperature row of the window equals the mean and count"
                    " of the stored readings and station observations of its region and hour;"
                    " none is missing or stale; every station_daily_weather day equals its"
                    " observations and covers each of them",
                    0,
                    {}};
  collect(connection, check, aggregate_violations(window));
  collect(connection, check, daily_violations(window));
  return check;
}

// ---- 2. ledger ----------------------------------------------------------------------------------

std::string in_list(std::size_t n) {
  return " IN (" + store::placeholders(n) + ")";
}

ViolationQuery unbalanced_runs(const std::vector<std::string>& sources, const Bounds& window) {
  return {
      "SELECT CONCAT('run ', id, ' of ', source, ' (', kind, ', hour ', hour, '): fetched ',"
      " fetched, ' but rejected + duplicates + stored + corrections + unchanged = ',"
      " rejected + duplicates + `stored` + corrections + unchanged) AS description"
      " FROM etl_runs WHERE status = 'succeeded' AND source" +
          in_list(sources.size()) +
          " AND hour >= ? AND hour < ?"
          " AND fetched <> rejected + duplicates + `stored` + corrections + unchanged",
      joined(sources, {window.from, window.to})};
}

ViolationQuery dangling_run_ids(const Bounds& window) {
  const auto dangling = [](const std::string& column) {
    return "SELECT CONCAT('reading ', r.reading_id, ' of ', r.source, ' (hour ', r.hour, '): " +
           column + " ', r." + column +
           ", ' is not a succeeded run of ', r.source)"
           " AS description FROM sensor_readings AS r"
           " LEFT JOIN etl_runs AS e ON e.id = r." +
           column +
           " AND e.source = r.source AND e.status = 'succeeded'"
           " WHERE r.hour >= ? AND r.hour < ? AND e.id IS NULL";
  };
  return {dangling("first_run_id") + " UNION ALL " + dangling("last_run_id"),
          {window.from, window.to, window.from, window.to}};
}

// Runs from before migration 3 fetched without archiving: only later ones must have a payload.
ViolationQuery unarchived_runs(const std::vector<std::string>& sources, const Bounds& window) {
  return {
      "SELECT CONCAT('run ', e.id, ' of ', e.source, ' (hour ', e.hour, '):"
      " succeeded without a raw_payloads row') AS description"
      " FROM etl_runs AS e WHERE e.status = 'succeeded' AND e.kind = 'run' AND e.source" +
          in_list(sources.size()) +
          " AND e.hour >= ? AND e.hour < ?"
          " AND e.started_at >= (SELECT applied_at FROM schema_migrations WHERE version = 3)"
          " AND NOT EXISTS (SELECT 1 FROM raw_payloads AS p WHERE p.run_id = e.id)",
      joined(sources, {window.from, window.to})};
}

// The one check that reads files: each archived payload of the configured sources still there and
// intact. Another configuration's sources archive under their own root: their payloads are its
// to check.
void check_archive_files(sql::Connection& connection, const RawArchive& archive,
                         const std::vector<std::string>& sources, const Bounds& window,
                         VerifyCheck& check) {
  struct Payload {
    std::string id, path, sha256;
  };
  if (sources.empty()) return;
  const auto payloads = store::guarded("listing the archived payloads to verify", [&] {
    auto select =
        prepare_bound(connection,
                      "SELECT id, path, sha256 FROM raw_payloads"
                      " WHERE pruned_at IS NULL AND source" +
                          in_list(sources.size()) + " AND hour >= ? AND hour < ? ORDER BY id",
                      joined(sources, {window.from, window.to}));
    auto rows = store::run_query(*select);
    std::vector<Payload> found;
    while (rows->next()) {
      found.push_back({store::text(*rows, 1), store::text(*rows, 2), store::text(*rows, 3)});
    }
    return found;
  });
  for (const auto& payload : payloads) {
    try {
      archive.digest(payload.path, payload.sha256);
    } catch (const Error& error) {
      add_violation(check,
                    "raw payload " + payload.id + " (" + payload.path + "): " + error.what());
    }
  }
}

VerifyCheck check_ledger(sql::Connection& connection, const VerifyScope& scope,
                         const Bounds& window) {
  VerifyCheck check{"ledger",
                    "succeeded sensor runs balance fetched = rejected + duplicates + stored +"
                    " corrections + unchanged; readings name succeeded runs of their source;"
                    " runs since migration 3 have a raw payload; the unpruned payloads of the"
                    " configured sources are intact in the archive",
                    0,
                    {}};
  const auto sensors = names_of(sources_of_kind(scope, SourceKind::sensor_feed));
  if (!sensors.empty()) {
    collect(connection, check, unbalanced_runs(sensors, window));
    collect(connection, check, unarchived_runs(sensors, window));
  }
  collect(connection, check, dangling_run_ids(window));
  std::vector<std::string> configured;
  for (const auto& source : scope.sources) configured.push_back(source.name);
  check_archive_files(connection, RawArchive(scope.archive), configured, window, check);
  return check;
}

// ---- 3. regions ---------------------------------------------------------------------------------

std::set<std::string> loaded_region_sets(sql::Connection& connection) {
  return store::guarded("listing the loaded region sets", [&] {
    auto select = store::prepare(connection, "SELECT name FROM region_sets");
    auto rows = store::run_query(*select);
    std::set<std::string> names;
    while (rows->next()) names.insert(store::text(*rows, 1));
    return names;
  });
}

ViolationQuery unmatched_readings(const std::string& source, const std::string& set,
                                  const Bounds& window) {
  return {
      "SELECT CONCAT('reading ', r.reading_id, ' of ', r.source, ' (hour ', r.hour,"
      " '): no entry in region set ', ?) AS description FROM sensor_readings AS r"
      " LEFT JOIN reading_extra_regions AS m ON m.source = r.source"
      " AND m.reading_id = r.reading_id AND m.region_set = ?"
      " WHERE r.source = ? AND r.hour >= ? AND r.hour < ? AND m.reading_id IS NULL"
      " AND NOT (r.region_set <=> ?)",
      {set, set, source, window.from, window.to, set}};
}

ViolationQuery unknown_reading_regions(const Bounds& window) {
  const auto unknown = [](const std::string& from, const std::string& match) {
    return "SELECT CONCAT('reading ', r.reading_id, ' of ', r.source, ' (hour ', r.hour,"
           " '): region ', " +
           match + ".region_code, ' is not in region set ', " + match +
           ".region_set) AS description FROM " + from +
           " LEFT JOIN regions AS g ON g.region_set = " + match +
           ".region_set AND g.code = " + match + ".region_code WHERE " + match +
           ".region_code IS NOT NULL AND r.hour >= ? AND r.hour < ? AND g.code IS NULL";
  };
  return {unknown("sensor_readings AS r", "r") + " UNION ALL " +
              unknown("reading_extra_regions AS m JOIN sensor_readings AS r"
                      " ON r.source = m.source AND r.reading_id = m.reading_id",
                      "m"),
          {window.from, window.to, window.from, window.to}};
}

ViolationQuery unmatched_stations(const std::string& source, const std::string& set) {
  return {
      "SELECT CONCAT('station ', w.dataset_id, ' of ', w.source,"
      " ': no entry in region set ', ?) AS description FROM weather_stations AS w"
      " LEFT JOIN station_regions AS s ON s.source = w.source AND s.dataset_id = w.dataset_id"
      " AND s.region_set = ?"
      " WHERE w.source = ? AND s.dataset_id IS NULL",
      {set, set, source}};
}

ViolationQuery unknown_station_regions() {
  return {
      "SELECT CONCAT('station ', s.dataset_id, ' of ', s.source, ': region ', s.region_code,"
      " ' is not in region set ', s.region_set) AS description FROM station_regions AS s"
      " LEFT JOIN regions AS g ON g.region_set = s.region_set AND g.code = s.region_code"
      " WHERE s.region_code IS NOT NULL AND g.code IS NULL",
      {}};
}

VerifyCheck check_regions(sql::Connection& connection, const VerifyScope& scope,
                          const Bounds& window) {
  VerifyCheck check{"regions",
                    "every reading of the window and every station has an entry in each loaded"
                    " region set of its source, and every region code it names exists in that set",
                    0,
                    {}};
  const auto loaded = loaded_region_sets(connection);
  for (const auto* source : sources_of_kind(scope, SourceKind::sensor_feed)) {
    for (const auto& set : source->region_sets) {
      if (loaded.contains(set))
        collect(connection, check, unmatched_readings(source->name, set, window));
    }
  }
  for (const auto* source : sources_of_kind(scope, SourceKind::station_network)) {
    for (const auto& set : source->region_sets) {
      if (loaded.contains(set)) collect(connection, check, unmatched_stations(source->name, set));
    }
  }
  collect(connection, check, unknown_reading_regions(window));
  collect(connection, check, unknown_station_regions());
  return check;
}

// ---- 4. views -----------------------------------------------------------------------------------

struct ExpectedRelation {
  const char* name;
  const char* type;  // information_schema.tables.table_type
  std::vector<std::string> columns;
};

const std::vector<ExpectedRelation>& expected_relations() {
  static const std::vector<std::string> three_hours{
      "RegionSet", "RegionCode", "Region", "Hour", "Temperature", "Temperature3HoursBefore"};
  // station_hourly_weather is a table rebuilt by each station load (migration 0002; 0005 adds
  // wind_direction_mean).
  static const std::vector<std::string> air_quality_weather{
      "AqSource",   "StationCode", "Pollutant", "Hour",      "Value",         "WeatherStation",
      "DistanceKm", "Temperature", "Humidity",  "WindSpeed", "WindDirection", "Rain"};
  // Version 2 (migration 0007) adds the pressure, the impact analysis's input.
  static const std::vector<std::string> air_quality_weather_v2 = [] {
    std::vector<std::string> columns = air_quality_weather;
    columns.push_back("Pressure");
    return columns;
  }();
  static const std::vector<ExpectedRelation> relations{
      {"air_quality_weather_hourly", "VIEW", air_quality_weather_v2},
      {"air_quality_weather_hourly_v1", "VIEW", air_quality_weather},
      {"air_quality_weather_hourly_v2", "VIEW", air_quality_weather_v2},
      {"region_temperature_3h", "VIEW", three_hours},
      {"region_temperature_3h_v1", "VIEW", three_hours},
      {"station_hourly_weather",
       "BASE TABLE",
       {"source", "dataset_id", "hour", "temperature_mean", "temperature_min", "temperature_max",
        "humidity_mean", "pressure_mean", "rain_sum", "wind_mean", "gust_max",
        "wind_direction_mean", "observations"}},
      // Rebuilt by each station load too (migration 0009).
      {"station_daily_weather",
       "BASE TABLE",
       {"source", "dataset_id", "day", "start_utc", "end_utc", "temperature_mean",
        "temperature_min", "temperature_max", "pressure_mean", "wind_mean", "gust_max", "rain_sum",
        "hours_observed", "heavy_rain", "updated_at"}}};
  return relations;
}

std::optional<std::string> relation_type(sql::Connection& connection, const std::string& name) {
  auto select = prepare_bound(connection,
                              "SELECT table_type FROM information_schema.tables"
                              " WHERE table_schema = DATABASE() AND table_name = ?",
                              {name});
  auto row = store::run_query(*select);
  if (!row->next()) return std::nullopt;
  return store::text(*row, 1);
}

std::set<std::string> relation_columns(sql::Connection& connection, const std::string& name) {
  auto select = prepare_bound(connection,
                              "SELECT column_name FROM information_schema.columns"
                              " WHERE table_schema = DATABASE() AND table_name = ?",
                              {name});
  auto rows = store::run_query(*select);
  std::set<std::string> columns;
  while (rows->next()) columns.insert(store::text(*rows, 1));
  return columns;
}

// A view over a dropped or altered table is listed but fails when read. A lost connection is not
// the view's fault: it ends the command like any database error.
std::optional<std::string> query_error(sql::Connection& connection, const std::string& name) {
  try {
    auto select = store::prepare(connection, "SELECT * FROM `" + name + "` LIMIT 0");
    store::run_query(*select);
    return std::nullopt;
  } catch (const sql::SQLException& error) {
    if (store::exit_code_for(error.getErrorCode()) == ExitCode::temporary) {
      store::throw_error(error, "reading " + name);
    }
    return std::string(error.what());
  }
}

void check_relation(sql::Connection& connection, const ExpectedRelation& expected,
                    VerifyCheck& check) {
  const std::string name = expected.name;
  const auto type =
      store::guarded("verifying " + name, [&] { return relation_type(connection, name); });
  if (!type) return add_violation(check, name + " does not exist");
  if (*type != expected.type) {
    add_violation(check, name + " is a " + *type + ", not a " + expected.type);
  }
  const auto columns =
      store::guarded("verifying " + name, [&] { return relation_columns(connection, name); });
  for (const auto& column : expected.columns) {
    if (!columns.contains(column)) add_violation(check, name + " has no column " + column);
  }
  if (auto error = query_error(connection, name)) {
    add_violation(check, name + " cannot be read: " + *error);
  }
}

VerifyCheck check_views(sql::Connection& connection) {
  VerifyCheck check{"views",
                    "region_temperature_3h and region_temperature_3h_v1 exist with their columns"
                    " and can be read; so do the tables station_hourly_weather and"
                    " station_daily_weather",
                    0,
                    {}};
  for (const auto& relation : expected_relations()) check_relation(connection, relation, check);
  return check;
}

// ---- 5. watermarks ------------------------------------------------------------------------------

ViolationQuery wrong_newest_observations() {
  return {
      "SELECT CONCAT('station dataset ', w.dataset_id, ' of ', w.source,"
      " ': newest_observation ', COALESCE(w.newest_observation, 'NULL'),"
      " ' but the newest stored observation is ', COALESCE(w.newest_stored, 'none'))"
      " AS description FROM (SELECT d.source, d.dataset_id, d.newest_observation,"
      " (SELECT MAX(o.observed_at) FROM weather_observations AS o"
      " WHERE o.source = d.source AND o.dataset_id = d.dataset_id) AS newest_stored"
      " FROM station_datasets AS d) AS w"
      " WHERE NOT (w.newest_observation <=> w.newest_stored)",
      {}};
}

ViolationQuery future_read_through(const std::string& now) {
  return {
      "SELECT CONCAT('station dataset ', dataset_id, ' of ', source, ': read_through ',"
      " read_through, ' is after now (', ?, ')') AS description FROM station_datasets"
      " WHERE read_through > ?",
      {now, now}};
}

ViolationQuery future_sensor_hours(const std::vector<std::string>& sources,
                                   const std::string& now) {
  return {
      "SELECT CONCAT('source ', source, ': newest succeeded run hour ', MAX(hour),"
      " ' is after now (', ?, ')') AS description FROM etl_runs"
      " WHERE status = 'succeeded' AND source" +
          in_list(sources.size()) + " GROUP BY source HAVING MAX(hour) > ?",
      joined(joined({now}, sources), {now})};
}

VerifyCheck check_watermarks(sql::Connection& connection, const VerifyScope& scope,
                             UtcSeconds now) {
  VerifyCheck check{"watermarks",
                    "each station dataset's newest_observation is its newest stored observation"
                    " and its read_through is not after now; no sensor source's newest succeeded"
                    " run is for a future hour",
                    0,
                    {}};
  const std::string now_text = to_sql_datetime(now);
  collect(connection, check, wrong_newest_observations());
  collect(connection, check, future_read_through(now_text));
  const auto sensors = names_of(sources_of_kind(scope, SourceKind::sensor_feed));
  if (!sensors.empty()) collect(connection, check, future_sensor_hours(sensors, now_text));
  return check;
}

}  // namespace

bool VerifyReport::passed() const {
  return std::all_of(checks.begin(), checks.end(),
                     [](const VerifyCheck& check) { return check.passed(); });
}

VerifyReport verify_stored_data(Database& db, const VerifyScope& scope, const VerifyWindow& window,
                                UtcSeconds now) {
  auto& connection = db.connection();
  const Bounds bounds = bounds_of(window);
  VerifyReport report{window, {}};
  report.checks.push_back(check_aggregates(connection, bounds));
  report.checks.push_back(check_ledger(connection, scope, bounds));
  report.checks.push_back(check_regions(connection, scope, bounds));
  report.checks.push_back(check_views(connection));
  report.checks.push_back(check_watermarks(connection, scope, now));
  return report;
}

std::optional<UtcSeconds> earliest_hour_written_by(Database& db, const std::string& source,
                                                   std::int64_t run_id) {
  auto& connection = db.connection();
  return store::guarded("finding the hours run " + std::to_string(run_id) + " wrote", [&] {
    auto select = store::prepare(connection,
                                 "SELECT CAST(MIN(hour) AS CHAR) FROM sensor_readings"
                                 " WHERE source = ? AND last_run_id = ?");
    Binder(*select).text(source).int64(run_id);
    auto row = store::run_query(*select);
    row->next();
    return store::optional_datetime(*row, 1);
  });
}

std::optional<UtcSeconds> newest_run_hour(Database& db, const std::string& source) {
  auto& connection = db.connection();
  return store::guarded("finding the newest run hour of " + source, [&] {
    auto select = store::prepare(connection,
                                 "SELECT CAST(MAX(hour) AS CHAR) FROM etl_runs"
                                 " WHERE source = ? AND status = 'succeeded'");
    Binder(*select).text(source);
    auto row = store::run_query(*select);
    row->next();
    return store::optional_datetime(*row, 1);
  });
}

}  // namespace meteo
