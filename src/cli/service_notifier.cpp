#include "service_notifier.hpp"

#include <systemd/sd-daemon.h>

#include <cstdint>

namespace meteo {

ServiceNotifier::ServiceNotifier() {
  std::uint64_t usec = 0;
  // 0 unset_environment: the variables stay for nobody else, but unsetting would race other
  // threads' getenv.
  if (sd_watchdog_enabled(0, &usec) > 0) {
    watchdog_interval_ = std::chrono::milliseconds(usec / 2000);
  }
}

ServiceNotifier::~ServiceNotifier() {
  stopping();
}

// sd_notify does nothing (returns 0) when $NOTIFY_SOCKET is unset; a failure to notify must never
// fail the watch, so its result is ignored.
void ServiceNotifier::notify(const std::string& state) const {
  (void)sd_notify(0, state.c_str());
}

void ServiceNotifier::ready() const {
  notify("READY=1");
}

void ServiceNotifier::watchdog() const {
  if (watchdog_interval_.count() > 0) notify("WATCHDOG=1");
}

void ServiceNotifier::status(const std::string& text) const {
  notify("STATUS=" + text);
}

void ServiceNotifier::reloading(bool started) const {
  notify(started ? "RELOADING=1" : "READY=1");
}

void ServiceNotifier::stopping() const {
  if (stopping_sent_) return;
  stopping_sent_ = true;
  notify("STOPPING=1");
}

}  // namespace meteo
