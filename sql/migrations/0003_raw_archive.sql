-- meteo-etl schema, version 3: the raw archive in the ledger, replay runs, and payload order.
-- Portable between MariaDB 10.11 and MySQL 8, conventions of 0001 (UTC, utf8mb4_bin identifiers).
-- Never edit this file once released: add 0004_... instead.

-- Every payload written to the raw archive, recorded (autocommit) after the file is durable and
-- before it is parsed. `path` is relative to the archive root; `sha256` and `size` are those of
-- the body as received (uncompressed); pruned_at is set when retention deleted the file.
CREATE TABLE raw_payloads (
  id BIGINT NOT NULL AUTO_INCREMENT,
  source VARCHAR(64) NOT NULL,
  hour DATETIME NOT NULL,
  run_id BIGINT NOT NULL,
  sequence INT UNSIGNED NOT NULL,
  fetched_at DATETIME(6) NOT NULL,
  url TEXT NOT NULL,
  http_status SMALLINT NOT NULL,
  path VARCHAR(768) NOT NULL,
  sha256 CHAR(64) NOT NULL,
  size BIGINT UNSIGNED NOT NULL,
  stored_size BIGINT UNSIGNED NOT NULL,
  recorded_at DATETIME(3) NOT NULL,
  pruned_at DATETIME(3) NULL,
  PRIMARY KEY (id),
  UNIQUE KEY raw_payloads_path (path),
  KEY raw_payloads_source_hour (source, hour),
  KEY raw_payloads_run (run_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- 'run' fetched from the source; 'replay' re-read an archived payload (replayed_payload).
ALTER TABLE etl_runs
  ADD COLUMN kind VARCHAR(16) NOT NULL DEFAULT 'run' AFTER source,
  ADD COLUMN replayed_payload BIGINT NULL AFTER kind;

-- Which payload a reading's values come from: the newest fetch that carried the reading. A
-- payload older than that never overwrites it, so replaying any window, in any order or in
-- parallel, ends where the original runs ended. Existing rows take their last run's start.
ALTER TABLE sensor_readings ADD COLUMN fetched_at DATETIME(6) NULL AFTER last_run_id;

UPDATE sensor_readings r JOIN etl_runs e ON e.id = r.last_run_id SET r.fetched_at = e.started_at;

UPDATE sensor_readings SET fetched_at = hour WHERE fetched_at IS NULL;

ALTER TABLE sensor_readings MODIFY fetched_at DATETIME(6) NOT NULL;
