#include "loopback_server.hpp"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <thread>

namespace loopback {
namespace {

namespace fs = std::filesystem;

sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGUSR1);  // sent by serve() to release the waiter
  return set;
}

// Readers never see a half-written port number: write aside, then rename.
bool write_port_file(const std::string& path, int port) {
  const std::string temporary = path + ".tmp." + std::to_string(getpid());
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << port << '\n';
    if (!out.flush()) return false;
  }
  std::error_code error;
  fs::rename(temporary, path, error);
  return !error;
}

// The bound port, or -1.
int bind(httplib::Server& server, const ListenOptions& options) {
  if (options.port == 0) return server.bind_to_any_port(options.host);
  return server.bind_to_port(options.host, options.port) ? options.port : -1;
}

}  // namespace

void block_stop_signals() {
  const sigset_t set = stop_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int serve(httplib::Server& server, const ListenOptions& options, const char* program) {
  const int port = bind(server, options);
  if (port <= 0) {
    std::fprintf(stderr, "%s: cannot listen on %s:%d\n", program, options.host.c_str(),
                 options.port);
    return kUnavailable;
  }
  if (!options.port_file.empty() && !write_port_file(options.port_file, port)) {
    std::fprintf(stderr, "%s: cannot write %s\n", program, options.port_file.c_str());
    return kCannotCreate;
  }
  std::fprintf(stderr, "%s: listening on http://%s:%d\n", program, options.host.c_str(), port);

  std::atomic<bool> finished{false};
  std::thread stopper([&] {
    const sigset_t set = stop_signals();
    int signal_number = 0;
    sigwait(&set, &signal_number);
    // stop() is a no-op until the listen loop runs; wait for it unless main is done.
    while (!server.is_running() && !finished) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    server.stop();
  });
  const bool ok = server.listen_after_bind();
  finished = true;
  pthread_kill(stopper.native_handle(), SIGUSR1);
  stopper.join();
  std::fprintf(stderr, "%s: stopped\n", program);
  return ok ? 0 : kUnavailable;
}

}  // namespace loopback
