// Tells the city about its alerts: each pending notification of the outbox (written with the
// alert's change, store/alerts.hpp) goes to [alerts] command on stdin, once, and the outcome is
// recorded. A failing command is logged and recorded; it never fails the run.
#pragma once

#include <cstddef>

#include "meteo/alerts/settings.hpp"
#include "meteo/store/database.hpp"

namespace spdlog {
class logger;
}

namespace meteo::pipeline {

struct NotificationTally {
  std::size_t sent = 0;
  std::size_t failed = 0;
};

// Never throws: a database problem here is logged (the rows stay pending for the next run).
NotificationTally send_alert_notifications(Database& db, const alerts::AlertSettings& settings,
                                           spdlog::logger& log);

}  // namespace meteo::pipeline
