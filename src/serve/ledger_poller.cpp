#include "ledger_poller.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "meteo/core/errors.hpp"
#include "meteo/pipeline/config_views.hpp"
#include "site_changes.hpp"

namespace meteo::serve {
namespace {

// Enough for any burst between two polls; a longer backlog is read over the next polls.
constexpr std::size_t kRunsPerPoll = 1000;

nlohmann::json run_event_data(const std::vector<CommittedRun>& runs,
                              const std::vector<std::string>& files) {
  nlohmann::json list = nlohmann::json::array();
  std::set<std::string> sources, hours;
  for (const CommittedRun& run : runs) {
    list.push_back({{"id", run.id},
                    {"source", run.source},
                    {"kind", run.kind},
                    {"hour", to_iso8601(run.hour)}});
    sources.insert(run.source);
    hours.insert(to_iso8601(run.hour));
  }
  return {{"runs", list}, {"sources", sources}, {"hours", hours}, {"files", files}};
}

}  // namespace

LedgerCursor initial_cursor(Database& db) {
  LedgerCursor cursor;
  cursor.newest = newest_run_id(db);
  cursor.after = cursor.newest;
  // A run begun before us commits after: look from below it, the runs already committed seen.
  const LedgerChanges running = ledger_changes_after(db, 0, 0);
  if (running.oldest_running && *running.oldest_running <= cursor.newest) {
    cursor.after = *running.oldest_running - 1;
    for (const CommittedRun& run :
         ledger_changes_after(db, cursor.after, cursor.newest - cursor.after).committed) {
      cursor.seen.insert(run.id);
    }
  }
  return cursor;
}

LedgerPoller::LedgerPoller(const Config& config, const std::filesystem::path& site,
                           LedgerCursor cursor, EventHub& hub, spdlog::logger& log)
    : config_(config),
      inputs_(pipeline::dashboard_inputs(config)),
      settings_(dashboard::dashboard_settings(inputs_, site.string())),
      cursor_(std::move(cursor)),
      hub_(hub),
      log_(log) {}

LedgerPoller::~LedgerPoller() {
  stop();
}

void LedgerPoller::start() {
  thread_ = std::thread([this] { run(); });
}

void LedgerPoller::stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void LedgerPoller::run() {
  const std::chrono::milliseconds interval(config_.serve.ledger_poll_ms);
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    try {
      poll_once();
    } catch (const std::exception& error) {
      // The database restarting, a lost connection: say so, reconnect on the next poll.
      log_.warn("serve: reading the ledger failed, retrying in {} ms: {}", interval.count(),
                error.what());
      db_.reset();
    }
    lock.lock();
    wake_.wait_for(lock, interval, [&] { return stopping_; });
  }
}

void LedgerPoller::poll_once() {
  if (!db_) db_.emplace(Database::connect(config_.database));
  const LedgerChanges changes = ledger_changes_after(*db_, cursor_.after, kRunsPerPoll);
  std::vector<CommittedRun> fresh;
  for (const CommittedRun& run : changes.committed) {
    if (cursor_.seen.insert(run.id).second) fresh.push_back(run);
  }
  // Below the oldest run still in progress, everything is known; above it, `seen` remembers.
  std::int64_t newest = cursor_.after;
  if (!changes.committed.empty()) newest = std::max(newest, changes.committed.back().id);
  cursor_.after = changes.oldest_running ? std::min(newest, *changes.oldest_running - 1) : newest;
  std::erase_if(cursor_.seen, [&](std::int64_t id) { return id <= cursor_.after; });
  if (fresh.empty()) return;

  const std::vector<std::string> files = regenerate(*db_);  // may reset db_
  const std::int64_t event_id =
      std::max(fresh.back().id, hub_.newest_id() + 1);  // ids grow even for a late commit
  hub_.publish({event_id, "run", run_event_data(fresh, files).dump()});
  log_.info("serve: {} committed run(s) up to {}: {} file(s) changed", fresh.size(),
            fresh.back().id, files.size());
}

std::vector<std::string> LedgerPoller::regenerate(Database& db) {
  const SiteHashes before = hash_site(settings_.out);
  try {
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    dashboard::write_dashboard(db, inputs_, settings_, now, log_);
  } catch (const Error& error) {
    // An unwritable site (or the database lost midway: the next poll reconnects): the event
    // still tells the page that runs committed, with the files that did change.
    db_.reset();
    log_.warn("serve: the dashboard in {} was not regenerated: {}", settings_.out.string(),
              error.what());
  }
  return changed_files(before, hash_site(settings_.out));
}

}  // namespace meteo::serve
