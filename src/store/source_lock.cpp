// One run per source at a time, across machines: a named lock on the server.
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
    return SourceLock(db, std::move(name));
  });
}

SourceLock::SourceLock(Database& db, std::string name) : db_(&db), name_(std::move(name)) {}

SourceLock::SourceLock(SourceLock&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), name_(std::move(other.name_)) {}

SourceLock::~SourceLock() {
  if (db_ == nullptr) return;
  try {
    store::release_lock(db_->connection(), name_);
  } catch (...) {  // the server releases it anyway when the session ends
  }
}

}  // namespace meteo
