-- meteo-etl schema, version 1. Portable between MariaDB 10.11 and MySQL 8.
-- Every DATETIME is UTC (each connection runs with time_zone '+00:00').
-- Identifiers (source, reading id, region set, region code) use utf8mb4_bin so they compare
-- byte for byte; names shown to people use utf8mb4_unicode_ci so they sort naturally.
-- Applied by `meteo-etl migrate` and recorded in schema_migrations: never edit this file once
-- released, add 0002_... instead.

-- One row per region set version loaded by `meteo-etl regions load`.
CREATE TABLE region_sets (
  name VARCHAR(64) NOT NULL,
  checksum VARCHAR(128) NOT NULL,
  location TEXT NOT NULL,
  format VARCHAR(32) NOT NULL,
  region_count INT UNSIGNED NOT NULL,
  loaded_at DATETIME(3) NOT NULL,
  PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The areas of a set in source order; replaced as a whole when the set's checksum changes.
CREATE TABLE regions (
  region_set VARCHAR(64) NOT NULL,
  code VARCHAR(64) NOT NULL,
  name VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL,
  ordinal INT UNSIGNED NOT NULL,
  min_lon DOUBLE NOT NULL,
  min_lat DOUBLE NOT NULL,
  max_lon DOUBLE NOT NULL,
  max_lat DOUBLE NOT NULL,
  geometry LONGTEXT NOT NULL,
  PRIMARY KEY (region_set, code),
  UNIQUE KEY regions_ordinal (region_set, ordinal),
  CONSTRAINT regions_set FOREIGN KEY (region_set) REFERENCES region_sets (name)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The run ledger: one row per `meteo-etl run`, written before the data transaction starts.
CREATE TABLE etl_runs (
  id BIGINT NOT NULL AUTO_INCREMENT,
  source VARCHAR(64) NOT NULL,
  hour DATETIME NOT NULL,
  started_at DATETIME(3) NOT NULL,
  finished_at DATETIME(3) NULL,
  status VARCHAR(16) NOT NULL,
  fetched INT UNSIGNED NOT NULL DEFAULT 0,
  rejected INT UNSIGNED NOT NULL DEFAULT 0,
  duplicates INT UNSIGNED NOT NULL DEFAULT 0,
  outside INT UNSIGNED NOT NULL DEFAULT 0,
  disagreements INT UNSIGNED NOT NULL DEFAULT 0,
  `stored` INT UNSIGNED NOT NULL DEFAULT 0,  -- quoted: STORED is reserved in MySQL 8
  corrections INT UNSIGNED NOT NULL DEFAULT 0,
  unchanged INT UNSIGNED NOT NULL DEFAULT 0,
  message TEXT NULL,
  PRIMARY KEY (id),
  KEY etl_runs_source_started (source, started_at),
  CONSTRAINT etl_runs_status CHECK (status IN ('running', 'succeeded', 'failed'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Every valid reading ever loaded, once per id: `hour` is the hour of the run that first stored
-- it and never changes; a later different value corrects it in place. Ids are VARBINARY so they
-- compare byte for byte: utf8mb4_bin would pad, making "a" and "a " one reading.
CREATE TABLE sensor_readings (
  source VARCHAR(64) NOT NULL,
  reading_id VARBINARY(255) NOT NULL,
  hour DATETIME NOT NULL,
  latitude DOUBLE NOT NULL,
  longitude DOUBLE NOT NULL,
  temperature DOUBLE NOT NULL,
  observed_at VARCHAR(255) NULL,
  country VARCHAR(255) NULL,
  first_run_id BIGINT NOT NULL,
  last_run_id BIGINT NOT NULL,
  PRIMARY KEY (source, reading_id),
  KEY sensor_readings_hour (hour)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The region of each reading in each set of its source; NULL when it lies outside that set.
CREATE TABLE reading_regions (
  source VARCHAR(64) NOT NULL,
  reading_id VARBINARY(255) NOT NULL,
  region_set VARCHAR(64) NOT NULL,
  region_code VARCHAR(64) NULL,
  PRIMARY KEY (source, reading_id, region_set),
  KEY reading_regions_set_code (region_set, region_code),
  CONSTRAINT reading_regions_reading FOREIGN KEY (source, reading_id)
    REFERENCES sensor_readings (source, reading_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Records that failed validation, verbatim; the same record in the same hour is kept once.
CREATE TABLE rejected_records (
  id BIGINT NOT NULL AUTO_INCREMENT,
  source VARCHAR(64) NOT NULL,
  run_id BIGINT NOT NULL,
  hour DATETIME NOT NULL,
  position INT UNSIGNED NOT NULL,
  reason TEXT NOT NULL,
  record LONGTEXT NOT NULL,
  record_sha CHAR(64) NOT NULL,
  created_at DATETIME(3) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY rejected_records_once (source, hour, record_sha)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The product: mean temperature per region and UTC hour. `hour`, `region`, `temperature` and
-- `numberOfPoints` are a contract with the consumers.
CREATE TABLE region_hourly_temperature (
  hour DATETIME NOT NULL,
  region_set VARCHAR(64) NOT NULL,
  region_code VARCHAR(64) NOT NULL,
  region VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL,
  temperature DOUBLE NOT NULL,
  numberOfPoints INT UNSIGNED NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (region_set, region_code, hour),
  KEY region_hourly_temperature_hour (hour, region_set)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Each region's temperature with its own temperature exactly three hours earlier (NULL when that
-- hour has no aggregate). INVOKER: the view keeps working when the migrating account is dropped.
CREATE SQL SECURITY INVOKER VIEW region_temperature_3h_v1 AS
SELECT
  cur.region_set AS RegionSet,
  cur.region_code AS RegionCode,
  cur.region AS Region,
  cur.hour AS Hour,
  cur.temperature AS Temperature,
  before3h.temperature AS Temperature3HoursBefore
FROM region_hourly_temperature AS cur
LEFT JOIN region_hourly_temperature AS before3h
  ON before3h.region_set = cur.region_set
  AND before3h.region_code = cur.region_code
  AND before3h.hour = cur.hour - INTERVAL 3 HOUR;

-- The unversioned name follows the latest version of the view.
CREATE SQL SECURITY INVOKER VIEW region_temperature_3h AS
SELECT RegionSet, RegionCode, Region, Hour, Temperature, Temperature3HoursBefore
FROM region_temperature_3h_v1;
