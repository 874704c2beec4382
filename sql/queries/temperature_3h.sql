-- Each region's mean temperature per UTC hour with the same region's mean exactly three hours
-- earlier (NULL when no aggregate exists for that hour), newest hour first.
-- The same rows as the view region_temperature_3h; runs on its own against a migrated database:
--   mariadb meteo < sql/queries/temperature_3h.sql
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
  AND before3h.hour = cur.hour - INTERVAL 3 HOUR
ORDER BY Hour DESC, RegionSet, Region, RegionCode;
