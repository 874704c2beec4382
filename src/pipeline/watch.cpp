#include "meteo/pipeline/watch.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "meteo/core/errors.hpp"
#include "meteo/core/log_fields.hpp"
#include "meteo/core/time.hpp"
#include "meteo/pipeline/run.hpp"
#include "meteo/store/database.hpp"
#include "meteo/store/migrations.hpp"

namespace meteo::pipeline {

Millis first_backoff(Millis cadence) {
  return std::min<Millis>(cadence, std::chrono::seconds(30));
}

Millis backoff_delay(Millis cadence, int failures, Millis max, double unit) {
  Millis delay = std::min(first_backoff(cadence), max);
  for (int i = 1; i < failures && delay < max; ++i) delay = std::min(delay * 2, max);
  const double factor = 0.5 + 0.5 * std::clamp(unit, 0.0, 1.0);
  return std::max(Millis(1), Millis(static_cast<Millis::rep>(delay.count() * factor)));
}

std::vector<std::string> due_sources(const std::vector<SourceSchedule>& schedule,
                                     WatchClock::time_point now) {
  std::vector<std::string> due;
  for (const auto& source : schedule) {
    if (source.next_due <= now) due.push_back(source.name);
  }
  return due;
}

WatchClock::time_point next_wake(const std::vector<SourceSchedule>& schedule,
                                 WatchClock::time_point now) {
  if (schedule.empty()) return now;
  WatchClock::time_point earliest = schedule.front().next_due;
  for (const auto& source : schedule) earliest = std::min(earliest, source.next_due);
  return earliest;
}

void record_outcome(SourceSchedule& source, bool succeeded, WatchClock::time_point now, Millis max,
                    double jitter_unit) {
  if (succeeded) {
    source.failures = 0;
    source.next_due = now + source.cadence;
    return;
  }
  ++source.failures;
  source.next_due = now + backoff_delay(source.cadence, source.failures, max, jitter_unit);
}

std::vector<SourceSchedule> reschedule(const std::vector<SourceSchedule>& previous,
                                       const std::vector<std::pair<std::string, Millis>>& sources,
                                       WatchClock::time_point now) {
  std::vector<SourceSchedule> schedule;
  for (const auto& [name, cadence] : sources) {
    SourceSchedule entry{name, cadence, now, 0};
    for (const auto& known : previous) {
      if (known.name != name) continue;
      entry.failures = known.failures;
      // A shorter cadence takes effect now, not after the old, longer wait.
      entry.next_due =
          known.failures > 0 ? known.next_due : std::min(known.next_due, now + cadence);
    }
    schedule.push_back(entry);
  }
  return schedule;
}

void WatchControl::request_stop() {
  {
    const std::lock_guard lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
}

void WatchControl::request_reload() {
  {
    const std::lock_guard lock(mutex_);
    reload_ = true;
  }
  changed_.notify_all();
}

bool WatchControl::stop_requested() const {
  const std::lock_guard lock(mutex_);
  return stop_;
}

bool WatchControl::wait_until(WatchClock::time_point deadline) {
  std::unique_lock lock(mutex_);
  return changed_.wait_until(lock, deadline, [this] { return stop_ || reload_; });
}

bool WatchControl::take_reload() {
  const std::lock_guard lock(mutex_);
  return std::exchange(reload_, false);
}

namespace {

// The chosen sources and their cadences; an unknown name is a config error naming it.
std::vector<std::pair<std::string, Millis>> chosen_sources(const Config& config,
                                                           const std::vector<std::string>& names) {
  std::vector<std::pair<std::string, Millis>> chosen;
  for (const auto& name : names) chosen.emplace_back(name, config.source(name).poll_interval);
  if (names.empty()) {
    for (const auto& source : config.sources)
      chosen.emplace_back(source.name, source.poll_interval);
  }
  if (chosen.empty()) throw Error(ExitCode::config, "no [[sources]] configured");
  return chosen;
}

std::string seconds_text(Millis duration) {
  return fmt::format("{:g} s", std::chrono::duration<double>(duration).count());
}

// The loop's state: the configuration in force, the schedule, one connection kept between cycles.
class Watcher {
 public:
  Watcher(const Config& config, const WatchRequest& request, WatchControl& control,
          const WatchHooks& hooks, spdlog::logger& log, std::ostream& out)
      : config_(config),
        request_(request),
        control_(control),
        hooks_(hooks),
        log_(log),
        out_(out),
        random_(std::random_device{}()) {
    schedule_ = reschedule({}, chosen_sources(config_, request_.sources), hooks_.now());
  }

  int run() {
    connect();  // a database down at start is a failed first cycle, not a failed start
    log_.info("watch: {} source(s), {}", schedule_.size(), describe_schedule());
    if (hooks_.ready) hooks_.ready();
    while (!control_.stop_requested()) {
      if (control_.take_reload()) reload();
      const auto now = hooks_.now();
      const auto due = due_sources(schedule_, now);
      if (due.empty()) {
        sleep_until(next_wake(schedule_, now), now);
        continue;
      }
      cycle(due);
      if (hooks_.alive) hooks_.alive();
      if (request_.max_cycles && cycles_ >= *request_.max_cycles) break;
    }
    log_with(log_, spdlog::level::info, LogFields().add("cycles", cycles_),
             "watch stopped after {} cycle(s)", cycles_);
    return 0;
  }

 private:
  void sleep_until(WatchClock::time_point wake, WatchClock::time_point now) {
    // An empty schedule has nothing due: wait for a request (or the watchdog's interval).
    if (schedule_.empty()) wake = now + std::chrono::hours(1);
    if (hooks_.alive_interval > Millis(0)) wake = std::min(wake, now + hooks_.alive_interval);
    control_.wait_until(wake);
    if (hooks_.alive) hooks_.alive();
  }

  // One attempt; a failure is logged and the due sources' cycle fails (then backs off).
  bool connect() {
    try {
      Database db = Database::connect(config_.database, &log_);
      require_current_schema(db, bundled_migrations());
      db_.emplace(std::move(db));
      return true;
    } catch (const std::exception& error) {
      connect_code_ = static_cast<int>(ExitCode::temporary);
      if (const auto* ours = dynamic_cast<const Error*>(&error)) {
        connect_code_ = static_cast<int>(ours->code());
      }
      log_.warn("watch: database not connected: {}", error.what());
      return false;
    }
  }

  void cycle(const std::vector<std::string>& due) {
    ++cycles_;
    const auto started = hooks_.now();
    std::vector<SourceRunOutcome> outcomes;
    if (db_ || connect()) {
      outcomes = run_due(due, started);
    } else {
      for (const auto& name : due) outcomes.push_back({name, connect_code_, {}});
    }
    const auto finished = hooks_.now();
    bool failed = false;
    for (const auto& outcome : outcomes) {
      for (auto& source : schedule_) {
        if (source.name != outcome.source) continue;
        record_outcome(source, outcome.exit_code == 0, finished, config_.watch.backoff_max,
                       std::uniform_real_distribution<double>(0, 1)(random_));
      }
      failed = failed || outcome.exit_code != 0;
    }
    // A failed run may have lost its session (a restarted server, a killed connection); a fresh
    // one costs little at watch's cadences, and the next cycle must not inherit a dead one.
    if (failed) db_.reset();
    report(outcomes, finished);
  }

  std::vector<SourceRunOutcome> run_due(const std::vector<std::string>& due,
                                        WatchClock::time_point now) {
    RunRequest run{floor_to_hour(std::chrono::system_clock::now()), Shard{}, {}, prune_due(now)};
    for (const auto& name : due) run.sources.push_back(&config_.source(name));
    try {
      return run_sources(*db_, config_, run, log_, out_);
    } catch (const std::exception& error) {
      // run_sources reports a source's Error itself; anything else ends this cycle, not the watch.
      log_.error("watch: cycle {} failed: {}", cycles_, error.what());
      std::vector<SourceRunOutcome> outcomes;
      for (const auto& name : due) {
        outcomes.push_back({name, static_cast<int>(ExitCode::software), {}});
      }
      return outcomes;
    }
  }

  // The archive's retention is counted in days: pruning every few seconds would only list the
  // archive's directories again and again. Once an hour, as the cron run does, is enough.
  bool prune_due(WatchClock::time_point now) {
    if (last_prune_ && now - *last_prune_ < std::chrono::hours(1)) return false;
    last_prune_ = now;
    return true;
  }

  void report(const std::vector<SourceRunOutcome>& outcomes, WatchClock::time_point now) {
    std::string text = fmt::format("cycle {}:", cycles_);
    std::size_t failed = 0;
    for (const auto& outcome : outcomes) {
      failed += outcome.exit_code != 0;
      text += outcome.exit_code == 0
                  ? fmt::format(" {} ok", outcome.source)
                  : fmt::format(" {} failed (exit {})", outcome.source, outcome.exit_code);
    }
    text += "; next in " +
            seconds_text(std::chrono::duration_cast<Millis>(next_wake(schedule_, now) - now));
    log_with(log_, failed ? spdlog::level::warn : spdlog::level::info,
             LogFields()
                 .add("cycle", cycles_)
                 .add("sources", outcomes.size())
                 .add("failed_sources", failed),
             "watch {}", text);
    if (hooks_.status) hooks_.status(text);
  }

  // A bad new file is logged and the old configuration kept: a typo must not stop the watch.
  void reload() {
    if (!hooks_.reload_config) return;
    if (hooks_.reloading) hooks_.reloading(true);
    try {
      Config fresh = hooks_.reload_config();
      auto chosen = chosen_sources(fresh, request_.sources);
      config_ = std::move(fresh);
      schedule_ = reschedule(schedule_, chosen, hooks_.now());
      db_.reset();  // [database] may have changed
      log_.info("watch: configuration reloaded: {} source(s), {}", schedule_.size(),
                describe_schedule());
    } catch (const std::exception& error) {
      log_.error("watch: configuration not reloaded, the previous one stays: {}", error.what());
    }
    if (hooks_.reloading) hooks_.reloading(false);
  }

  std::string describe_schedule() const {
    std::string text;
    for (const auto& source : schedule_) {
      text += (text.empty() ? "" : ", ") + source.name + " every " + seconds_text(source.cadence);
    }
    return text;
  }

  Config config_;
  const WatchRequest& request_;
  WatchControl& control_;
  const WatchHooks& hooks_;
  spdlog::logger& log_;
  std::ostream& out_;
  std::mt19937_64 random_;
  std::vector<SourceSchedule> schedule_;
  std::optional<Database> db_;
  int connect_code_ = 0;
  long long cycles_ = 0;
  std::optional<WatchClock::time_point> last_prune_;
};

}  // namespace

int watch(const Config& config, const WatchRequest& request, WatchControl& control,
          const WatchHooks& hooks, spdlog::logger& log, std::ostream& out) {
  Watcher watcher(config, request, control, hooks, log, out);
  return watcher.run();
}

}  // namespace meteo::pipeline
