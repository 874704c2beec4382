#include "site_server.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

#include "meteo/dashboard/dashboard_writer.hpp"
#include "meteo/pipeline/config_views.hpp"
#include "meteo/store/migrations.hpp"

namespace meteo {
namespace {

void write_site(const Config& config, const std::string& site, spdlog::logger& log) {
  const dashboard::DashboardInputs inputs = pipeline::dashboard_inputs(config);
  const dashboard::DashboardSettings settings = dashboard::dashboard_settings(inputs, site);
  Database db = Database::connect(config.database, &log);
  require_current_schema(db, bundled_migrations());
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  dashboard::write_dashboard(db, inputs, settings, now, log);
}

}  // namespace

SiteServer::SiteServer(const Config& config, const std::string& listen, const std::string& site,
                       spdlog::logger& log)
    : config_(config), log_(log) {
  if (!listen.empty()) config_.serve.listen = listen;
  address_ = serve::parse_listen_address(config_.serve.listen);
  site_ = dashboard::dashboard_settings(pipeline::dashboard_inputs(config_), site).out.string();
  if (!serve::is_loopback_host(address_.host)) {
    log_.warn(
        "serve: listening on {}, not loopback: put a TLS reverse proxy in front "
        "(docs/serve.md)",
        config_.serve.listen);
  }
}

void SiteServer::start() {
  write_site(config_, site_, log_);
  server_ = std::make_unique<serve::Server>(config_, site_, log_);
  server_->start();
  log_.info("serve: http://{}:{}/ serving {}", address_.host, server_->port(), site_);
}

}  // namespace meteo
