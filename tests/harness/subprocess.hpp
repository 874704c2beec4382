// Child processes for end-to-end tests: run to completion, or keep in the background.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace meteo::testing {

struct ProcessResult {
  int exit_code = -1;  // 128 + signal when killed by a signal
  std::string out;
  std::string err;
};

using Environment = std::map<std::string, std::string>;

// Runs argv[0] with exactly `environment` (like cron: nothing inherited), collecting stdout and
// stderr. Kills it and fails the test when it outlives `timeout`.
ProcessResult run_process(const std::vector<std::string>& argv, const Environment& environment,
                          std::chrono::seconds timeout = std::chrono::seconds(120));

// A child that runs until destroyed (SIGTERM, then SIGKILL after a grace period).
class BackgroundProcess {
 public:
  BackgroundProcess(const std::vector<std::string>& argv, const Environment& environment);
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
};

// A child that a crash drill kills at a moment of its choosing, with no chance to clean up.
// Its stdout and stderr are appended to `log_path`, so a drill's log keeps what it was doing.
class KillableProcess {
 public:
  KillableProcess(const std::vector<std::string>& argv, const Environment& environment,
                  const std::string& log_path);
  ~KillableProcess();  // kill_hard() unless already done
  KillableProcess(const KillableProcess&) = delete;
  KillableProcess& operator=(const KillableProcess&) = delete;
  pid_t pid() const { return pid_; }

  // SIGKILL, then reap. Returns how it ended: 128 + SIGKILL when the signal killed it, its own
  // exit code when it had finished first (an unreaped child keeps its pid, so the signal can never
  // reach a stranger).
  int kill_hard();

  // Sends `signal` (SIGTERM, SIGHUP...) while the child runs; nothing once it was reaped.
  void send(int signal) const;
  // Waits up to `timeout` for the child to exit and reaps it: its exit code (128 + signal when a
  // signal ended it), or -1 when it still runs.
  int wait_exit(std::chrono::milliseconds timeout);

 private:
  pid_t pid_ = -1;
};

}  // namespace meteo::testing
