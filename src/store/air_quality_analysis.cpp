// `analyze`'s reads (a series with its paired weather, pairings, station-pollutants) and its one
// write: an analysis result replacing the previous one of its station-pollutant.
#include "meteo/store/air_quality_analysis.hpp"

#include <cmath>
#include <string>
#include <vector>

#include "sql_support.hpp"
#include "station_support.hpp"

namespace meteo {

using store::Binder;

namespace {

std::string what(const std::string& source, const std::string& station,
                 const std::string& pollutant) {
  return "source " + source + " station " + station + " " + pollutant;
}

double weather_value(const sql::ResultSet& row, unsigned column) {
  return store::optional_real(row, column).value_or(analysis::kMissing);
}

// The columns are NOT NULL: a NaN from the analysis is a defect, named before the server sees it.
double finite(double value, const std::string& column, const std::string& of) {
  if (!std::isfinite(value)) {
    throw Error(ExitCode::software, of + ": the analysis gave a non-finite " + column);
  }
  return value;
}

}  // namespace

std::optional<WeatherPairing> read_weather_pairing(Database& db, const std::string& source,
                                                   const std::string& station_code) {
  return store::guarded("reading the weather pairing of station " + station_code + " of " + source,
                        [&]() -> std::optional<WeatherPairing> {
                          auto statement =
                              store::prepare(db.connection(),
                                             "SELECT weather_source, weather_dataset, distance_km"
                                             " FROM air_quality_station_pairs"
                                             " WHERE source = ? AND station_code = ?");
                          Binder(*statement).text(source).text(station_code);
                          auto row = store::run_query(*statement);
                          if (!row->next()) return std::nullopt;
                          return WeatherPairing{store::text(*row, 1), store::text(*row, 2),
                                                static_cast<double>(row->getDouble(3))};
                        });
}

bool source_has_station(Database& db, const std::string& source, const std::string& station_code) {
  return store::guarded("looking up station " + station_code + " of " + source, [&] {
    auto statement =
        store::prepare(db.connection(),
                       "SELECT 1 FROM air_quality_stations WHERE source = ? AND station_code = ?");
    Binder(*statement).text(source).text(station_code);
    return store::run_query(*statement)->next();
  });
}

std::vector<StationPollutant> list_station_pollutants(Database& db, const std::string& source,
                                                      const std::string& station_code,
                                                      const std::string& pollutant) {
  return store::guarded("listing the station-pollutants of " + source, [&] {
    auto statement = store::prepare(
        db.connection(),
        "SELECT station_code, pollutant, COUNT(*) FROM air_quality_measurements"
        " WHERE source = ? AND (? = '' OR station_code = ?) AND (? = '' OR pollutant = ?)"
        " GROUP BY station_code, pollutant ORDER BY station_code, pollutant");
    Binder(*statement)
        .text(source)
        .text(station_code)
        .text(station_code)
        .text(pollutant)
        .text(pollutant);
    auto row = store::run_query(*statement);
    std::vector<StationPollutant> out;
    while (row->next()) {
      out.push_back({store::text(*row, 1), store::text(*row, 2),
                     static_cast<std::size_t>(row->getUInt64(3))});
    }
    return out;
  });
}

analysis::PollutionSeries read_pollution_series(Database& db, const std::string& source,
                                                const std::string& station_code,
                                                const std::string& pollutant,
                                                std::optional<UtcSeconds> from,
                                                std::optional<UtcSeconds> to) {
  return store::guarded("reading the hours of " + what(source, station_code, pollutant), [&] {
    auto statement = store::prepare(
        db.connection(),
        "SELECT CAST(Hour AS CHAR), Value, WindSpeed, WindDirection, Temperature, Humidity,"
        " Pressure, Rain FROM air_quality_weather_hourly_v2"
        " WHERE AqSource = ? AND StationCode = ? AND Pollutant = ?"
        " AND (? IS NULL OR Hour >= ?) AND (? IS NULL OR Hour < ?) ORDER BY Hour");
    Binder binder(*statement);
    binder.text(source).text(station_code).text(pollutant);
    store::bind_optional_datetime(binder, from);
    store::bind_optional_datetime(binder, from);
    store::bind_optional_datetime(binder, to);
    store::bind_optional_datetime(binder, to);
    auto row = store::run_query(*statement);
    analysis::PollutionSeries series;
    while (row->next()) {
      analysis::PollutionHour hour;
      hour.hour = parse_sql_datetime(store::text(*row, 1));
      hour.concentration = static_cast<double>(row->getDouble(2));
      hour.wind_speed = weather_value(*row, 3);
      hour.wind_direction = weather_value(*row, 4);
      hour.temperature = weather_value(*row, 5);
      hour.humidity = weather_value(*row, 6);
      hour.pressure = weather_value(*row, 7);
      hour.rain = weather_value(*row, 8);
      series.push_back(hour);
    }
    return series;
  });
}

std::vector<NormalisedDay> daily_means(const std::vector<analysis::NormalisedHour>& hours) {
  std::vector<NormalisedDay> days;
  NormalisedDay current;
  const auto close = [&] {
    if (current.hours >= kMinHoursPerDay) {
      const double n = static_cast<double>(current.hours);
      current.observed /= n;
      current.predicted /= n;
      current.normalised /= n;
      days.push_back(current);
    }
  };
  for (const analysis::NormalisedHour& hour : hours) {
    const UtcSeconds day = std::chrono::floor<std::chrono::days>(hour.hour);
    if (current.hours == 0 || day != current.day) {
      if (current.hours > 0) close();
      current = NormalisedDay{day, 0, 0, 0, 0};
    }
    current.observed += hour.observed;
    current.predicted += hour.predicted;
    current.normalised += hour.normalised;
    ++current.hours;
  }
  if (current.hours > 0) close();
  return days;
}

namespace {

void delete_result(sql::Connection& connection, const AnalysisResult& result) {
  // The series and effects first: they reference the card.
  for (const char* table : {"air_quality_normalised", "air_quality_intervention_effects",
                            "air_quality_normalisation_models"}) {
    auto statement = store::prepare(connection, std::string("DELETE FROM ") + table +
                                                    " WHERE source = ? AND station_code = ?"
                                                    " AND pollutant = ?");
    Binder(*statement).text(result.source).text(result.station_code).text(result.pollutant);
    statement->executeUpdate();
  }
}

void insert_card(sql::Connection& connection, const AnalysisResult& result, const std::string& of) {
  const NormalisationModelCard& card = result.card;
  auto statement = store::prepare(
      connection,
      "INSERT INTO air_quality_normalisation_models (source, station_code, pollutant, run_id,"
      " weather_source, weather_dataset, learner, parameters, seed, threads, training_from,"
      " training_to, training_hours, holdout_hours, r2, rmse_ugm3, created_at)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3))");
  Binder binder(*statement);
  binder.text(result.source).text(result.station_code).text(result.pollutant).int64(card.run_id);
  binder.text(card.weather.weather_source).text(card.weather.weather_dataset).text(card.learner);
  binder.text(card.parameters).text(std::to_string(card.seed)).count(card.threads);
  binder.datetime(card.training_from).datetime(card.training_to);
  binder.count(card.score.training_hours).count(card.score.holdout_hours);
  binder.real(finite(card.score.r2, "r2", of)).real(finite(card.score.rmse, "rmse", of));
  statement->executeUpdate();
}

void insert_hours(sql::Connection& connection, const AnalysisResult& result,
                  const std::vector<NormalisedDay>& days, const std::string& of) {
  const store::MultiRowInsert insert{
      "INSERT INTO air_quality_normalised (source, station_code, pollutant, resolution,"
      " period_start, observed_ugm3, predicted_ugm3, normalised_ugm3, hours)",
      "(?, ?, ?, ?, ?, ?, ?, ?, ?)", "", 1000};
  const auto bind_common = [&](Binder& binder, const char* resolution) -> Binder& {
    return binder.text(result.source)
        .text(result.station_code)
        .text(result.pollutant)
        .text(resolution);
  };
  store::insert_rows(connection, insert, result.hours.size(), [&](Binder& binder, std::size_t i) {
    const analysis::NormalisedHour& hour = result.hours[i];
    bind_common(binder, "hour").datetime(hour.hour);
    binder.real(finite(hour.observed, "observed value", of))
        .real(finite(hour.predicted, "predicted value", of))
        .real(finite(hour.normalised, "normalised value", of))
        .count(1);
  });
  store::insert_rows(connection, insert, days.size(), [&](Binder& binder, std::size_t i) {
    const NormalisedDay& day = days[i];
    bind_common(binder, "day").datetime(day.day);
    binder.real(day.observed).real(day.predicted).real(day.normalised).count(day.hours);
  });
}

void insert_effects(sql::Connection& connection, const AnalysisResult& result,
                    const std::string& of) {
  const store::MultiRowInsert insert{
      "INSERT INTO air_quality_intervention_effects (source, station_code, pollutant,"
      " intervention, intervention_date, method, hours_before, hours_after, raw_effect_percent,"
      " effect_percent, effect_ci_low_percent, effect_ci_high_percent)",
      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "", 500};
  store::insert_rows(connection, insert, result.effects.size(), [&](Binder& binder, std::size_t i) {
    const InterventionEffect& effect = result.effects[i];
    const analysis::ImpactEstimate& e = effect.estimate;
    const std::string named = of + " intervention " + effect.intervention;
    binder.text(result.source).text(result.station_code).text(result.pollutant);
    binder.text(effect.intervention)
        .datetime(effect.date)
        .text(analysis::impact_method_text(effect.method));
    binder.count(e.hours_before).count(e.hours_after);
    binder.real(finite(e.raw_effect_percent, "raw effect", named))
        .real(finite(e.effect_percent, "effect", named))
        .real(finite(e.effect_ci_low_percent, "interval low", named))
        .real(finite(e.effect_ci_high_percent, "interval high", named));
  });
}

}  // namespace

WrittenAnalysis write_analysis_result(Database& db, const AnalysisResult& result) {
  const std::string of = what(result.source, result.station_code, result.pollutant);
  const std::vector<NormalisedDay> days = daily_means(result.hours);
  return store::with_transaction_retries(db.transaction_retry(), [&] {
    return store::guarded("writing the analysis of " + of, [&] {
      store::Transaction transaction(db.connection());
      delete_result(db.connection(), result);
      insert_card(db.connection(), result, of);
      insert_hours(db.connection(), result, days, of);
      insert_effects(db.connection(), result, of);
      transaction.commit();
      return WrittenAnalysis{result.hours.size(), days.size(), result.effects.size()};
    });
  });
}

}  // namespace meteo
