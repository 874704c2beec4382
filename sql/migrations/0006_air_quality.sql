-- meteo-etl schema, version 6: air quality from ATMO-style sources (ArcGIS layers, hub CSVs).
-- Portable between MariaDB 10.11 and MySQL 8, conventions of 0001/0002: every DATETIME is UTC,
-- identifiers are utf8mb4_bin, names shown to people utf8mb4_unicode_ci; no JSON type, no
-- generated columns; window functions only in the load's statements. Values in µg/m³.
-- The daily figures, the index and the exceedances are rebuilt by the load
-- (src/store/air_quality_*.cpp) for the days whose measurements change; `updated_at` moves only
-- when a value changes.
-- Never edit this file once released: add 0007_... instead.

-- The stations of each source, as their records last described them. A station no longer served
-- stays, so its measurements keep their meaning.
CREATE TABLE air_quality_stations (
  source VARCHAR(64) NOT NULL,
  station_code VARCHAR(64) NOT NULL,
  name VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL,
  commune VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL,
  insee VARCHAR(16) NOT NULL,
  department VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL,
  typology VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL,
  influence VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL,
  latitude DOUBLE NOT NULL,
  longitude DOUBLE NOT NULL,
  first_run_id BIGINT NOT NULL,
  last_run_id BIGINT NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (source, station_code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The region of each station in each set of its source; NULL when it lies outside that set.
CREATE TABLE air_quality_station_regions (
  source VARCHAR(64) NOT NULL,
  station_code VARCHAR(64) NOT NULL,
  region_set VARCHAR(64) NOT NULL,
  region_code VARCHAR(64) NULL,
  PRIMARY KEY (source, station_code, region_set),
  KEY air_quality_station_regions_set_code (region_set, region_code),
  CONSTRAINT air_quality_station_regions_station FOREIGN KEY (source, station_code)
    REFERENCES air_quality_stations (source, station_code) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Every layer (partition) a source reads. read_through is the watermark: the layer has been read
-- up to there (it never moves backwards); newest_measurement is the newest measurement stored by
-- the source.
CREATE TABLE air_quality_layers (
  source VARCHAR(64) NOT NULL,
  layer VARCHAR(255) NOT NULL,
  read_through DATETIME NULL,
  newest_measurement DATETIME NULL,
  max_record_count INT UNSIGNED NULL,
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (source, layer)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Every valid hourly value, once per station, pollutant and hour (measured_at: the start of the
-- hour). A validated value is never replaced by a provisional one; a different validated value
-- corrects it in place (first_run_id stays, last_run_id is the run of the correction).
CREATE TABLE air_quality_measurements (
  source VARCHAR(64) NOT NULL,
  station_code VARCHAR(64) NOT NULL,
  pollutant VARCHAR(16) NOT NULL,
  measured_at DATETIME NOT NULL,
  value_ugm3 DOUBLE NOT NULL,
  validated TINYINT(1) NOT NULL,
  first_run_id BIGINT NOT NULL,
  last_run_id BIGINT NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (source, station_code, pollutant, measured_at),
  KEY air_quality_measurements_measured_at (measured_at),
  CONSTRAINT air_quality_measurements_validated CHECK (validated IN (0, 1))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Per station, pollutant and UTC day: mean and maximum over the hours present (negatives
-- included, as measured). A day is representative with at least 18 hours; only those get a
-- sub-index (class 1-6 of the breakpoint set in force that day; NULL: none).
CREATE TABLE air_quality_daily (
  source VARCHAR(64) NOT NULL,
  station_code VARCHAR(64) NOT NULL,
  pollutant VARCHAR(16) NOT NULL,
  day DATE NOT NULL,
  mean_ugm3 DOUBLE NOT NULL,
  max_hourly_ugm3 DOUBLE NOT NULL,
  hours SMALLINT UNSIGNED NOT NULL,
  validated_hours SMALLINT UNSIGNED NOT NULL,
  representative TINYINT(1) NOT NULL,
  sub_index TINYINT UNSIGNED NULL,
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (source, station_code, pollutant, day),
  KEY air_quality_daily_day (day),
  CONSTRAINT air_quality_daily_sub_index CHECK (sub_index BETWEEN 1 AND 6)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The information and alert thresholds, per pollutant, from valid_from on. basis: 'hourly'
-- (hourly values above the threshold) or 'daily_mean' (daily means of representative days).
CREATE TABLE air_quality_thresholds (
  pollutant VARCHAR(16) NOT NULL,
  level VARCHAR(16) NOT NULL,
  valid_from DATE NOT NULL,
  basis VARCHAR(16) NOT NULL,
  threshold_ugm3 DOUBLE NOT NULL,
  reference VARCHAR(512) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL,
  PRIMARY KEY (pollutant, level, valid_from),
  CONSTRAINT air_quality_thresholds_level CHECK (level IN ('information', 'alert')),
  CONSTRAINT air_quality_thresholds_basis CHECK (basis IN ('hourly', 'daily_mean'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The current figures, applied to every date (valid_from 1990-01-01, the oldest date a record
-- may carry). The regulation's persistence conditions are not applied.
INSERT INTO air_quality_thresholds (pollutant, level, valid_from, basis, threshold_ugm3, reference)
VALUES
  ('NO2', 'information', '1990-01-01', 'hourly', 200,
   'code de l''environnement R221-1'),
  ('NO2', 'alert', '1990-01-01', 'hourly', 400,
   'code de l''environnement R221-1'),
  ('O3', 'information', '1990-01-01', 'hourly', 180,
   'code de l''environnement R221-1; figure as given by issue #17'),
  ('O3', 'alert', '1990-01-01', 'hourly', 240,
   'code de l''environnement R221-1; figure as given by issue #17'),
  ('SO2', 'information', '1990-01-01', 'hourly', 300,
   'code de l''environnement R221-1; figure as given by issue #17'),
  ('SO2', 'alert', '1990-01-01', 'hourly', 500,
   'code de l''environnement R221-1; figure as given by issue #17'),
  ('PM10', 'information', '1990-01-01', 'daily_mean', 50,
   'décret 2010-1250 du 21 octobre 2010 (code de l''environnement R221-1)'),
  ('PM10', 'alert', '1990-01-01', 'daily_mean', 80,
   'décret 2010-1250 du 21 octobre 2010 (code de l''environnement R221-1)');

-- Runs of consecutive periods above a threshold, as measured: hours (basis 'hourly', a missing
-- hour ends a run) or representative days (basis 'daily_mean'). These are measured exceedances,
-- not declared pollution episodes. end_at is exclusive; periods counts the hours or days.
CREATE TABLE air_quality_exceedances (
  source VARCHAR(64) NOT NULL,
  station_code VARCHAR(64) NOT NULL,
  pollutant VARCHAR(16) NOT NULL,
  level VARCHAR(16) NOT NULL,
  start_at DATETIME NOT NULL,
  basis VARCHAR(16) NOT NULL,
  end_at DATETIME NOT NULL,
  periods INT UNSIGNED NOT NULL,
  peak_ugm3 DOUBLE NOT NULL,
  peak_at DATETIME NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (source, station_code, pollutant, level, start_at),
  CONSTRAINT air_quality_exceedances_level CHECK (level IN ('information', 'alert')),
  CONSTRAINT air_quality_exceedances_basis CHECK (basis IN ('hourly', 'daily_mean'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The class bounds of an index method, from valid_from on: a value is in the first class whose
-- upper_ugm3 is >= the value ("≤" inclusive); NULL: no upper bound (the last class). basis:
-- the day's 'max_hourly' value or its 'daily_mean'.
CREATE TABLE air_quality_index_breakpoints (
  method VARCHAR(32) NOT NULL,
  valid_from DATE NOT NULL,
  pollutant VARCHAR(16) NOT NULL,
  index_class TINYINT UNSIGNED NOT NULL,
  label VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL,
  upper_ugm3 DOUBLE NULL,
  basis VARCHAR(16) NOT NULL,
  reference VARCHAR(512) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL,
  PRIMARY KEY (method, valid_from, pollutant, index_class),
  CONSTRAINT air_quality_index_breakpoints_class CHECK (index_class BETWEEN 1 AND 6),
  CONSTRAINT air_quality_index_breakpoints_basis CHECK (basis IN ('max_hourly', 'daily_mean'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The 2021 ATMO index, arrêté du 10 juillet 2020 relatif à l'indice de la qualité de l'air
-- ambiant, annexe I (JORFTEXT000042164835, legifrance.gouv.fr). SO2, NO2 and the first two O3
-- bounds were read in the annex's text; the others (O3 130/240/380, PM10, PM2.5, aligned on the
-- EEA's bands) agree with an independent published table of the six classes, not the annex
-- itself: their reference says so. A correction is a new migration, never an edit of this one.
INSERT INTO air_quality_index_breakpoints
  (method, valid_from, pollutant, index_class, label, upper_ugm3, basis, reference)
VALUES
  ('atmo-2021', '2021-01-01', 'SO2', 1, 'Bon', 100, 'max_hourly', 'arrêté du 10 juillet 2020, annexe I 1.1'),
  ('atmo-2021', '2021-01-01', 'SO2', 2, 'Moyen', 200, 'max_hourly', 'arrêté du 10 juillet 2020, annexe I 1.1'),
  ('atmo-2021', '2021-01-01', 'SO2', 3, 'Dégradé', 350, 'max_hourly', 'arrêté du 10 juillet 2020, annexe I 1.1'),
  ('atmo-2021', '2021-01-01', 'SO2', 4, 'Mauvais', 500, 'max_hourly', 'arrêté du 10 juillet 2020, annexe I 1.1'),
  ('atmo-2021', '2021-01-01', 'SO2', 5, 'Très mauvais', 750, 'max_hourly', 'arrêté du 10 juillet 2020, annexe I 1.1'),
  ('atmo-2021', '2021-01-01', 'SO2', 6, 'Extrêmement mauvais', NULL, 'max_hourly', 'arrêté du 10 juillet 2020, annexe I 1.1'),
  ('atmo-2021', '2021-01-01', 'NO2', 1, 'Bon', 40, 'max_hourly', 'arrêté du 10 juillet 2020, annexe I 1.2'),
  ('atmo-2021', '2021-01-01', 'NO2', 2, 'Moyen', 90, 'max_hourly', 'arrêté du 10 juillet 2020, annexe I 1.2'),
  ('atmo-2021', '2021-01-01', 'NO2', 3, 'Dégradé', 120, 'max_hourly', 'arrêté du 10 juillet 2020, annexe I 1.2'),
  ('atmo-2021', '2021-01-01', 'NO2', 4, 'Mauvais', 230, 'max_hourly', 'arrêté du 10 juillet 2020, annexe I 1.2'),
  ('atmo-2021', '2021-01-01', 'NO2', 5, 'Très mauvais', 340, 'max_hourly', 'arrêté du 10 juillet 2020, annexe I 1.2'),
  ('atmo-2021', '2021-01-01', 'NO2', 6, 'Extrêmement mauvais', NULL, 'max_hourly', 'arrêté du 10 juillet 2020, annexe I 1.2'),
  ('atmo-2021', '2021-01-01', 'O3', 1, 'Bon', 50, 'max_hourly', 'arrêté du 10 juillet 2020, annexe I 1.3'),
  ('atmo-2021', '2021-01-01', 'O3', 2, 'Moyen', 100, 'max_hourly', 'arrêté du 10 juillet 2020, annexe I 1.3'),
  ('atmo-2021', '2021-01-01', 'O3', 3, 'Dégradé', 130, 'max_hourly', 'arrêté du 10 juillet 2020, annexe I 1.3; figure from a secondary table'),
  ('atmo-2021', '2021-01-01', 'O3', 4, 'Mauvais', 240, 'max_hourly', 'arrêté du 10 juillet 2020, annexe I 1.3; figure from a secondary table'),
  ('atmo-2021', '2021-01-01', 'O3', 5, 'Très mauvais', 380, 'max_hourly', 'arrêté du 10 juillet 2020, annexe I 1.3; figure from a secondary table'),
  ('atmo-2021', '2021-01-01', 'O3', 6, 'Extrêmement mauvais', NULL, 'max_hourly', 'arrêté du 10 juillet 2020, annexe I 1.3; bound from a secondary table'),
  ('atmo-2021', '2021-01-01', 'PM10', 1, 'Bon', 20, 'daily_mean', 'arrêté du 10 juillet 2020, annexe I; figure from a secondary table'),
  ('atmo-2021', '2021-01-01', 'PM10', 2, 'Moyen', 40, 'daily_mean', 'arrêté du 10 juillet 2020, annexe I; figure from a secondary table'),
  ('atmo-2021', '2021-01-01', 'PM10', 3, 'Dégradé', 50, 'daily_mean', 'arrêté du 10 juillet 2020, annexe I; figure from a secondary table'),
  ('atmo-2021', '2021-01-01', 'PM10', 4, 'Mauvais', 100, 'daily_mean', 'arrêté du 10 juillet 2020, annexe I; figure from a secondary table'),
  ('atmo-2021', '2021-01-01', 'PM10', 5, 'Très mauvais', 150, 'daily_mean', 'arrêté du 10 juillet 2020, annexe I; figure from a secondary table'),
  ('atmo-2021', '2021-01-01', 'PM10', 6, 'Extrêmement mauvais', NULL, 'daily_mean', 'arrêté du 10 juillet 2020, annexe I; bound from a secondary table'),
  ('atmo-2021', '2021-01-01', 'PM2.5', 1, 'Bon', 10, 'daily_mean', 'arrêté du 10 juillet 2020, annexe I; figure from a secondary table'),
  ('atmo-2021', '2021-01-01', 'PM2.5', 2, 'Moyen', 20, 'daily_mean', 'arrêté du 10 juillet 2020, annexe I; figure from a secondary table'),
  ('atmo-2021', '2021-01-01', 'PM2.5', 3, 'Dégradé', 25, 'daily_mean', 'arrêté du 10 juillet 2020, annexe I; figure from a secondary table'),
  ('atmo-2021', '2021-01-01', 'PM2.5', 4, 'Mauvais', 50, 'daily_mean', 'arrêté du 10 juillet 2020, annexe I; figure from a secondary table'),
  ('atmo-2021', '2021-01-01', 'PM2.5', 5, 'Très mauvais', 75, 'daily_mean', 'arrêté du 10 juillet 2020, annexe I; figure from a secondary table'),
  ('atmo-2021', '2021-01-01', 'PM2.5', 6, 'Extrêmement mauvais', NULL, 'daily_mean', 'arrêté du 10 juillet 2020, annexe I; bound from a secondary table');

-- Per station and UTC day: the worst sub-index of its representative days (an indicative index,
-- computed from station measurements, not the official zone index). dominant_pollutant gives it
-- (ties: SO2, NO2, O3, PM10, PM2.5); sub_indices counts the sub-indices that existed (of 5). No
-- row when the day has none.
CREATE TABLE air_quality_daily_index (
  source VARCHAR(64) NOT NULL,
  station_code VARCHAR(64) NOT NULL,
  day DATE NOT NULL,
  method VARCHAR(32) NOT NULL,
  valid_from DATE NOT NULL,
  index_class TINYINT UNSIGNED NOT NULL,
  label VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL,
  dominant_pollutant VARCHAR(16) NOT NULL,
  sub_indices TINYINT UNSIGNED NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (source, station_code, day),
  KEY air_quality_daily_index_day (day),
  CONSTRAINT air_quality_daily_index_class CHECK (index_class BETWEEN 1 AND 6)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Each station's nearest weather station within the source's distance; no row when none is that
-- close.
CREATE TABLE air_quality_station_pairs (
  source VARCHAR(64) NOT NULL,
  station_code VARCHAR(64) NOT NULL,
  weather_source VARCHAR(64) NOT NULL,
  weather_dataset VARCHAR(255) NOT NULL,
  distance_km DOUBLE NOT NULL,
  paired_at DATETIME(3) NOT NULL,
  PRIMARY KEY (source, station_code),
  KEY air_quality_station_pairs_weather (weather_source, weather_dataset),
  CONSTRAINT air_quality_station_pairs_station FOREIGN KEY (source, station_code)
    REFERENCES air_quality_stations (source, station_code) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Each hourly value with the paired weather station's hour (NULL weather where the station has
-- no pair or the hour is absent). A weather hour holds the observations stamped in [h, h+1 h):
-- up to 15 minutes of offset with a network stamping its records at their end.
-- INVOKER: the view keeps working when the migrating account is dropped.
CREATE SQL SECURITY INVOKER VIEW air_quality_weather_hourly_v1 AS
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
  w.rain_sum AS Rain
FROM air_quality_measurements AS m
LEFT JOIN air_quality_station_pairs AS p
  ON p.source = m.source AND p.station_code = m.station_code
LEFT JOIN station_hourly_weather AS w
  ON w.source = p.weather_source AND w.dataset_id = p.weather_dataset AND w.hour = m.measured_at;

-- The unversioned name follows the latest version of the view.
CREATE SQL SECURITY INVOKER VIEW air_quality_weather_hourly AS
SELECT AqSource, StationCode, Pollutant, Hour, Value, WeatherStation, DistanceKm, Temperature,
  Humidity, WindSpeed, WindDirection, Rain
FROM air_quality_weather_hourly_v1;
