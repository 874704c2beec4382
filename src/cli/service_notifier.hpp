// systemd's notification protocol for `watch` run as a Type=notify service: readiness, the
// watchdog, a status line, stopping and reloading. Without $NOTIFY_SOCKET (a terminal, a test,
// cron) every call does nothing.
#pragma once

#include <chrono>
#include <string>

namespace meteo {

class ServiceNotifier {
 public:
  ServiceNotifier();   // reads the watchdog interval ($WATCHDOG_USEC) once
  ~ServiceNotifier();  // STOPPING=1, so systemd knows the exit is intended
  ServiceNotifier(const ServiceNotifier&) = delete;
  ServiceNotifier& operator=(const ServiceNotifier&) = delete;

  void ready() const;
  void watchdog() const;
  void status(const std::string& text) const;
  void reloading(bool started) const;  // RELOADING=1, then READY=1 once done
  void stopping() const;

  // How often watchdog() must be called: half of WatchdogSec; zero when no watchdog is asked.
  std::chrono::milliseconds watchdog_interval() const { return watchdog_interval_; }

 private:
  void notify(const std::string& state) const;

  std::chrono::milliseconds watchdog_interval_{0};
  mutable bool stopping_sent_ = false;
};

}  // namespace meteo
