// What `serve` and `watch --serve` share: the address checked and the site written before the
// server starts, so a usage mistake needs no database and the first request finds the page.
#pragma once

#include <memory>
#include <string>

#include "meteo/config/config.hpp"
#include "meteo/serve/listen_address.hpp"
#include "meteo/serve/server.hpp"

namespace spdlog {
class logger;
}

namespace meteo {

class SiteServer {
 public:
  // `config`'s [serve] listen replaced by `listen` when not empty, the site by `site` when not
  // empty ([dashboard] out otherwise). Throws Error(usage) for a malformed address or no site.
  SiteServer(const Config& config, const std::string& listen, const std::string& site,
             spdlog::logger& log);

  // Writes the site from what is stored now, then binds and starts serving.
  void start();
  serve::Server& server() { return *server_; }

 private:
  Config config_;                 // the server keeps a reference: [serve] changes need a restart
  serve::ListenAddress address_;  // config_.serve.listen, parsed
  std::string site_;
  spdlog::logger& log_;
  std::unique_ptr<serve::Server> server_;
};

}  // namespace meteo
