-- meteo-etl schema, version 12: locks that hold on a cluster. Never edit this file once
-- released: add 0013_... instead.
--
-- GET_LOCK and SELECT ... FOR UPDATE lock on one server only: on a Galera cluster two nodes would
-- each grant the same lock. A lease is a row: taking, renewing and releasing it are writes, which
-- the cluster certifies, so two nodes cannot both take it. Its holder renews it while alive; a
-- holder that died on the same node is seen gone from the process list at once, one on another
-- node when its lease expires. `migrate` creates this table before it takes its own lease, hence
-- IF NOT EXISTS here.
CREATE TABLE IF NOT EXISTS etl_leases (
  name VARCHAR(190) NOT NULL,
  token CHAR(32) NOT NULL,                 -- the holder's random proof of ownership
  holder_node VARCHAR(1024) NOT NULL,      -- @@hostname:@@datadir: the server it connected to
  holder_connection BIGINT UNSIGNED NOT NULL,  -- its CONNECTION_ID() there
  holder_process VARCHAR(255) NOT NULL,    -- host and pid of the tool, for people
  acquired_at DATETIME(3) NOT NULL,
  expires_at DATETIME(3) NOT NULL,
  fence BIGINT UNSIGNED NOT NULL DEFAULT 0,  -- bumped by every load committed under the lease
  PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A load that uses a region set writes its row (not only locks it): on a cluster, a set replaced
-- on another node meanwhile then fails certification instead of going unnoticed.
ALTER TABLE region_sets ADD COLUMN loads BIGINT UNSIGNED NOT NULL DEFAULT 0;
