// The figures derived from air-quality measurements, rebuilt for the days whose values changed:
// daily rows with their sub-index, the per-station daily index, and the exceedance runs.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "air_quality_derived.hpp"
#include "station_support.hpp"

namespace meteo::store {

namespace {

constexpr auto kDay = std::chrono::days(1);

// The breakpoint set in force on a day: the greatest valid_from on or before it. `day_column`
// names the day in the enclosing statement.
std::string breakpoint_set_of(const std::string& day_column) {
  return "(SELECT MAX(v.valid_from) FROM air_quality_index_breakpoints AS v"
         " WHERE v.valid_from <= " +
         day_column + ")";
}

// Rebuilds the daily rows of one series within [from, to) from its stored measurements. The
// sub-index exists on representative days (>= 18 hours) only: the first class whose bound is >=
// the day's figure (the maximum hour or the mean, as the breakpoint's basis says). Measurements
// are never deleted, so every day once stored still has hours: no stale row to remove.
const std::string kRebuildDaily =
    "INSERT INTO air_quality_daily (source, station_code, pollutant, day, mean_ugm3,"
    " max_hourly_ugm3, hours, validated_hours, representative, sub_index, updated_at)"
    " SELECT g_source, g_station, g_pollutant, g_day, g_mean, g_max, g_hours, g_validated,"
    " g_hours >= 18, IF(g_hours >= 18, (SELECT MIN(b.index_class)"
    " FROM air_quality_index_breakpoints AS b WHERE b.pollutant = g_pollutant"
    " AND b.valid_from = " +
    breakpoint_set_of("g_day") +
    " AND (b.upper_ugm3 IS NULL"
    " OR b.upper_ugm3 >= IF(b.basis = 'max_hourly', g_max, g_mean))), NULL),"
    " UTC_TIMESTAMP(3)"
    " FROM (SELECT source AS g_source, station_code AS g_station, pollutant AS g_pollutant,"
    " DATE(measured_at) AS g_day, AVG(value_ugm3) AS g_mean, MAX(value_ugm3) AS g_max,"
    " COUNT(*) AS g_hours, SUM(validated) AS g_validated FROM air_quality_measurements"
    " WHERE source = ? AND station_code = ? AND pollutant = ? AND measured_at >= ?"
    " AND measured_at < ? GROUP BY source, station_code, pollutant, DATE(measured_at)) AS g"
    " ON DUPLICATE KEY UPDATE"
    " updated_at = IF(mean_ugm3 = VALUES(mean_ugm3) AND max_hourly_ugm3 = VALUES(max_hourly_ugm3)"
    " AND hours = VALUES(hours) AND validated_hours = VALUES(validated_hours)"
    " AND representative = VALUES(representative) AND sub_index <=> VALUES(sub_index),"
    " updated_at, VALUES(updated_at)),"
    " mean_ugm3 = VALUES(mean_ugm3), max_hourly_ugm3 = VALUES(max_hourly_ugm3),"
    " hours = VALUES(hours), validated_hours = VALUES(validated_hours),"
    " representative = VALUES(representative), sub_index = VALUES(sub_index)";

// The index of one station's days within [from, to]: the worst sub-index, its pollutant (ties in
// the order SO2, NO2, O3, PM10, PM2.5) and its class label from the breakpoint set of the day.
const std::string kRebuildIndex =
    "INSERT INTO air_quality_daily_index (source, station_code, day, method, valid_from,"
    " index_class, label, dominant_pollutant, sub_indices, updated_at)"
    " SELECT i_source, i_station, i_day, i_method, i_valid_from, i_class, i_label, i_pollutant,"
    " i_count, UTC_TIMESTAMP(3) FROM (SELECT w.w_source AS i_source, w.w_station AS i_station,"
    " w.w_day AS i_day, b.method AS i_method, b.valid_from AS i_valid_from, w.w_class AS i_class,"
    " b.label AS i_label, w.w_pollutant AS i_pollutant, w.w_count AS i_count"
    " FROM (SELECT d.source AS w_source, d.station_code AS w_station, d.day AS w_day,"
    " d.pollutant AS w_pollutant, d.sub_index AS w_class,"
    " ROW_NUMBER() OVER (PARTITION BY d.day ORDER BY d.sub_index DESC,"
    " FIELD(d.pollutant, 'SO2', 'NO2', 'O3', 'PM10', 'PM2.5')) AS w_rank,"
    " COUNT(*) OVER (PARTITION BY d.day) AS w_count"
    " FROM air_quality_daily AS d WHERE d.source = ? AND d.station_code = ? AND d.day >= ?"
    " AND d.day <= ? AND d.sub_index IS NOT NULL) AS w"
    " JOIN air_quality_index_breakpoints AS b ON b.pollutant = w.w_pollutant"
    " AND b.index_class = w.w_class AND b.valid_from = " +
    breakpoint_set_of("w.w_day") +
    " WHERE w.w_rank = 1) AS picked"
    " ON DUPLICATE KEY UPDATE"
    " updated_at = IF(method = VALUES(method) AND valid_from = VALUES(valid_from)"
    " AND index_class = VALUES(index_class) AND label = VALUES(label)"
    " AND dominant_pollutant = VALUES(dominant_pollutant)"
    " AND sub_indices = VALUES(sub_indices), updated_at, VALUES(updated_at)),"
    " method = VALUES(method), valid_from = VALUES(valid_from),"
    " index_class = VALUES(index_class), label = VALUES(label),"
    " dominant_pollutant = VALUES(dominant_pollutant), sub_indices = VALUES(sub_indices)";

// Days that no longer have any sub-index lose their index row.
constexpr const char* kDeleteStaleIndex =
    "DELETE FROM air_quality_daily_index WHERE source = ? AND station_code = ? AND day >= ?"
    " AND day <= ? AND NOT EXISTS (SELECT 1 FROM air_quality_daily AS d"
    " WHERE d.source = air_quality_daily_index.source"
    " AND d.station_code = air_quality_daily_index.station_code"
    " AND d.day = air_quality_daily_index.day AND d.sub_index IS NOT NULL)";

// The threshold of a level in force at a moment: the greatest valid_from on or before it.
std::string threshold_in_force(const std::string& moment) {
  return "t.valid_from = (SELECT MAX(v.valid_from) FROM air_quality_thresholds AS v"
         " WHERE v.pollutant = t.pollutant AND v.level = t.level AND v.valid_from <= " +
         moment + ")";
}

// Gaps and islands over the periods above a threshold, read as (level, first period, last
// period, periods, peak, peak period). `periods_above` lists (level, at, value) rows; a period
// is in the same run as the one before when it follows it directly (`unit` HOUR or DAY), so a
// missing or lower period ends a run. The peak is the highest value, the earliest on a tie.
std::string runs_query(const std::string& periods_above, const std::string& unit) {
  return "SELECT r.level, CAST(r.run_start AS CHAR), CAST(r.run_last AS CHAR), r.run_length,"
         " r.value_ugm3, CAST(r.moment AS CHAR) FROM (SELECT a.level, a.moment, a.value_ugm3,"
         " MIN(a.moment) OVER (PARTITION BY a.level, a.island) AS run_start,"
         " MAX(a.moment) OVER (PARTITION BY a.level, a.island) AS run_last,"
         " COUNT(*) OVER (PARTITION BY a.level, a.island) AS run_length,"
         " ROW_NUMBER() OVER (PARTITION BY a.level, a.island ORDER BY a.value_ugm3 DESC, a.moment)"
         " AS peak_rank FROM (SELECT n.level, n.moment, n.value_ugm3,"
         " n.moment - INTERVAL n.position " +
         unit +
         " AS island FROM (SELECT p.level, p.moment, p.value_ugm3,"
         " ROW_NUMBER() OVER (PARTITION BY p.level ORDER BY p.moment) AS position FROM (" +
         periods_above + ") AS p) AS n) AS a) AS r WHERE r.peak_rank = 1";
}

// Hourly values of one series within [from, to) above an 'hourly' threshold.
const std::string kHoursAbove =
    "SELECT t.level, m.measured_at AS moment, m.value_ugm3 FROM air_quality_measurements AS m"
    " JOIN air_quality_thresholds AS t ON t.pollutant = m.pollutant AND t.basis = 'hourly' AND " +
    threshold_in_force("m.measured_at") +
    " WHERE m.source = ? AND m.station_code = ? AND m.pollutant = ? AND m.measured_at >= ?"
    " AND m.measured_at < ? AND m.value_ugm3 > t.threshold_ugm3";

// Representative days of one series within [from, to) whose mean is above a 'daily_mean'
// threshold.
const std::string kDaysAbove =
    "SELECT t.level, TIMESTAMP(d.day) AS moment, d.mean_ugm3 AS value_ugm3"
    " FROM air_quality_daily AS d"
    " JOIN air_quality_thresholds AS t ON t.pollutant = d.pollutant AND t.basis = 'daily_mean'"
    " AND " +
    threshold_in_force("d.day") +
    " WHERE d.source = ? AND d.station_code = ? AND d.pollutant = ? AND d.day >= ?"
    " AND d.day < ? AND d.representative = 1 AND d.mean_ugm3 > t.threshold_ugm3";

// How one kind of run is found: its basis, its period and its query.
struct RunKind {
  const char* basis;
  std::chrono::seconds period;
  std::string query;
};

const std::vector<RunKind>& run_kinds() {
  static const std::vector<RunKind> kinds{
      {"hourly", std::chrono::hours(1), runs_query(kHoursAbove, "HOUR")},
      {"daily_mean", kDay, runs_query(kDaysAbove, "DAY")}};
  return kinds;
}

struct Run {
  std::string level;
  UtcSeconds start, end;  // end exclusive
  std::int64_t periods = 0;
  double peak = 0;
  UtcSeconds peak_at;
};

struct Span {
  UtcSeconds from, to;  // [from, to)
};

class FigureRebuilder {
 public:
  FigureRebuilder(sql::Connection& connection, const std::string& source, std::string& step)
      : connection_(connection), source_(source), step_(step) {}

