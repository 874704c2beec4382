// `meteo-etl watch`: every chosen source run through the same pipeline as `run`, each at its own
// cadence (poll_seconds), until stopped. Each cycle is a normal run (lock, ledger row, archive,
// one transaction), so a cron `run` beside a watch never doubles anything.
//
// The pure scheduling (when a source is next due, how long a failing one backs off) is in small
// functions on an injected time, unit-tested; watch() is the loop around them.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "meteo/config/config.hpp"

namespace spdlog {
class logger;
}

namespace meteo::pipeline {

using WatchClock = std::chrono::steady_clock;
using Millis = std::chrono::milliseconds;

// The first wait after a failure: the cadence, or 30 s when the cadence is longer, so a source
// polled hourly is retried soon after a blip.
Millis first_backoff(Millis cadence);

// The wait after `failures` consecutive failures (>= 1): first_backoff doubled per further
// failure, capped at `max`, then scaled by a jitter factor in [0.5, 1] (`unit` in [0, 1)), so
// several watches failing together do not retry in step. Never below 1 ms: no busy loop.
Millis backoff_delay(Millis cadence, int failures, Millis max, double unit);

// One source's place in the schedule.
struct SourceSchedule {
  std::string name;
  Millis cadence{0};
  WatchClock::time_point next_due{};
  int failures = 0;  // consecutive; 0 after a success
};

// Which sources are due at `now`, in schedule order.
std::vector<std::string> due_sources(const std::vector<SourceSchedule>& schedule,
                                     WatchClock::time_point now);

// The earliest next_due (now when the schedule is empty: the caller waits for a request).
WatchClock::time_point next_wake(const std::vector<SourceSchedule>& schedule,
                                 WatchClock::time_point now);

// After a cycle: a success is due again one cadence after `now` and forgets its failures; a
// failure waits backoff_delay.
void record_outcome(SourceSchedule& source, bool succeeded, WatchClock::time_point now, Millis max,
                    double jitter_unit);

// The schedule for `names` (with their cadences) keeping what `previous` knew of a source that
// stays: a reload neither resets a backoff nor runs everything at once. New sources are due now.
std::vector<SourceSchedule> reschedule(const std::vector<SourceSchedule>& previous,
                                       const std::vector<std::pair<std::string, Millis>>& sources,
                                       WatchClock::time_point now);

// Stop and reload requests from outside the loop (a signal thread, another server thread): a
// mutex and a condition variable, no global flag. The loop sleeps in wait_until.
class WatchControl {
 public:
  void request_stop();
  void request_reload();
  bool stop_requested() const;
  // Sleeps until `deadline` or a request; true when a request (stop or reload) is pending.
  bool wait_until(WatchClock::time_point deadline);
  // Takes a pending reload request (false when none).
  bool take_reload();

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool stop_ = false;
  bool reload_ = false;
};

struct WatchRequest {
  std::vector<std::string> sources;     // empty: every configured source
  std::optional<long long> max_cycles;  // stop after this many cycles (tests, the memory test)
};

// What the composition root plugs in: systemd's notifications and the config loader.
struct WatchHooks {
  // Re-reads the configuration file; throws Error when it is bad (the old one is kept).
  std::function<Config()> reload_config;
  std::function<void()> ready;                     // after the first connect attempt
  std::function<void()> alive;                     // every wake (the watchdog)
  std::function<void(const std::string&)> status;  // after every cycle
  std::function<void(bool)> reloading;             // true before a reload, false after
  Millis alive_interval{0};                        // wake at least this often; 0: no need
  std::function<WatchClock::time_point()> now = [] { return WatchClock::now(); };
};

// Runs until control.request_stop() (the current cycle finishes or rolls back first) or
// max_cycles. A failed cycle is logged and backed off; a lost database is reconnected by the next
// cycle. Returns the exit code: 0 when stopped, Error for a bad request (unknown source).
int watch(const Config& config, const WatchRequest& request, WatchControl& control,
          const WatchHooks& hooks, spdlog::logger& log, std::ostream& out);

}  // namespace meteo::pipeline
