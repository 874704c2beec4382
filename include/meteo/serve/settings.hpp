// `serve`'s settings ([serve]): a plain struct.
#pragma once

#include <cstddef>
#include <string>

#include "meteo/core/secret.hpp"

namespace meteo {

// `meteo-etl serve`: the dashboard, its events, health, metrics and the ingest endpoint over HTTP.
struct ServeConfig {
  std::string listen = "127.0.0.1:8080";  // host:port; loopback unless a reverse proxy is trusted
  int max_clients = 64;                   // concurrent GET /events streams; 503 beyond
  int heartbeat_seconds = 15;             // a comment line on idle event streams
  int ledger_poll_ms = 500;               // how often the ledger is read for committed runs
  Secret ingest_token;                    // POST /ingest/<source> is off while empty
  std::size_t ingest_max_bytes = std::size_t{256} << 20;  // a larger body: 413
};

}  // namespace meteo
