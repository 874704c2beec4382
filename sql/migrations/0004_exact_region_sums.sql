-- meteo-etl schema, version 4: the exact sum behind each aggregate, so that a run adds its new
-- readings to an hour instead of reading the whole hour again.
-- Portable between MariaDB 10.11 and MySQL 8, conventions of 0001 (UTC, utf8mb4_bin identifiers).
-- Never edit this file once released: add 0005_... instead.

-- The sum of floor(temperature * 2^80) over the row's points (TemperatureSum): integers, so runs
-- and shards that add to it in any order reach the same value; `temperature` is its mean.
-- NULL on rows written before this version: the next run that touches their hour recomputes it.
ALTER TABLE region_hourly_temperature
  ADD COLUMN temperature_sum DECIMAL(39, 0) NULL;
