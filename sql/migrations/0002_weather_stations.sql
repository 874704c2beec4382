-- meteo-etl schema, version 2: weather-station networks (Opendatasoft portals such as Toulouse
-- Métropole's). Portable between MariaDB 10.11 and MySQL 8, conventions of 0001: every DATETIME
-- is UTC, identifiers are utf8mb4_bin, names shown to people utf8mb4_unicode_ci.
-- A station is identified by (source, dataset_id): the dataset that publishes its observations.
-- Dataset ids are stored lower-cased, as the portal mixes cases between its catalogue and its
-- station list. Units are part of the measurement column names.
-- Never edit this file once released: add 0003_... instead.

-- The stations of each source as last listed by the portal. A station no longer listed stays, so
-- its observations keep their meaning.
CREATE TABLE weather_stations (
  source VARCHAR(64) NOT NULL,
  dataset_id VARCHAR(255) NOT NULL,
  number VARCHAR(64) NOT NULL,  -- the portal's id_numero, not unique across a network
  commune VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL,
  type VARCHAR(64) NOT NULL,
  latitude DOUBLE NOT NULL,
  longitude DOUBLE NOT NULL,
  altitude DOUBLE NULL,
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (source, dataset_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The region of each station in each set of its source; NULL when it lies outside that set.
CREATE TABLE station_regions (
  source VARCHAR(64) NOT NULL,
  dataset_id VARCHAR(255) NOT NULL,
  region_set VARCHAR(64) NOT NULL,
  region_code VARCHAR(64) NULL,
  PRIMARY KEY (source, dataset_id, region_set),
  KEY station_regions_set_code (region_set, region_code),
  CONSTRAINT station_regions_station FOREIGN KEY (source, dataset_id)
    REFERENCES weather_stations (source, dataset_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Every measurement dataset a run considered: 'active' (loaded) or 'skipped' (another schema,
-- with the reason). read_through is the watermark: the portal has been read up to there (it never
-- moves backwards); newest_observation is the newest observation stored.
CREATE TABLE station_datasets (
  source VARCHAR(64) NOT NULL,
  dataset_id VARCHAR(255) NOT NULL,
  status VARCHAR(16) NOT NULL,
  reason TEXT NULL,
  read_through DATETIME NULL,
  newest_observation DATETIME NULL,
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (source, dataset_id),
  CONSTRAINT station_datasets_status CHECK (status IN ('active', 'skipped'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Every valid observation, once per station and time; a later different record corrects it in
-- place (first_run_id stays, last_run_id is the run of the correction). NULL: not measured.
CREATE TABLE weather_observations (
  source VARCHAR(64) NOT NULL,
  dataset_id VARCHAR(255) NOT NULL,
  observed_at DATETIME NOT NULL,
  temperature_c DOUBLE NULL,
  humidity_pct DOUBLE NULL,
  pressure_hpa DOUBLE NULL,
  rain_mm DOUBLE NULL,
  rain_intensity_max_mm DOUBLE NULL,
  wind_speed_kmh DOUBLE NULL,
  gust_kmh DOUBLE NULL,
  wind_direction_deg DOUBLE NULL,
  first_run_id BIGINT NOT NULL,
  last_run_id BIGINT NOT NULL,
  PRIMARY KEY (source, dataset_id, observed_at),
  KEY weather_observations_observed_at (observed_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Each station's UTC hour, rebuilt from its stored observations whenever one of them changes.
-- Units as in weather_observations (°C, %, hPa, mm, km/h). Means, sums, minimum and maximum
-- ignore missing values (NULL when the hour has none); `observations` counts every observation.
CREATE TABLE station_hourly_weather (
  source VARCHAR(64) NOT NULL,
  dataset_id VARCHAR(255) NOT NULL,
  hour DATETIME NOT NULL,
  temperature_mean DOUBLE NULL,
  temperature_min DOUBLE NULL,
  temperature_max DOUBLE NULL,
  humidity_mean DOUBLE NULL,
  pressure_mean DOUBLE NULL,
  rain_sum DOUBLE NULL,
  wind_mean DOUBLE NULL,
  gust_max DOUBLE NULL,
  observations INT UNSIGNED NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (source, dataset_id, hour),
  KEY station_hourly_weather_hour (hour)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
