// The thread that learns of committed runs from the ledger (whichever process ran them),
// regenerates the dashboard and publishes one event per batch.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "meteo/config/config.hpp"
#include "meteo/dashboard/dashboard_writer.hpp"
#include "meteo/serve/events.hpp"
#include "meteo/store/database.hpp"
#include "meteo/store/ledger.hpp"

namespace spdlog {
class logger;
}

namespace meteo::serve {

// Where the ledger stands when the server starts: announced runs are those after it.
struct LedgerCursor {
  std::int64_t after = 0;       // every run at or below has been seen (or predates us)
  std::set<std::int64_t> seen;  // runs above `after` already announced (or committed before)
  std::int64_t newest = 0;      // the newest run id at start: the events' first floor
};

// Reads the ledger once: the newest run, and the runs still in progress (which may commit later
// than runs after them).
LedgerCursor initial_cursor(Database& db);

class LedgerPoller {
 public:
  LedgerPoller(const Config& config, const std::filesystem::path& site, LedgerCursor cursor,
               EventHub& hub, spdlog::logger& log);
  ~LedgerPoller();  // stop()
  LedgerPoller(const LedgerPoller&) = delete;
  LedgerPoller& operator=(const LedgerPoller&) = delete;

  void start();
  void stop();

 private:
  void run();
  void poll_once();
  std::vector<std::string> regenerate(Database& db);

  const Config& config_;
  dashboard::DashboardInputs inputs_;
  dashboard::DashboardSettings settings_;
  LedgerCursor cursor_;
  EventHub& hub_;
  spdlog::logger& log_;
  std::optional<Database> db_;  // reconnected on the next poll after a failure

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace meteo::serve
