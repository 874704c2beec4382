// Alerts in the database (migration 0008): reading them back for `query alerts`, `status` and the
// dashboard, and the outbox of notifications the pipeline sends. They are written by the loads
// that store their triggering rows (stations.hpp, air_quality.hpp), in the same transaction.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "meteo/core/time.hpp"
#include "meteo/store/database.hpp"

namespace meteo {

// The schema version that holds alerts and forecasts (migration 0008): readers of an older
// database show none.
inline constexpr int kAlertsSchemaVersion = 8;

struct AlertRow {
  std::int64_t id = 0;
  std::string kind, subject, scope_type, source, scope_id, level;
  int level_rank = 1;
  UtcSeconds start;
  std::optional<UtcSeconds> end;  // nothing: open
  double peak_value = 0;
  UtcSeconds peak_at;
  double threshold = 0;
  std::string unit, rule_version;
  std::optional<UtcSeconds> withdrawn_at;  // to the second
  std::size_t triggers = 0;
};

struct AlertFilter {
  bool active_only = false;            // open and not withdrawn
  bool include_withdrawn = false;      // withdrawn alerts are hidden unless asked for
  std::optional<UtcSeconds> from, to;  // alerts overlapping [from, to)
  std::size_t limit = 100;
};

// Newest start first, then id.
std::vector<AlertRow> query_alerts(Database& db, const AlertFilter& filter);

struct PendingNotification {
  std::int64_t id = 0, alert_id = 0;
  std::string event, level, payload;
};

// The outbox's pending rows, oldest first.
std::vector<PendingNotification> pending_notifications(Database& db, std::size_t limit);

// Takes a pending row for this process ('sending'): false when another run took it first. A row
// is taken before the command runs, so a change is notified at most once even if a run dies.
bool claim_notification(Database& db, std::int64_t id);

struct NotificationOutcome {
  bool sent = false;
  std::optional<int> exit_code;  // nothing: the command did not exit (timeout, not started)
  std::string message;           // any bytes: stored as valid UTF-8
};

void record_notification(Database& db, std::int64_t id, const NotificationOutcome& outcome);

}  // namespace meteo
