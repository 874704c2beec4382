// `meteo-etl watch`: the pipeline's watch loop (pipeline::watch) as a long-running process. This
// file is its composition root: SIGTERM/SIGINT/SIGHUP become the loop's stop and reload requests,
// and systemd hears of readiness, the watchdog and each cycle through ServiceNotifier.
#include <poll.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <memory>
#include <optional>
#include <thread>

#include "commands.hpp"
#include "manual.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/core/file_descriptor.hpp"
#include "meteo/pipeline/watch.hpp"
#include "service_notifier.hpp"
#include "site_server.hpp"

namespace meteo {
namespace {

// Blocks SIGTERM, SIGINT and SIGHUP in this thread and every thread started after it (the run's
// parser threads, a later server thread), and reads them on a thread of its own through a
// signalfd: no async-signal-safety puzzle, no global flag. Restores the mask on destruction.
class SignalRequests {
 public:
  SignalRequests(pipeline::WatchControl& control, spdlog::logger& log) {
    sigemptyset(&signals_);
    for (int signal : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&signals_, signal);
    if (const int error = pthread_sigmask(SIG_BLOCK, &signals_, &previous_); error != 0) {
      throw Error(ExitCode::software,
                  "watch: cannot block signals: error " + std::to_string(error));
    }
    signals_fd_ = FileDescriptor(::signalfd(-1, &signals_, SFD_CLOEXEC));
    done_fd_ = FileDescriptor(::eventfd(0, EFD_CLOEXEC));
    if (!signals_fd_.valid() || !done_fd_.valid()) {
      pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
      throw Error(ExitCode::software, "watch: cannot open a signalfd or an eventfd");
    }
    thread_ = std::thread([this, &control, &log] { read_signals(control, log); });
  }

  ~SignalRequests() {
    const std::uint64_t one = 1;
    (void)!::write(done_fd_.get(), &one, sizeof one);
    thread_.join();
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }
  SignalRequests(const SignalRequests&) = delete;
  SignalRequests& operator=(const SignalRequests&) = delete;

 private:
  void read_signals(pipeline::WatchControl& control, spdlog::logger& log) {
    pollfd fds[2] = {{signals_fd_.get(), POLLIN, 0}, {done_fd_.get(), POLLIN, 0}};
    while (true) {
      if (::poll(fds, 2, -1) < 0) {
        if (errno == EINTR) continue;
        log.error("watch: cannot wait for signals, stopping");
        control.request_stop();
        return;
      }
      if (fds[1].revents != 0) return;
      signalfd_siginfo info{};
      if (::read(signals_fd_.get(), &info, sizeof info) != sizeof info) continue;
      if (info.ssi_signo == SIGHUP) {
        log.info("watch: SIGHUP: re-reading the configuration");
        control.request_reload();
      } else {
        log.info("watch: {}: stopping after the current cycle",
                 info.ssi_signo == SIGTERM ? "SIGTERM" : "SIGINT");
        control.request_stop();
      }
    }
  }

  sigset_t signals_{};
  sigset_t previous_{};
  FileDescriptor signals_fd_;
  FileDescriptor done_fd_;
  std::thread thread_;
};

Config without_dashboard_refresh(Config config) {
  if (config.dashboard) config.dashboard->refresh_after_run = false;
  return config;
}

}  // namespace

CommandRegistration register_watch(CLI::App& parent) {
  CLI::App* app = parent.add_subcommand(
      "watch", "run the sources continuously, each at its own poll_seconds, until stopped");
  struct Options {
    std::vector<std::string> sources;
    long long cycles = 0;
    std::string serve;
  };
  auto options = std::make_shared<Options>();
  app->add_option("--source", options->sources, "watch only this source (repeatable); default: all")
      ->type_name("NAME");
  app->add_option("--cycles", options->cycles,
                  "stop after N cycles in all (a cycle runs the sources due together); default: "
                  "until SIGTERM or SIGINT")
      ->type_name("N")
      ->check(CLI::PositiveNumber);
  app->add_option("--serve", options->serve,
                  "also serve the dashboard, its live events, /healthz, /metrics and /ingest on "
                  "host:port in this process (as `meteo-etl serve --listen ADDR`)")
      ->type_name("ADDR");
  set_examples(*app, {"meteo-etl watch", "meteo-etl watch --source sensors --cycles 3",
                      "meteo-etl watch --serve 127.0.0.1:8080"});
  return {
      app, [options](CommandContext& context) {
        pipeline::WatchRequest request{options->sources, std::nullopt};
        if (options->cycles > 0) request.max_cycles = options->cycles;
        for (const auto& name : request.sources) (void)context.config.source(name);

        // Serving, the server regenerates the site after each committed run: the runs must
        // not write the same files at the same time.
        const bool serving = !options->serve.empty();
        std::optional<SiteServer> live;
        if (serving) live.emplace(context.config, options->serve, "", context.log);
        const Config config = serving ? without_dashboard_refresh(context.config) : context.config;

        pipeline::WatchControl control;
        const ServiceNotifier notifier;
        const SignalRequests signals(control, context.log);
        if (live) live->start();
        pipeline::WatchHooks hooks;
        if (context.reload_config) {
          hooks.reload_config = [&context, serving] {
            Config reloaded = context.reload_config();
            return serving ? without_dashboard_refresh(std::move(reloaded)) : reloaded;
          };
        }
        hooks.ready = [&] { notifier.ready(); };
        hooks.alive = [&] { notifier.watchdog(); };
        hooks.status = [&](const std::string& text) { notifier.status(text); };
        hooks.reloading = [&](bool started) { notifier.reloading(started); };
        hooks.alive_interval = notifier.watchdog_interval();
        const int code = pipeline::watch(config, request, control, hooks, context.log, context.out);
        notifier.stopping();
        if (live) live->server().stop();
        return code;
      }};
}

}  // namespace meteo
