// `meteo-etl serve`: the dashboard and its live events, health, metrics and ingest over HTTP
// (serve::Server) until SIGTERM or SIGINT, which end it with exit 0.
#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <thread>

#include "commands.hpp"
#include "manual.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/dashboard/dashboard_writer.hpp"
#include "meteo/pipeline/config_views.hpp"
#include "meteo/serve/listen_address.hpp"
#include "meteo/serve/server.hpp"
#include "meteo/store/migrations.hpp"

namespace meteo {
namespace {

// SIGTERM and SIGINT blocked in this thread, and so in every thread started after: only the
// waiting thread receives them, with sigwait, and nothing runs in a signal handler.
class BlockedStopSignals {
 public:
  BlockedStopSignals() {
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGTERM);
    sigaddset(&signals_, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals_, &previous_);
  }
  ~BlockedStopSignals() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
  BlockedStopSignals(const BlockedStopSignals&) = delete;
  BlockedStopSignals& operator=(const BlockedStopSignals&) = delete;

  int wait() const {
    int received = 0;
    sigwait(&signals_, &received);
    return received;
  }

 private:
  sigset_t signals_{}, previous_{};
};

// The site exists before the first request: written once from what is stored now.
void write_site(const Config& config, const std::string& site, spdlog::logger& log) {
  const dashboard::DashboardInputs inputs = pipeline::dashboard_inputs(config);
  const dashboard::DashboardSettings settings = dashboard::dashboard_settings(inputs, site);
  Database db = Database::connect(config.database, &log);
  require_current_schema(db, bundled_migrations());
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  dashboard::write_dashboard(db, inputs, settings, now, log);
}

}  // namespace

CommandRegistration register_serve(CLI::App& parent) {
  CLI::App* app = parent.add_subcommand(
      "serve",
      "serve the dashboard with live run events, /healthz, /metrics and (with [serve] "
      "ingest_token_env) POST /ingest/<source> over HTTP, until SIGTERM or SIGINT (exit 0)");
  struct Options {
    std::string listen;
    std::string site;
  };
  auto options = std::make_shared<Options>();
  app->add_option("--listen", options->listen,
                  "host:port; default: [serve] listen (127.0.0.1:8080)")
      ->type_name("ADDR");
  app->add_option("--site", options->site, "the site's directory; default: [dashboard] out")
      ->type_name("DIR");
  set_examples(*app, {"meteo-etl serve", "meteo-etl serve --listen 127.0.0.1:8080"});
  return {app, [options](CommandContext& context) {
            Config config = context.config;
            if (!options->listen.empty()) config.serve.listen = options->listen;
            // Checked before connecting: a usage mistake needs no database to be reported.
            const serve::ListenAddress address = serve::parse_listen_address(config.serve.listen);
            const std::string site =
                dashboard::dashboard_settings(pipeline::dashboard_inputs(config), options->site)
                    .out.string();
            if (!serve::is_loopback_host(address.host)) {
              context.log.warn(
                  "serve: listening on {}, not loopback: put a TLS reverse proxy in front "
                  "(docs/serve.md)",
                  config.serve.listen);
            }
            const BlockedStopSignals signals;
            write_site(config, site, context.log);
            serve::Server server(config, site, context.log);
            server.start();
            context.log.info("serve: http://{}:{}/ serving {}", address.host, server.port(), site);
            std::thread stopper([&] {
              const int received = signals.wait();
              context.log.info("serve: signal {} received, stopping", received);
              server.stop();
            });
            server.wait();
            stopper.join();
            return 0;
          }};
}

}  // namespace meteo
