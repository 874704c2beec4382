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
#include "meteo/serve/server.hpp"
#include "site_server.hpp"

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
            SiteServer live(context.config, options->listen, options->site, context.log);
            const BlockedStopSignals signals;
            live.start();
            serve::Server& server = live.server();
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
