// Alerts rebuilt from stored rows within a load's transaction: the window to re-detect, the
// records read back, the reconciliation written with its outbox rows.
#include "alert_derivation.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "meteo/core/errors.hpp"
#include "station_support.hpp"

namespace meteo::store {
namespace {

using alerts::Kind;

const std::vector<Kind> kWeatherKinds = {Kind::strong_wind, Kind::severe_cold, Kind::heat_wave,
                                         Kind::heavy_rain};

const char* unit_of(Kind kind) {
  switch (kind) {
    case Kind::strong_wind:
      return "km/h";
    case Kind::severe_cold:
    case Kind::heat_wave:
      return "°C";
    case Kind::heavy_rain:
      return "mm";
    case Kind::pollution:
      return "µg/m³";
  }
  return "";
}

// How far before a changed record the rules must read to judge it: the quiet period that joins
// it to an earlier episode, the 24 hours of the rain sum, the heat wave's running days.
std::chrono::seconds lookback(const alerts::AlertSettings& settings) {
  const auto quiet = std::chrono::hours(settings.quiet_hours);
  const auto rain = std::chrono::hours(24) + quiet;
  const auto heat = std::chrono::days(settings.heat_wave.days + 2);
  return std::max<std::chrono::seconds>({quiet, rain, heat});
}

std::string kinds_list(const std::vector<Kind>& kinds) {
  std::string list;
  for (const Kind kind : kinds) {
    list += (list.empty() ? "'" : ", '") + std::string(alerts::kind_text(kind)) + "'";
  }
  return list;
}

// The earliest start of a stored alert of these kinds that reaches into [from - lookback, ...):
// its episode must be re-detected whole.
std::optional<UtcSeconds> earliest_reaching_start(sql::Connection& connection,
                                                  const AlertPlace& place,
                                                  const std::vector<Kind>& kinds, UtcSeconds from,
                                                  std::chrono::seconds reach) {
  auto statement =
      prepare(connection,
              "SELECT CAST(MIN(start_at) AS CHAR) FROM alerts"
              " WHERE scope_type = ? AND source = ? AND scope_id = ? AND kind IN (" +
                  kinds_list(kinds) + ") AND start_at < ? AND (end_at IS NULL OR end_at > ?)");
  Binder(*statement)
      .text(place.scope_type)
      .text(place.source)
      .text(place.scope_id)
      .datetime(from)
      .datetime(from - reach);
  auto row = run_query(*statement);
  row->next();
  return optional_datetime(*row, 1);
}

// From touched_from back by the rules' reach, then back to the start of any stored alert that
// reaches the window (and again by the reach, to judge that alert's beginning).
UtcSeconds derivation_start(sql::Connection& connection, const AlertPlace& place,
                            UtcSeconds touched_from, const alerts::AlertSettings& settings) {
  const auto reach = lookback(settings);
  UtcSeconds from = touched_from - reach;
  for (int round = 0; round < 16; ++round) {
    const auto start = earliest_reaching_start(connection, place, kWeatherKinds, from, reach);
    if (!start || *start - reach >= from) break;
    from = *start - reach;
  }
  return from;
}

double measurement(const sql::ResultSet& row, unsigned column) {
  return optional_real(row, column).value_or(alerts::kMissing);
}

std::vector<alerts::Observation> read_observations(sql::Connection& connection,
                                                   const AlertPlace& place, UtcSeconds from) {
  auto statement =
      prepare(connection,
              "SELECT CAST(observed_at AS CHAR), temperature_c, wind_speed_kmh, gust_kmh, rain_mm"
              " FROM weather_observations WHERE source = ? AND dataset_id = ? AND observed_at >= ?"
              " ORDER BY observed_at");
  Binder(*statement).text(place.source).text(place.scope_id).datetime(from);
  auto row = run_query(*statement);
  std::vector<alerts::Observation> records;
  while (row->next()) {
    records.push_back({parse_sql_datetime(text(*row, 1)), measurement(*row, 2),
                       measurement(*row, 3), measurement(*row, 4), measurement(*row, 5)});
  }
  return records;
}

std::vector<UtcSeconds> read_triggers(sql::Connection& connection, std::int64_t alert_id) {
  auto statement = prepare(connection,
                           "SELECT CAST(triggered_at AS CHAR) FROM alert_triggers"
                           " WHERE alert_id = ? ORDER BY triggered_at");
  Binder(*statement).int64(alert_id);
  auto row = run_query(*statement);
  std::vector<UtcSeconds> triggers;
  while (row->next()) triggers.push_back(parse_sql_datetime(text(*row, 1)));
  return triggers;
}

nlohmann::json alert_json(std::int64_t id, const AlertPlace& place, const alerts::Episode& episode,
                          const char* event) {
  nlohmann::json json = {
      {"id", id},
      {"event", event},
      {"kind", alerts::kind_text(episode.kind)},
      {"level", episode.level},
      {"scope", {{"type", place.scope_type}, {"source", place.source}, {"id", place.scope_id}}},
      {"start", to_iso8601(episode.start)},
      {"end", episode.end ? nlohmann::json(to_iso8601(*episode.end)) : nlohmann::json()},
      {"peak_value", episode.peak_value},
      {"peak_at", to_iso8601(episode.peak_at)},
      {"threshold", episode.threshold},
      {"unit", unit_of(episode.kind)},
      {"rule_version", episode.rule_version},
      {"note", "indicative, not official vigilance"}};
  if (!episode.subject.empty()) json["subject"] = episode.subject;
  return json;
}

// 'pending' for the command to send; 'not_sent' without a command, or for a change to an alert
// that ended long ago (a backfill of last winter tells nobody).
const char* notification_status(const alerts::Episode& episode, const AlertDerivation& derivation) {
  if (derivation.settings.command.empty()) return "not_sent";
  if (episode.end &&
      derivation.now - *episode.end > std::chrono::hours(derivation.settings.notify_max_age_h)) {
    return "not_sent";
  }
  return "pending";
}

void insert_notification(sql::Connection& connection, std::int64_t id, const AlertPlace& place,
                         const alerts::Episode& episode, alerts::Change change,
                         const AlertDerivation& derivation) {
  const char* event = alerts::change_text(change);
  // The cycle is the alert's withdrawals so far: once per change within one life of the alert.
  auto statement =
      prepare(connection,
              "INSERT INTO alert_notifications (alert_id, cycle, event, level, payload,"
              " status, created_at) SELECT id, withdrawals, ?, ?, ?, ?,"
              " UTC_TIMESTAMP(3) FROM alerts WHERE id = ?"
              " ON DUPLICATE KEY UPDATE alert_id = alert_notifications.alert_id");
  Binder(*statement)
      .text(event)
      .text(episode.level)
      .text(alert_json(id, place, episode, event).dump())
      .text(notification_status(episode, derivation))
      .int64(id);
  statement->executeUpdate();
}

std::int64_t last_insert_id(sql::Connection& connection) {
  auto statement = prepare(connection, "SELECT LAST_INSERT_ID()");
  auto row = run_query(*statement);
  row->next();
  return row->getInt64(1);
}

void bind_episode(Binder& binder, const alerts::Episode& episode) {
  binder.text(episode.level).count(static_cast<std::size_t>(episode.level_rank));
  binder.datetime(episode.start);
  bind_optional_datetime(binder, episode.end);
  binder.real(episode.peak_value).datetime(episode.peak_at).real(episode.threshold);
  binder.text(unit_of(episode.kind)).text(episode.rule_version);
}

std::int64_t insert_alert(sql::Connection& connection, const AlertPlace& place,
                          const alerts::Episode& episode, std::int64_t run_id) {
  auto statement =
      prepare(connection,
              "INSERT INTO alerts (kind, subject, scope_type, source, scope_id, level, level_rank,"
              " start_at, end_at, peak_value, peak_at, threshold, unit, rule_version, first_run_id,"
              " last_run_id, created_at, updated_at)"
              " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3),"
              " UTC_TIMESTAMP(3))");
  Binder binder(*statement);
  binder.text(alerts::kind_text(episode.kind)).text(episode.subject);
  binder.text(place.scope_type).text(place.source).text(place.scope_id);
  bind_episode(binder, episode);
  binder.int64(run_id).int64(run_id);
  statement->executeUpdate();
  return last_insert_id(connection);
}

void update_alert(sql::Connection& connection, std::int64_t id, const alerts::Episode& episode,
                  std::int64_t run_id) {
  auto statement =
      prepare(connection,
              "UPDATE alerts SET level = ?, level_rank = ?, start_at = ?, end_at = ?,"
              " peak_value = ?, peak_at = ?, threshold = ?, unit = ?, rule_version = ?,"
              " last_run_id = ?, updated_at = UTC_TIMESTAMP(3), withdrawn_at = NULL WHERE id = ?");
  Binder binder(*statement);
  bind_episode(binder, episode);
  binder.int64(run_id).int64(id);
  statement->executeUpdate();
}

void replace_triggers(sql::Connection& connection, std::int64_t id,
                      const std::vector<UtcSeconds>& triggers) {
  auto remove = prepare(connection, "DELETE FROM alert_triggers WHERE alert_id = ?");
  Binder(*remove).int64(id);
  remove->executeUpdate();
  const MultiRowInsert insert{"INSERT INTO alert_triggers (alert_id, triggered_at)", "(?, ?)", "",
                              1000};
  insert_rows(connection, insert, triggers.size(),
              [&](Binder& binder, std::size_t i) { binder.int64(id).datetime(triggers[i]); });
}

const alerts::Episode& stored_episode(const std::vector<alerts::StoredAlert>& stored,
                                      std::int64_t id) {
  for (const auto& alert : stored) {
    if (alert.id == id) return alert.episode;
  }
  throw Error(ExitCode::software,
              "alert " + std::to_string(id) + " withdrawn but not among the place's stored alerts");
}

// Kept with its withdrawal time, never deleted: what was announced stays on record. Counted, so
// that the alert's next life notifies its changes again.
void withdraw_alert(sql::Connection& connection, std::int64_t id, std::int64_t run_id) {
  auto statement = prepare(connection,
                           "UPDATE alerts SET withdrawn_at = UTC_TIMESTAMP(3), last_run_id = ?,"
                           " updated_at = UTC_TIMESTAMP(3), withdrawals = withdrawals + 1"
                           " WHERE id = ?");
  Binder(*statement).int64(run_id).int64(id);
  statement->executeUpdate();
}

}  // namespace

std::vector<alerts::StoredAlert> read_place_alerts(sql::Connection& connection,
                                                   const AlertPlace& place,
                                                   const std::vector<Kind>& kinds,
                                                   UtcSeconds from) {
  auto statement = prepare(
      connection,
      "SELECT id, kind, subject, level, level_rank, CAST(start_at AS CHAR),"
      " CAST(end_at AS CHAR), peak_value, CAST(peak_at AS CHAR), threshold, rule_version,"
      " withdrawn_at IS NOT NULL FROM alerts WHERE scope_type = ? AND source = ? AND scope_id = ?"
      " AND kind IN (" +
          kinds_list(kinds) + ") AND (end_at IS NULL OR end_at > ?) ORDER BY start_at, id");
  Binder(*statement).text(place.scope_type).text(place.source).text(place.scope_id).datetime(from);
  auto row = run_query(*statement);
  std::vector<alerts::StoredAlert> stored;
  while (row->next()) {
    alerts::StoredAlert alert;
    alert.id = row->getInt64(1);
    const auto kind = alerts::parse_kind(text(*row, 2));
    if (!kind) throw Error(ExitCode::software, "alert " + std::to_string(alert.id) + ": kind");
    alert.episode.kind = *kind;
    alert.episode.subject = text(*row, 3);
    alert.episode.level = text(*row, 4);
    alert.episode.level_rank = row->getInt(5);
    alert.episode.start = parse_sql_datetime(text(*row, 6));
    alert.episode.end = optional_datetime(*row, 7);
    alert.episode.peak_value = static_cast<double>(row->getDouble(8));
    alert.episode.peak_at = parse_sql_datetime(text(*row, 9));
    alert.episode.threshold = static_cast<double>(row->getDouble(10));
    alert.episode.rule_version = text(*row, 11);
    alert.withdrawn = row->getInt(12) != 0;
    stored.push_back(std::move(alert));
  }
  for (auto& alert : stored) alert.episode.triggers = read_triggers(connection, alert.id);
  return stored;
}

std::size_t apply_reconciliation(sql::Connection& connection, const AlertPlace& place,
                                 const std::vector<alerts::StoredAlert>& stored,
                                 const alerts::Reconciliation& reconciliation,
                                 const AlertDerivation& derivation) {
  for (const std::int64_t id : reconciliation.withdrawn) {
    // The notice first: it belongs to the life the withdrawal ends.
    insert_notification(connection, id, place, stored_episode(stored, id),
                        alerts::Change::withdrawn, derivation);
    withdraw_alert(connection, id, derivation.run_id);
  }
  for (const alerts::AlertWrite& write : reconciliation.writes) {
    std::int64_t id = 0;
    if (write.id) {
      id = *write.id;
      update_alert(connection, id, write.episode, derivation.run_id);
    } else {
      id = insert_alert(connection, place, write.episode, derivation.run_id);
    }
    replace_triggers(connection, id, write.episode.triggers);
    for (const alerts::Change change : write.changes) {
      insert_notification(connection, id, place, write.episode, change, derivation);
    }
  }
  return reconciliation.writes.size() + reconciliation.withdrawn.size();
}

std::size_t derive_station_alerts(sql::Connection& connection, const AlertPlace& place,
                                  UtcSeconds touched_from, const AlertDerivation& derivation) {
  const UtcSeconds from = derivation_start(connection, place, touched_from, derivation.settings);
  const auto records = read_observations(connection, place, from);
  const auto episodes = alerts::detect_weather_episodes(records, derivation.settings);
  const auto stored = read_place_alerts(connection, place, kWeatherKinds, from);
  return apply_reconciliation(connection, place, stored, alerts::reconcile(stored, episodes),
                              derivation);
}

std::vector<alerts::Exceedance> read_exceedances(sql::Connection& connection,
                                                 const AlertPlace& place,
                                                 const std::string& pollutant) {
  // The threshold in force at the run's start (the table has one per level from valid_from on).
  auto statement = prepare(
      connection,
      "SELECT e.level, CAST(e.start_at AS CHAR), CAST(e.end_at AS CHAR), e.peak_ugm3,"
      " CAST(e.peak_at AS CHAR), (SELECT t.threshold_ugm3 FROM air_quality_thresholds t"
      " WHERE t.pollutant = e.pollutant AND t.level = e.level AND t.valid_from <= e.start_at"
      " ORDER BY t.valid_from DESC LIMIT 1) FROM air_quality_exceedances e"
      " WHERE e.source = ? AND e.station_code = ? AND e.pollutant = ? ORDER BY e.start_at, "
      "e.level");
  Binder(*statement).text(place.source).text(place.scope_id).text(pollutant);
  auto row = run_query(*statement);
  std::vector<alerts::Exceedance> runs;
  while (row->next()) {
    runs.push_back({pollutant, text(*row, 1), parse_sql_datetime(text(*row, 2)),
                    parse_sql_datetime(text(*row, 3)), static_cast<double>(row->getDouble(4)),
                    parse_sql_datetime(text(*row, 5)), optional_real(*row, 6).value_or(0)});
  }
  return runs;
}

// The hour after the station's newest measurement of the pollutant: a run reaching it may go on.
std::optional<UtcSeconds> measured_through(sql::Connection& connection, const AlertPlace& place,
                                           const std::string& pollutant) {
  auto statement = prepare(connection,
                           "SELECT CAST(MAX(measured_at) AS CHAR) FROM air_quality_measurements"
                           " WHERE source = ? AND station_code = ? AND pollutant = ?");
  Binder(*statement).text(place.source).text(place.scope_id).text(pollutant);
  auto row = run_query(*statement);
  row->next();
  const auto newest = optional_datetime(*row, 1);
  if (!newest) return std::nullopt;
  return *newest + std::chrono::hours(1);
}

std::size_t derive_pollution_alerts(sql::Connection& connection, const AlertPlace& place,
                                    const std::vector<std::string>& pollutants,
                                    const AlertDerivation& derivation) {
  // Exceedance runs are few (hours above regulatory thresholds): a station's whole record is
  // re-read, so the alerts always match air_quality_exceedances.
  std::vector<alerts::Episode> episodes;
  for (const std::string& pollutant : pollutants) {
    const auto through = measured_through(connection, place, pollutant);
    if (!through) continue;
    auto found =
        alerts::pollution_episodes(read_exceedances(connection, place, pollutant), *through);
    episodes.insert(episodes.end(), found.begin(), found.end());
  }
  std::vector<alerts::StoredAlert> stored;
  for (auto& alert : read_place_alerts(connection, place, {Kind::pollution}, UtcSeconds{})) {
    const bool concerned =
        std::find(pollutants.begin(), pollutants.end(), alert.episode.subject) != pollutants.end();
    if (concerned) stored.push_back(std::move(alert));
  }
  return apply_reconciliation(connection, place, stored, alerts::reconcile(stored, episodes),
                              derivation);
}

}  // namespace meteo::store
