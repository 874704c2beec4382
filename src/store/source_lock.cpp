// One run per source at a time, across machines and across a cluster's nodes: a GET_LOCK on the
// server connected to, and a lease row that the other nodes see (lease.hpp).
#include "lease_keeper.hpp"
#include "meteo/store/ledger.hpp"
#include "sql_support.hpp"

namespace meteo {

std::optional<SourceLock> SourceLock::try_acquire(Database& db, const std::string& source) {
  auto& connection = db.connection();
  return store::guarded("locking source " + source, [&]() -> std::optional<SourceLock> {
    auto name = store::lock_name(connection, source);
    // A live run holds the lock throughout; a killed one's session lets go within the grace.
    const auto grace = static_cast<int>(store::kDyingSessionGrace.count());
    if (!store::get_lock(connection, name, grace)) return std::nullopt;
    auto lease = store::take_lease(connection, "source:" + source, db.leases().ttl());
    if (!lease) {  // held by a live run on another node
      store::release_lock(connection, name);
      return std::nullopt;
    }
    db.leases().hold(*lease);
    return SourceLock(db, std::move(name), lease->name);
  });
}

SourceLock::SourceLock(Database& db, std::string name, std::string lease)
    : db_(&db), name_(std::move(name)), lease_(std::move(lease)) {}

SourceLock::SourceLock(SourceLock&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      name_(std::move(other.name_)),
      lease_(std::move(other.lease_)) {}

SourceLock::~SourceLock() {
  if (db_ == nullptr) return;
  try {
    db_->leases().release(db_->connection(), lease_);
    store::release_lock(db_->connection(), name_);
  } catch (...) {  // the server releases the GET_LOCK when the session ends; the lease expires
  }
}

}  // namespace meteo
