#include "normalised_seed.hpp"

#include <cppconn/connection.h>
#include <cppconn/prepared_statement.h>

#include <memory>

namespace meteo::testing {
namespace {

using Statement = std::unique_ptr<sql::PreparedStatement>;

Statement prepare(Database& db, const char* sql) {
  return Statement(db.connection().prepareStatement(sql));
}

}  // namespace

void seed_normalised(Database& db, const std::vector<NormalisedModelSeed>& models,
                     const std::vector<EffectSeed>& effects) {
  const Statement card = prepare(
      db,
      "INSERT INTO air_quality_normalisation_models (source, station_code, pollutant, run_id,"
      " weather_source, weather_dataset, learner, parameters, seed, threads, training_from,"
      " training_to, training_hours, holdout_hours, r2, rmse_ugm3, created_at)"
      " VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '2026-05-02 03:04:05.678')");
  const Statement row =
      prepare(db,
              "INSERT INTO air_quality_normalised (source, station_code, pollutant, resolution,"
              " period_start, observed_ugm3, predicted_ugm3, normalised_ugm3, hours)"
              " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (const auto& model : models) {
    card->setString(1, model.source);
    card->setString(2, model.station_code);
    card->setString(3, model.pollutant);
    card->setString(4, model.weather_source);
    card->setString(5, model.weather_dataset);
    card->setString(6, model.learner);
    card->setString(7, model.parameters);
    card->setUInt64(8, model.seed);
    card->setInt(9, model.threads);
    card->setString(10, model.training_from);
    card->setString(11, model.training_to);
    card->setInt64(12, model.training_hours);
    card->setInt64(13, model.holdout_hours);
    card->setDouble(14, model.r2);
    card->setDouble(15, model.rmse_ugm3);
    card->executeUpdate();
    const auto insert = [&](const std::string& resolution, const std::string& start,
                            const NormalisedDaySeed& values, int hours) {
      row->setString(1, model.source);
      row->setString(2, model.station_code);
      row->setString(3, model.pollutant);
      row->setString(4, resolution);
      row->setString(5, start);
      row->setDouble(6, values.observed);
      row->setDouble(7, values.predicted);
      row->setDouble(8, values.normalised);
      row->setInt(9, hours);
      row->executeUpdate();
    };
    for (int hour = 0; hour < model.hourly_rows; ++hour) {
      insert("hour",
             "2025-12-31 " + std::string(hour < 10 ? "0" : "") + std::to_string(hour) + ":00:00",
             {"", 999, 999, 999, 1}, 1);
    }
    for (const auto& day : model.days) insert("day", day.day + " 00:00:00", day, day.hours);
  }
  const Statement effect = prepare(
      db,
      "INSERT INTO air_quality_intervention_effects (source, station_code, pollutant,"
      " intervention, intervention_date, method, hours_before, hours_after, raw_effect_percent,"
      " effect_percent, effect_ci_low_percent, effect_ci_high_percent)"
      " VALUES (?, ?, ?, ?, ?, ?, 1440, 1440, ?, ?, ?, ?)");
  for (const auto& seed : effects) {
    effect->setString(1, seed.source);
    effect->setString(2, seed.station_code);
    effect->setString(3, seed.pollutant);
    effect->setString(4, seed.intervention);
    effect->setString(5, seed.date);
    effect->setString(6, seed.method);
    effect->setDouble(7, seed.raw_effect);
    effect->setDouble(8, seed.effect);
    effect->setDouble(9, seed.ci_low);
    effect->setDouble(10, seed.ci_high);
    effect->executeUpdate();
  }
}

}  // namespace meteo::testing
