// Read-only queries over the tables of migration 0007 and the daily means' traffic increment.
#include "meteo/store/normalised_read.hpp"

#include "sql_support.hpp"

namespace meteo {

using store::Binder;

namespace {

UtcSeconds datetime(const sql::ResultSet& row, unsigned column) {
  return parse_sql_datetime(store::text(row, column));
}

// Runs `sql` with `bind`'s parameters, one row at a time into `read`.
template <class Row, class Bind, class Read>
std::vector<Row> rows_of(Database& db, const std::string& purpose, const std::string& sql,
                         Bind bind, Read read) {
  return store::guarded(purpose, [&] {
    auto statement = store::prepare(db.connection(), sql);
    Binder binder(*statement);
    bind(binder);
    auto row = store::run_query(*statement);
    std::vector<Row> rows;
    while (row->next()) rows.push_back(read(*row));
    return rows;
  });
}

}  // namespace

std::vector<NormalisationModelRow> query_normalisation_models(Database& db,
                                                              const std::string& source) {
  // created_at is DATETIME(3): formatted to the second, as parse_sql_datetime reads it.
  const std::string sql =
      "SELECT m.station_code, m.pollutant, s.name, m.run_id, m.weather_source,"
      " m.weather_dataset, m.learner, m.parameters, m.seed, m.threads,"
      " CAST(m.training_from AS CHAR), CAST(m.training_to AS CHAR), m.training_hours,"
      " m.holdout_hours, m.r2, m.rmse_ugm3, DATE_FORMAT(m.created_at, '%Y-%m-%d %H:%i:%s')"
      " FROM air_quality_normalisation_models AS m LEFT JOIN air_quality_stations AS s"
      " ON s.source = m.source AND s.station_code = m.station_code"
      " WHERE m.source = ? AND EXISTS (SELECT 1 FROM air_quality_normalised AS n"
      " WHERE n.source = m.source AND n.station_code = m.station_code"
      " AND n.pollutant = m.pollutant AND n.resolution = 'day')"
      " ORDER BY m.station_code, m.pollutant";
  return rows_of<NormalisationModelRow>(
      db, "reading the normalisation models of " + source, sql,
      [&](Binder& binder) { binder.text(source); },
      [&](const sql::ResultSet& row) {
        NormalisationModelRow out;
        out.source = source;
        out.station_code = store::text(row, 1);
        out.pollutant = store::text(row, 2);
        out.station_name = store::optional_text(row, 3).value_or("");
        out.run_id = row.getInt64(4);
        out.weather_source = store::text(row, 5);
        out.weather_dataset = store::text(row, 6);
        out.learner = store::text(row, 7);
        out.parameters = store::text(row, 8);
        out.seed = row.getUInt64(9);
        out.threads = static_cast<int>(row.getInt(10));
        out.training_from = datetime(row, 11);
        out.training_to = datetime(row, 12);
        out.training_hours = row.getInt64(13);
        out.holdout_hours = row.getInt64(14);
        out.r2 = static_cast<double>(row.getDouble(15));
        out.rmse_ugm3 = static_cast<double>(row.getDouble(16));
        out.created_at = datetime(row, 17);
        return out;
      });
}

std::vector<NormalisedDayRow> query_normalised_days(Database& db, const std::string& source,
                                                    const std::string& station_code,
                                                    const std::string& pollutant) {
  const std::string sql =
      "SELECT CAST(DATE(period_start) AS CHAR), observed_ugm3, predicted_ugm3, normalised_ugm3,"
      " hours FROM air_quality_normalised WHERE source = ? AND station_code = ?"
      " AND pollutant = ? AND resolution = 'day' ORDER BY period_start";
  return rows_of<NormalisedDayRow>(
      db, "reading the normalised days of " + station_code + " " + pollutant, sql,
      [&](Binder& binder) { binder.text(source).text(station_code).text(pollutant); },
      [](const sql::ResultSet& row) {
        return NormalisedDayRow{store::text(row, 1), static_cast<double>(row.getDouble(2)),
                                static_cast<double>(row.getDouble(3)),
                                static_cast<double>(row.getDouble(4)),
                                static_cast<int>(row.getInt(5))};
      });
}

std::vector<InterventionEffectRow> query_intervention_effects(Database& db,
                                                              const std::string& source) {
  const std::string sql =
      "SELECT station_code, pollutant, intervention, CAST(intervention_date AS CHAR), method,"
      " hours_before, hours_after, raw_effect_percent, effect_percent, effect_ci_low_percent,"
      " effect_ci_high_percent FROM air_quality_intervention_effects WHERE source = ?"
      " ORDER BY station_code, pollutant, intervention_date, intervention";
  return rows_of<InterventionEffectRow>(
      db, "reading the intervention effects of " + source, sql,
      [&](Binder& binder) { binder.text(source); },
      [&](const sql::ResultSet& row) {
        InterventionEffectRow out;
        out.source = source;
        out.station_code = store::text(row, 1);
        out.pollutant = store::text(row, 2);
        out.intervention = store::text(row, 3);
        out.intervention_date = datetime(row, 4);
        out.method = store::text(row, 5);
        out.hours_before = row.getInt64(6);
        out.hours_after = row.getInt64(7);
        out.raw_effect_percent = static_cast<double>(row.getDouble(8));
        out.effect_percent = static_cast<double>(row.getDouble(9));
        out.effect_ci_low_percent = static_cast<double>(row.getDouble(10));
        out.effect_ci_high_percent = static_cast<double>(row.getDouble(11));
        return out;
      });
}

std::vector<IncrementDayRow> query_traffic_increment(Database& db, const std::string& source) {
  // Each kind's mean over its stations' representative days; the day is kept only when both
  // kinds have a station that day. The literals take the column's case-insensitive collation.
  const std::string sql =
      "SELECT d.pollutant, CAST(d.day AS CHAR),"
      " AVG(CASE WHEN s.influence = 'Trafic' THEN d.mean_ugm3 END),"
      " AVG(CASE WHEN s.influence = 'Fond' THEN d.mean_ugm3 END),"
      " SUM(CASE WHEN s.influence = 'Trafic' THEN 1 ELSE 0 END),"
      " SUM(CASE WHEN s.influence = 'Fond' THEN 1 ELSE 0 END)"
      " FROM air_quality_daily AS d JOIN air_quality_stations AS s"
      " ON s.source = d.source AND s.station_code = d.station_code"
      " WHERE d.source = ? AND d.representative = 1 AND s.influence IN ('Trafic', 'Fond')"
      " GROUP BY d.pollutant, d.day"
      " HAVING SUM(CASE WHEN s.influence = 'Trafic' THEN 1 ELSE 0 END) > 0"
      " AND SUM(CASE WHEN s.influence = 'Fond' THEN 1 ELSE 0 END) > 0"
      " ORDER BY d.pollutant, d.day";
  return rows_of<IncrementDayRow>(
      db, "reading the traffic increment of " + source, sql,
      [&](Binder& binder) { binder.text(source); },
      [](const sql::ResultSet& row) {
        return IncrementDayRow{store::text(row, 1),
                               store::text(row, 2),
                               static_cast<double>(row.getDouble(3)),
                               static_cast<double>(row.getDouble(4)),
                               static_cast<int>(row.getInt(5)),
                               static_cast<int>(row.getInt(6))};
      });
}

}  // namespace meteo
