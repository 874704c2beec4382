-- meteo-etl schema, version 5: the hourly wind direction of each weather station.
-- Portable between MariaDB 10.11 and MySQL 8, conventions of 0001 (UTC, utf8mb4_bin identifiers).
-- Never edit this file once released: add 0006_... instead.

-- The speed-weighted vector mean of the hour's directions, in degrees [0, 360) (where the wind
-- comes from, as wind_direction_deg): each observation with both a direction d and a speed s adds
-- the vector s * (sin d, cos d); the direction is the resultant's, ATAN2(east, north). A plain
-- mean of angles would make 350° and 10° a southerly 180°. NULL when no observation of the hour
-- has both, or when the resultant is below 1e-9 of the summed speeds: opposite winds that cancel
-- (or calm, speed 0) have no direction, and SIN/COS leave a rounding remainder near 1e-16 of each
-- speed that ATAN2 would turn into an arbitrary angle. No real resultant is that small.
-- src/store/station_load.cpp (kRecomputeStationHours) computes the same expression.
ALTER TABLE station_hourly_weather
  ADD COLUMN wind_direction_mean DOUBLE NULL;

-- Fills the rows stored before this version from their observations; rows that get a direction
-- have changed, so their updated_at moves (those left NULL keep theirs).
UPDATE station_hourly_weather AS h
  JOIN (SELECT source, dataset_id,
               TIMESTAMP(DATE(observed_at), MAKETIME(HOUR(observed_at), 0, 0)) AS hour,
               SUM(wind_speed_kmh * SIN(RADIANS(wind_direction_deg))) AS east,
               SUM(wind_speed_kmh * COS(RADIANS(wind_direction_deg))) AS north,
               SUM(wind_speed_kmh) AS speeds
          FROM weather_observations
         WHERE wind_speed_kmh IS NOT NULL AND wind_direction_deg IS NOT NULL
         GROUP BY source, dataset_id, hour) AS o
    ON o.source = h.source AND o.dataset_id = h.dataset_id AND o.hour = h.hour
   SET h.wind_direction_mean = MOD(DEGREES(ATAN2(o.east, o.north)) + 360, 360),
       h.updated_at = UTC_TIMESTAMP(3)
 WHERE SQRT(o.east * o.east + o.north * o.north) > 1e-9 * o.speeds;
