#include "lease_keeper.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace meteo::store {

LeaseKeeper::LeaseKeeper(DatabaseConfig config, spdlog::logger* log)
    : config_(std::move(config)), log_(log) {}

LeaseKeeper::~LeaseKeeper() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (renewer_.joinable()) renewer_.join();
}

void LeaseKeeper::hold(Lease lease) {
  std::lock_guard<std::mutex> lock(mutex_);
  leases_.push_back(std::move(lease));
  if (!renewer_.joinable()) renewer_ = std::thread([this] { renew_until_stopped(); });
}

void LeaseKeeper::release(sql::Connection& connection, const std::string& name) {
  std::optional<Lease> released;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto found = std::find_if(leases_.begin(), leases_.end(),
                                    [&](const Lease& lease) { return lease.name == name; });
    if (found == leases_.end()) return;
    released = *found;
    leases_.erase(found);
  }
  release_lease(connection, *released);
}

bool LeaseKeeper::still_held(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::any_of(leases_.begin(), leases_.end(),
                     [&](const Lease& lease) { return lease.name == name; });
}

std::vector<Lease> LeaseKeeper::held() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return leases_;
}

void LeaseKeeper::renew_until_stopped() {
  std::unique_ptr<Database> connection;
  const auto period =
      std::max<std::chrono::milliseconds>(config_.lease_ttl / 3, std::chrono::milliseconds(100));
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, period, [this] { return stopping_; })) {
    lock.unlock();
    renew_once(connection);
    lock.lock();
  }
}

void LeaseKeeper::renew_once(std::unique_ptr<Database>& connection) {
  const auto leases = held();
  if (leases.empty()) return;
  try {
    if (!connection) connection = std::make_unique<Database>(Database::connect(config_));
    for (const auto& name : renew_leases(connection->connection(), leases, config_.lease_ttl)) {
      if (still_held(name) && log_ != nullptr) {
        log_->error("the lock {} was taken over by another run: this run's next load will fail",
                    name);
      }
    }
  } catch (const std::exception& error) {
    // A lease outlives a missed renewal by two more periods; the next one reconnects.
    connection.reset();
    if (log_ != nullptr) log_->warn("renewing this run's locks: {}", error.what());
  }
}

}  // namespace meteo::store
