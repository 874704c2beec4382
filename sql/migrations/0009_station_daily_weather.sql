-- meteo-etl schema, version 9: each weather station's local day. Conventions of 0006: UTC
-- DATETIMEs, utf8mb4_bin identifiers, names that are not reserved in MySQL 8. Never edit this
-- file once released: add 0010_... instead.

-- One station's day in its source's time zone ([sources.daily] time_zone), rebuilt from the
-- stored observations of [start_utc, end_utc) (23 or 25 hours on the days the clocks change) by
-- every load that touches them, in the load's transaction. The bounds come from the tool (the
-- system's tzdata), not from CONVERT_TZ, whose tables MySQL does not load by default. Units as
-- in weather_observations (°C, hPa, km/h, mm). Means are over the day's observations; means,
-- sums, minimum and maximum ignore missing values (NULL when the day has none).
-- hours_observed: the UTC hours of the day holding at least one observation. heavy_rain: rain_sum
-- >= heavy_rain_mm (NULL without a rain total). time_zone and heavy_rain_mm record the settings
-- the row was built with: a load under other settings rebuilds every day of the dataset.
-- Observations stored before this migration get their days on their dataset's next load.
CREATE TABLE station_daily_weather (
  source VARCHAR(64) NOT NULL,
  dataset_id VARCHAR(255) NOT NULL,
  day DATE NOT NULL,
  start_utc DATETIME NOT NULL,
  end_utc DATETIME NOT NULL,
  time_zone VARCHAR(64) NOT NULL,
  temperature_mean DOUBLE NULL,
  temperature_min DOUBLE NULL,
  temperature_max DOUBLE NULL,
  pressure_mean DOUBLE NULL,
  wind_mean DOUBLE NULL,
  gust_max DOUBLE NULL,
  rain_sum DOUBLE NULL,
  hours_observed TINYINT UNSIGNED NOT NULL,
  heavy_rain_mm DOUBLE NOT NULL,
  heavy_rain BOOLEAN NULL,
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (source, dataset_id, day),
  KEY station_daily_weather_day (day)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
