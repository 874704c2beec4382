-- Two accounts for the `meteo` database, for MySQL 8 and MariaDB 10.11 alike:
--
--   meteo_migrate  runs `meteo-etl migrate` (and, if you like, `regions load`): schema changes
--                  plus reading and writing rows. Use it from a deployment step, not from cron.
--   meteo_runtime  everything else (`run`, `backfill`, `status`, `query`, `dashboard`, `export`,
--                  `regions load`): rows only. It cannot create, alter or drop anything, so a
--                  compromised or buggy hourly job cannot change the schema. GET_LOCK needs no grant.
--
-- Apply it once as an administrator, after creating the database:
--
--   mysql -uroot -e "CREATE DATABASE IF NOT EXISTS meteo CHARACTER SET utf8mb4"
--   mysql -uroot < sql/grants.sql
--
-- The accounts are created locked and without a password, so they cannot be used before you
-- choose one. Then set each password and unlock it (keep the passwords out of shell history, e.g.
-- type them in an interactive `mysql` session):
--
--   MariaDB:  ALTER USER 'meteo_runtime'@'%' IDENTIFIED BY '...' ACCOUNT UNLOCK;
--   MySQL 8:  ALTER USER 'meteo_runtime'@'%' IDENTIFIED WITH mysql_native_password BY '...'
--             ACCOUNT UNLOCK;
--
-- (the same for meteo_migrate). On MySQL 8, mysql_native_password is needed because Debian's
-- connector talks through libmariadb, which cannot use MySQL 8's default caching_sha2_password
-- without TLS. Narrow host '%' to your application hosts if you can. Running this file again
-- changes nothing: accounts that exist keep their password and lock state.
--
-- The runtime account's `user` and password go in the [database] table of the hourly job's
-- configuration (password_env or password_file); the migration account's only in the
-- configuration the deployment step uses for `meteo-etl migrate`.

CREATE USER IF NOT EXISTS 'meteo_migrate'@'%' ACCOUNT LOCK;
CREATE USER IF NOT EXISTS 'meteo_runtime'@'%' ACCOUNT LOCK;

-- SHOW VIEW lets a migration that replaces a view read the old definition.
GRANT CREATE, ALTER, DROP, INDEX, CREATE VIEW, SHOW VIEW, REFERENCES,
      SELECT, INSERT, UPDATE, DELETE
  ON meteo.* TO 'meteo_migrate'@'%';

GRANT SELECT, INSERT, UPDATE, DELETE ON meteo.* TO 'meteo_runtime'@'%';
