// Private to the store: the leases a Database session holds, renewed in the background.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "lease.hpp"
#include "meteo/store/database.hpp"

namespace meteo::store {

// Renews every held lease each third of its time to live, on a connection of its own: the
// session's connection may be busy for minutes in one LOAD DATA. A lease it finds taken over is
// logged; the load's commit (confirm_leases) is what refuses to go on.
class LeaseKeeper {
 public:
  LeaseKeeper(DatabaseConfig config, spdlog::logger* log);
  ~LeaseKeeper();
  LeaseKeeper(const LeaseKeeper&) = delete;
  LeaseKeeper& operator=(const LeaseKeeper&) = delete;

  std::chrono::seconds ttl() const { return config_.lease_ttl; }
  void hold(Lease lease);
  // Deletes the row through `connection` (the session's own) and stops renewing it.
  void release(sql::Connection& connection, const std::string& name);
  std::vector<Lease> held() const;

 private:
  void renew_until_stopped();
  void renew_once(std::unique_ptr<Database>& connection);
  // Released meanwhile, a lease renewed from an older list is gone but not lost.
  bool still_held(const std::string& name) const;

  DatabaseConfig config_;
  spdlog::logger* log_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::vector<Lease> leases_;
  std::thread renewer_;  // started with the first lease
};

}  // namespace meteo::store
