-- meteo-etl schema, version 11: a reading's region in one set is a column of the reading. Never
-- edit this file once released: add 0012_... instead.
--
-- A reading had one row in sensor_readings and one more in reading_regions per region set: two
-- B-tree inserts at random ids per reading in the common case of one set. Now the region of one
-- set (the first set of its source when the reading is first stored; the smallest set name for
-- readings stored before this migration) sits in sensor_readings itself, and the regions of any
-- further sets in reading_extra_regions. region_set is NULL when a reading has no inline set
-- (one stored by a source without region sets); region_code is NULL when the reading lies
-- outside that set, as before.
ALTER TABLE sensor_readings
  ADD COLUMN region_set VARCHAR(64) NULL,
  ADD COLUMN region_code VARCHAR(64) NULL;

UPDATE sensor_readings AS r
  JOIN (SELECT source, reading_id, MIN(region_set) AS region_set
        FROM reading_regions GROUP BY source, reading_id) AS f
    ON f.source = r.source AND f.reading_id = r.reading_id
  JOIN reading_regions AS m
    ON m.source = f.source AND m.reading_id = f.reading_id AND m.region_set = f.region_set
SET r.region_set = m.region_set, r.region_code = m.region_code;

RENAME TABLE reading_regions TO reading_extra_regions;

DELETE x FROM reading_extra_regions AS x
  JOIN sensor_readings AS r
    ON r.source = x.source AND r.reading_id = x.reading_id AND r.region_set = x.region_set;

-- Every (reading, set) match as before: what verify, the tests and a reader by hand query.
CREATE SQL SECURITY INVOKER VIEW reading_regions AS
  SELECT source, reading_id, region_set, region_code
  FROM sensor_readings WHERE region_set IS NOT NULL
  UNION ALL
  SELECT source, reading_id, region_set, region_code FROM reading_extra_regions;
