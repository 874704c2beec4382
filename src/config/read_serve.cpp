// [serve]: where `serve` listens, its event streams, and the token that turns ingest over HTTP on.
#include "sections.hpp"

namespace meteo::config_detail {

ServeConfig read_serve(const ConfigReader& reader, const toml::table* t) {
  ServeConfig serve;
  if (!t) return serve;
  const std::string where = "serve";
  reader.expect_only(*t, where,
                     {"listen", "max_clients", "heartbeat_seconds", "ledger_poll_ms",
                      "ingest_token_env", "ingest_token_file", "ingest_max_bytes"});
  reader.read_string(*t, where, "listen", serve.listen);
  // The address itself is checked by `serve`, which owns its syntax.
  if (serve.listen.empty()) reader.fail(where + ".listen", "must not be empty");
  reader.read_integer(*t, where, "max_clients", serve.max_clients, 1, 10000);
  reader.read_integer(*t, where, "heartbeat_seconds", serve.heartbeat_seconds, 1, 3600);
  reader.read_integer(*t, where, "ledger_poll_ms", serve.ledger_poll_ms, 50, 60000);
  serve.ingest_token = reader.read_secret(*t, where, "ingest_token");
  reader.read_integer(*t, where, "ingest_max_bytes", serve.ingest_max_bytes, 1,
                      std::int64_t{1} << 40);
  return serve;
}

}  // namespace meteo::config_detail
