-- meteo-etl schema, version 7: weather-normalised air quality (`analyze normalise`) and the
-- estimated effect of the city's interventions. Conventions of 0006: UTC DATETIMEs, utf8mb4_bin
-- identifiers, no JSON type. Each (source, station, pollutant) holds the result of its latest
-- analysis only: a new one replaces the card, the series and the effects in one transaction.
-- Never edit this file once released: add 0008_... instead.

-- The model card: what reproduces a figure. `run_id` is the etl_runs row (kind 'analyze').
CREATE TABLE air_quality_normalisation_models (
  source VARCHAR(64) NOT NULL,
  station_code VARCHAR(64) NOT NULL,
  pollutant VARCHAR(16) NOT NULL,
  run_id BIGINT NOT NULL,
  weather_source VARCHAR(64) NOT NULL,
  weather_dataset VARCHAR(255) NOT NULL,
  learner VARCHAR(64) NOT NULL,       -- "xgboost 1.7.4 gbtree"
  parameters TEXT NOT NULL,           -- the settings, as "key=value" pairs separated by spaces
  seed BIGINT UNSIGNED NOT NULL,
  threads SMALLINT UNSIGNED NOT NULL,
  training_from DATETIME NOT NULL,
  training_to DATETIME NOT NULL,      -- exclusive
  training_hours INT UNSIGNED NOT NULL,
  holdout_hours INT UNSIGNED NOT NULL,
  r2 DOUBLE NOT NULL,
  rmse_ugm3 DOUBLE NOT NULL,
  created_at DATETIME(3) NOT NULL,
  PRIMARY KEY (source, station_code, pollutant),
  KEY air_quality_normalisation_models_run (run_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The observed and normalised series, hourly and daily (resolution 'hour' or 'day'; a day is
-- kept with at least 18 of its hours, as air_quality_daily). `predicted`: the model's value with
-- the period's own weather.
CREATE TABLE air_quality_normalised (
  source VARCHAR(64) NOT NULL,
  station_code VARCHAR(64) NOT NULL,
  pollutant VARCHAR(16) NOT NULL,
  resolution VARCHAR(4) NOT NULL,
  period_start DATETIME NOT NULL,
  observed_ugm3 DOUBLE NOT NULL,
  predicted_ugm3 DOUBLE NOT NULL,
  normalised_ugm3 DOUBLE NOT NULL,
  hours SMALLINT UNSIGNED NOT NULL,
  PRIMARY KEY (source, station_code, pollutant, resolution, period_start),
  CONSTRAINT air_quality_normalised_model FOREIGN KEY (source, station_code, pollutant)
    REFERENCES air_quality_normalisation_models (source, station_code, pollutant)
    ON DELETE CASCADE,
  CONSTRAINT air_quality_normalised_resolution CHECK (resolution IN ('hour', 'day'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The effect of each configured intervention ([[interventions]]) that concerns the station, as
-- `analyze impact` would print it with its defaults, estimated by the same analysis run.
CREATE TABLE air_quality_intervention_effects (
  source VARCHAR(64) NOT NULL,
  station_code VARCHAR(64) NOT NULL,
  pollutant VARCHAR(16) NOT NULL,
  intervention VARCHAR(128) NOT NULL,
  intervention_date DATETIME NOT NULL,
  method VARCHAR(16) NOT NULL,
  hours_before INT UNSIGNED NOT NULL,
  hours_after INT UNSIGNED NOT NULL,
  raw_effect_percent DOUBLE NOT NULL,
  effect_percent DOUBLE NOT NULL,
  effect_ci_low_percent DOUBLE NOT NULL,
  effect_ci_high_percent DOUBLE NOT NULL,
  PRIMARY KEY (source, station_code, pollutant, intervention),
  CONSTRAINT air_quality_intervention_effects_model FOREIGN KEY (source, station_code, pollutant)
    REFERENCES air_quality_normalisation_models (source, station_code, pollutant)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Version 2 of the joined view: the paired station's pressure too (the learner's input).
CREATE SQL SECURITY INVOKER VIEW air_quality_weather_hourly_v2 AS
SELECT
  m.source AS AqSource,
  m.station_code AS StationCode,
  m.pollutant AS Pollutant,
  m.measured_at AS Hour,
  m.value_ugm3 AS Value,
  p.weather_dataset AS WeatherStation,
  p.distance_km AS DistanceKm,
  w.temperature_mean AS Temperature,
  w.humidity_mean AS Humidity,
  w.wind_mean AS WindSpeed,
  w.wind_direction_mean AS WindDirection,
  w.rain_sum AS Rain,
  w.pressure_mean AS Pressure
FROM air_quality_measurements AS m
LEFT JOIN air_quality_station_pairs AS p
  ON p.source = m.source AND p.station_code = m.station_code
LEFT JOIN station_hourly_weather AS w
  ON w.source = p.weather_source AND w.dataset_id = p.weather_dataset AND w.hour = m.measured_at;

-- The unversioned name follows the latest version; v1 stays for its readers.
CREATE OR REPLACE SQL SECURITY INVOKER VIEW air_quality_weather_hourly AS
SELECT AqSource, StationCode, Pollutant, Hour, Value, WeatherStation, DistanceKm, Temperature,
  Humidity, WindSpeed, WindDirection, Rain, Pressure
FROM air_quality_weather_hourly_v2;
