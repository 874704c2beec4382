-- meteo-etl schema, version 8: indicative alerts (peaks of wind, cold, heat, rain, pollution)
-- with their notifications, and short-term station forecasts with their skill. Conventions of
-- 0006: UTC DATETIMEs, utf8mb4_bin identifiers, no JSON type, names that are not reserved in
-- MySQL 8 (`change` and `window` are). Never edit this file once released: add 0009_... instead.

-- One alert: a kind at one place from its first triggering value to the moment the condition
-- was seen to stop (end_at exclusive; NULL while it may still last). Rebuilt from the stored
-- records by every load that touches them: a re-run or a backfill finds the same alert and
-- changes nothing; a correction that removes its triggering values withdraws it (withdrawn_at),
-- never deletes it. scope_type: 'station' (a weather station: scope_id is its dataset) or
-- 'air_quality_station' (scope_id is its code; subject the pollutant).
CREATE TABLE alerts (
  id BIGINT NOT NULL AUTO_INCREMENT,
  kind VARCHAR(16) NOT NULL,
  subject VARCHAR(16) NOT NULL,
  scope_type VARCHAR(24) NOT NULL,
  source VARCHAR(64) NOT NULL,
  scope_id VARCHAR(255) NOT NULL,
  level VARCHAR(16) NOT NULL,
  level_rank TINYINT UNSIGNED NOT NULL,
  start_at DATETIME NOT NULL,
  end_at DATETIME NULL,
  peak_value DOUBLE NOT NULL,
  peak_at DATETIME NOT NULL,
  threshold DOUBLE NOT NULL,
  unit VARCHAR(8) NOT NULL,
  rule_version VARCHAR(128) NOT NULL,
  first_run_id BIGINT NOT NULL,
  last_run_id BIGINT NOT NULL,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  withdrawn_at DATETIME(3) NULL,
  withdrawals INT UNSIGNED NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  KEY alerts_place (scope_type, source, scope_id, kind, subject, start_at),
  KEY alerts_start (start_at),
  CONSTRAINT alerts_kind CHECK (kind IN ('strong_wind', 'severe_cold', 'heat_wave', 'heavy_rain',
                                         'pollution')),
  CONSTRAINT alerts_scope_type CHECK (scope_type IN ('station', 'air_quality_station', 'commune',
                                                     'region'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The stored rows that met a threshold: with the alert's source and scope_id they name the
-- record (weather_observations.observed_at), the hour (rain, pollution) or the day (heat wave).
CREATE TABLE alert_triggers (
  alert_id BIGINT NOT NULL,
  triggered_at DATETIME NOT NULL,
  PRIMARY KEY (alert_id, triggered_at),
  CONSTRAINT alert_triggers_alert FOREIGN KEY (alert_id) REFERENCES alerts (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The changes to tell the city's [alerts] command, written in the transaction that makes them
-- (an outbox): at most one row per alert, event, level and cycle (the alert's withdrawals
-- before the change: an alert withdrawn and supported again is told anew), whatever the
-- re-runs. status:
-- 'pending' until a run takes it ('sending', before the command starts: a run that dies there
-- never sends it twice), then 'sent' (exit 0) or 'failed' (exit_code, message); 'not_sent' when
-- no command is configured or the change is older than notify_max_age_h.
CREATE TABLE alert_notifications (
  id BIGINT NOT NULL AUTO_INCREMENT,
  alert_id BIGINT NOT NULL,
  cycle INT UNSIGNED NOT NULL,
  event VARCHAR(16) NOT NULL,
  level VARCHAR(16) NOT NULL,
  payload TEXT NOT NULL,
  status VARCHAR(16) NOT NULL,
  created_at DATETIME(3) NOT NULL,
  attempted_at DATETIME(3) NULL,
  exit_code INT NULL,
  message TEXT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY alert_notifications_once (alert_id, cycle, event, level),
  KEY alert_notifications_status (status),
  CONSTRAINT alert_notifications_alert FOREIGN KEY (alert_id) REFERENCES alerts (id)
    ON DELETE CASCADE,
  CONSTRAINT alert_notifications_event CHECK (event IN ('opened', 'escalated', 'closed',
                                                        'withdrawn')),
  CONSTRAINT alert_notifications_status_values CHECK (status IN ('pending', 'sending', 'sent',
                                                                 'failed', 'not_sent'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Every candidate's forecast issued for a station at an hour (issued_at: the newest hour it
-- used); quantity 'temperature' (target_time: the hour forecast) or 'day_maximum' (target_time:
-- the UTC day's start). `shown`: the backtest's choice for its horizon, with positive skill.
-- An issue is written once: a re-run keeps what was said then. observed and abs_error are
-- filled when the target's observation is stored (and follow its corrections).
CREATE TABLE station_forecasts (
  source VARCHAR(64) NOT NULL,
  dataset_id VARCHAR(255) NOT NULL,
  quantity VARCHAR(16) NOT NULL,
  issued_at DATETIME NOT NULL,
  horizon_h SMALLINT UNSIGNED NOT NULL,
  model VARCHAR(24) NOT NULL,
  target_time DATETIME NOT NULL,
  value DOUBLE NOT NULL,
  shown TINYINT(1) NOT NULL,
  run_id BIGINT NOT NULL,
  observed DOUBLE NULL,
  abs_error DOUBLE NULL,
  PRIMARY KEY (source, dataset_id, quantity, issued_at, horizon_h, model),
  KEY station_forecasts_target (source, dataset_id, quantity, target_time),
  CONSTRAINT station_forecasts_quantity CHECK (quantity IN ('temperature', 'day_maximum'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Each candidate's skill per station, quantity and horizon: skill_window 'backtest' (the
-- rolling-origin backtest of the latest issue) or 'live' (the scored forecasts of the last
-- 30 days). skill_vs_persistence = 1 - MAE / persistence's MAE on the same cases.
CREATE TABLE forecast_skill (
  source VARCHAR(64) NOT NULL,
  dataset_id VARCHAR(255) NOT NULL,
  quantity VARCHAR(16) NOT NULL,
  horizon_h SMALLINT UNSIGNED NOT NULL,
  model VARCHAR(24) NOT NULL,
  skill_window VARCHAR(16) NOT NULL,
  mae DOUBLE NOT NULL,
  rmse DOUBLE NOT NULL,
  skill_vs_persistence DOUBLE NULL,
  cases INT UNSIGNED NOT NULL,
  window_start DATETIME NOT NULL,
  window_end DATETIME NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (source, dataset_id, quantity, horizon_h, model, skill_window),
  CONSTRAINT forecast_skill_window CHECK (skill_window IN ('backtest', 'live'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
