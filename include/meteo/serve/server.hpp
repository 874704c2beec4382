// `meteo-etl serve`: the dashboard's files, GET /events (Server-Sent Events, one per batch of
// committed runs found in the ledger), GET /healthz, GET /metrics and POST /ingest/<source>, in
// threads of their own that a caller starts and stops (the command, or `watch --serve`). The
// module installs no signal handler and keeps no global state.
#pragma once

#include <filesystem>
#include <memory>

#include "meteo/config/config.hpp"

namespace spdlog {
class logger;
}

namespace meteo::serve {

class Server {
 public:
  // `config` (with [serve] listen already chosen) and `log` must outlive the server; `site` is
  // the dashboard's directory, which the server regenerates after each committed run. Throws
  // Error(usage) for a malformed listen address.
  Server(const Config& config, std::filesystem::path site, spdlog::logger& log);
  ~Server();  // stop(), then joins its threads
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the address, reads where the ledger stands, and starts the HTTP threads and the ledger
  // poller. Throws Error(unavailable) when the address cannot be bound, Error(temporary) when
  // the database cannot be reached.
  void start();

  int port() const;  // the bound port (the configured one, or the one chosen for port 0)

  // Ends every event stream, stops accepting and polling. Any thread, any number of times.
  void stop();

  // Blocks until stop() (from another thread) has ended the server.
  void wait();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace meteo::serve