  void rebuild(const TouchedDays& touched);

 private:
  void rebuild_daily(const AirQualitySeries& series, const std::set<UtcSeconds>& days);
  void rebuild_index(const std::string& station, UtcSeconds first_day, UtcSeconds last_day);
  void rebuild_runs(const AirQualitySeries& series, const RunKind& kind, Span span);
  Span widened(const AirQualitySeries& series, const RunKind& kind, Span span);
  std::vector<Run> recomputed_runs(const AirQualitySeries& series, const RunKind& kind, Span span);
  void delete_runs_not_in(const AirQualitySeries& series, const RunKind& kind, Span span,
                          const std::vector<Run>& kept);
  void upsert_runs(const AirQualitySeries& series, const RunKind& kind,
                   const std::vector<Run>& runs);

  sql::Connection& connection_;
  const std::string& source_;
  std::string& step_;
};

void FigureRebuilder::rebuild(const TouchedDays& touched) {
  std::map<std::string, Span> station_days;  // per station: first and last touched day
  for (const auto& [series, days] : touched) {
    rebuild_daily(series, days);
    const Span span{*days.begin(), *days.rbegin() + kDay};
    for (const auto& kind : run_kinds()) rebuild_runs(series, kind, span);
    const auto entry = station_days.try_emplace(series.station_code, span).first;
    entry->second.from = std::min(entry->second.from, span.from);
    entry->second.to = std::max(entry->second.to, span.to);
  }
  for (const auto& [station, span] : station_days) {
    rebuild_index(station, span.from, span.to - kDay);
  }
}

// One statement over the touched days' span: days between them are rebuilt unchanged.
void FigureRebuilder::rebuild_daily(const AirQualitySeries& series,
                                    const std::set<UtcSeconds>& days) {
  step_ = "rebuilding the daily figures of " + series.station_code + " " + series.pollutant;
  auto statement = prepare(connection_, kRebuildDaily);
  Binder(*statement)
      .text(source_)
      .text(series.station_code)
      .text(series.pollutant)
      .datetime(*days.begin())
      .datetime(*days.rbegin() + kDay);
  statement->executeUpdate();
}

void FigureRebuilder::rebuild_index(const std::string& station, UtcSeconds first_day,
                                    UtcSeconds last_day) {
  step_ = "rebuilding the daily index of " + station;
  for (const auto& statement_text : {kRebuildIndex, std::string(kDeleteStaleIndex)}) {
    auto statement = prepare(connection_, statement_text);
    Binder(*statement).text(source_).text(station).datetime(first_day).datetime(last_day);
    statement->executeUpdate();
  }
}

// Stored runs that overlap the span or touch it (closed bounds) are rebuilt whole.
Span FigureRebuilder::widened(const AirQualitySeries& series, const RunKind& kind, Span span) {
  auto statement = prepare(connection_,
                           "SELECT CAST(MIN(start_at) AS CHAR), CAST(MAX(end_at) AS CHAR)"
                           " FROM air_quality_exceedances WHERE source = ? AND station_code = ?"
                           " AND pollutant = ? AND basis = ? AND start_at <= ? AND end_at >= ?");
  Binder(*statement)
      .text(source_)
      .text(series.station_code)
      .text(series.pollutant)
      .text(kind.basis)
      .datetime(span.to)
      .datetime(span.from);
  auto row = run_query(*statement);
  row->next();
  const auto first = optional_datetime(*row, 1);
  const auto last = optional_datetime(*row, 2);
  if (first) span.from = std::min(span.from, *first);
  if (last) span.to = std::max(span.to, *last);
  return span;
}

std::vector<Run> FigureRebuilder::recomputed_runs(const AirQualitySeries& series,
                                                  const RunKind& kind, Span span) {
  auto statement = prepare(connection_, kind.query);
  Binder(*statement)
      .text(source_)
      .text(series.station_code)
      .text(series.pollutant)
      .datetime(span.from)
      .datetime(span.to);
  auto row = run_query(*statement);
  std::vector<Run> runs;
  while (row->next()) {
    Run run;
    run.level = text(*row, 1);
    run.start = parse_sql_datetime(text(*row, 2));
    run.end = parse_sql_datetime(text(*row, 3)) + kind.period;
    run.periods = std::stoll(text(*row, 4));
    run.peak = *optional_real(*row, 5);
    run.peak_at = parse_sql_datetime(text(*row, 6));
    runs.push_back(run);
  }
  return runs;
}

// Runs that start in the span and are not recomputed at the same start are gone.
void FigureRebuilder::delete_runs_not_in(const AirQualitySeries& series, const RunKind& kind,
                                         Span span, const std::vector<Run>& kept) {
  std::string keep;
  for (std::size_t i = 0; i < kept.size(); ++i) keep += i == 0 ? "(?, ?)" : ", (?, ?)";
  auto statement =
      prepare(connection_,
              "DELETE FROM air_quality_exceedances WHERE source = ? AND station_code = ?"
              " AND pollutant = ? AND basis = ? AND start_at >= ? AND start_at < ?" +
                  (kept.empty() ? std::string() : " AND (level, start_at) NOT IN (" + keep + ")"));
  Binder binder(*statement);
  binder.text(source_).text(series.station_code).text(series.pollutant).text(kind.basis);
  binder.datetime(span.from).datetime(span.to);
  for (const auto& run : kept) binder.text(run.level).datetime(run.start);
  statement->executeUpdate();
}

void FigureRebuilder::upsert_runs(const AirQualitySeries& series, const RunKind& kind,
                                  const std::vector<Run>& runs) {
  const MultiRowInsert insert{
      "INSERT INTO air_quality_exceedances (source, station_code, pollutant, level, start_at,"
      " basis, end_at, periods, peak_ugm3, peak_at, updated_at)",
      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3))",
      "ON DUPLICATE KEY UPDATE"
      " updated_at = IF(basis = VALUES(basis) AND end_at = VALUES(end_at)"
      " AND periods = VALUES(periods) AND peak_ugm3 = VALUES(peak_ugm3)"
      " AND peak_at = VALUES(peak_at), updated_at, VALUES(updated_at)),"
      " basis = VALUES(basis), end_at = VALUES(end_at), periods = VALUES(periods),"
      " peak_ugm3 = VALUES(peak_ugm3), peak_at = VALUES(peak_at)"};
  insert_rows(connection_, insert, runs.size(), [&](Binder& binder, std::size_t row) {
    const Run& run = runs[row];
    binder.text(source_).text(series.station_code).text(series.pollutant).text(run.level);
    binder.datetime(run.start).text(kind.basis).datetime(run.end).int64(run.periods);
    binder.real(run.peak).datetime(run.peak_at);
  });
}

void FigureRebuilder::rebuild_runs(const AirQualitySeries& series, const RunKind& kind, Span span) {
  step_ = std::string("rebuilding the ") + kind.basis + " exceedances of " + series.station_code +
          " " + series.pollutant;
  span = widened(series, kind, span);
  const auto runs = recomputed_runs(series, kind, span);
  delete_runs_not_in(series, kind, span, runs);
  upsert_runs(series, kind, runs);
}

}  // namespace

void rebuild_air_quality_figures(sql::Connection& connection, const std::string& source,
                                 const TouchedDays& touched, std::string& step) {
  FigureRebuilder(connection, source, step).rebuild(touched);
}

}  // namespace meteo::store
