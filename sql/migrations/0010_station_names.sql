-- meteo-etl schema, version 10: a weather station's own name. Conventions of 0006: UTC DATETIMEs,
-- utf8mb4_bin identifiers, names that are not reserved in MySQL 8. Never edit this file once
-- released: add 0011_... instead.

-- The name the source gives the station ([sources.station_fields] name: SYNOP's `nom`,
-- "TOULOUSE-BLAGNAC"), collated as the commune. NULL when the source has none (Toulouse's
-- station list names only the commune: the dashboard reads a name from the dataset id) or has
-- not said it yet: stations stored before this migration get theirs on their next load.
ALTER TABLE weather_stations
  ADD COLUMN name VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL;
