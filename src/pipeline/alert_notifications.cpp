#include "meteo/pipeline/alert_notifications.hpp"

#include <spdlog/spdlog.h>

#include "alert_command.hpp"
#include "meteo/core/log_fields.hpp"
#include "meteo/store/alerts.hpp"

namespace meteo::pipeline {
namespace {

// One run sends at most this many: a backlog drains over the next runs, never stalls this one.
constexpr std::size_t kMaxPerRun = 200;

NotificationOutcome outcome_of(const CommandResult& result, std::chrono::seconds timeout) {
  NotificationOutcome outcome;
  outcome.exit_code = result.exit_code;
  outcome.sent = !result.timed_out && result.error.empty() && result.exit_code == 0;
  if (!result.error.empty()) {
    outcome.message = result.error;
  } else if (result.timed_out) {
    outcome.message =
        "killed after " + std::to_string(timeout.count()) + " s; output: " + result.output;
  } else {
    outcome.message = result.output;
  }
  return outcome;
}

void send_one(Database& db, const PendingNotification& notification,
              const alerts::AlertSettings& settings, NotificationTally& tally,
              spdlog::logger& log) {
  if (!claim_notification(db, notification.id)) return;  // another run has it
  const std::chrono::seconds timeout(settings.command_timeout_s);
  const NotificationOutcome outcome = outcome_of(
      run_command_with_input(settings.command, notification.payload + "\n", timeout), timeout);
  record_notification(db, notification.id, outcome);
  LogFields fields;
  fields.add("alert", notification.alert_id).add("event", notification.event);
  if (outcome.exit_code) fields.add("exit_code", *outcome.exit_code);
  if (outcome.sent) {
    ++tally.sent;
    log_with(log, spdlog::level::info, fields, "alert {} {}: notified", notification.alert_id,
             notification.event);
  } else {
    ++tally.failed;
    log_with(log, spdlog::level::warn, fields, "alert {} {}: the [alerts] command failed: {}",
             notification.alert_id, notification.event, outcome.message);
  }
}

}  // namespace

NotificationTally send_alert_notifications(Database& db, const alerts::AlertSettings& settings,
                                           spdlog::logger& log) {
  NotificationTally tally;
  if (settings.command.empty()) return tally;
  try {
    for (const PendingNotification& notification : pending_notifications(db, kMaxPerRun)) {
      send_one(db, notification, settings, tally, log);
    }
  } catch (const std::exception& error) {
    log.warn("alert notifications not all sent: {}", error.what());
  }
  return tally;
}

}  // namespace meteo::pipeline
