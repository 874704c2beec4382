#include "lease.hpp"

#include <unistd.h>

#include <array>
#include <random>

namespace meteo::store {

namespace {

// The server this session is connected to, as the lease rows name it: its data directory on its
// host, which a restart keeps (its port may change) and no two running servers share.
constexpr const char* kThisNode = "CONCAT(@@hostname, ':', @@datadir)";

std::string random_token() {
  std::random_device random;
  std::uniform_int_distribution<int> digit(0, 15);
  std::string token(32, '0');
  for (auto& c : token) c = "0123456789abcdef"[digit(random)];
  return token;
}

// Who holds a lease, for the people reading etl_leases: this machine and process.
std::string this_process() {
  std::array<char, 256> host{};
  if (gethostname(host.data(), host.size() - 1) != 0) host[0] = '\0';
  return std::string(host.data()) + " pid " + std::to_string(getpid());
}

struct StoredLease {
  std::string token;
  bool takeable = false;  // expired, or left by a session of this server
};

std::optional<StoredLease> read_lease(sql::Connection& connection, const std::string& name) {
  auto select = prepare(connection, std::string("SELECT token, expires_at < UTC_TIMESTAMP(3) OR"
                                                " holder_node = ") +
                                        kThisNode + " FROM etl_leases WHERE name = ?");
  Binder(*select).text(name);
  auto row = run_query(*select);
  if (!row->next()) return std::nullopt;
  return StoredLease{text(*row, 1), row->getBoolean(2)};
}

// Both the INSERT of a free lease and the takeover of a stale one may lose a race: to a session
// of another node (a duplicate key, or a failed certification) or of this one (a lock wait).
bool lost_race(const sql::SQLException& error) {
  const int code = error.getErrorCode();
  return code == 1062 || code == 1213 || code == 1205;
}

bool insert_lease(sql::Connection& connection, const Lease& lease, std::chrono::seconds ttl) {
  auto insert =
      prepare(connection, std::string("INSERT INTO etl_leases (name, token, holder_node,"
                                      " holder_connection, holder_process, acquired_at, expires_at)"
                                      " VALUES (?, ?, ") +
                              kThisNode +
                              ", CONNECTION_ID(), ?, UTC_TIMESTAMP(3),"
                              " UTC_TIMESTAMP(3) + INTERVAL ? SECOND)");
  Binder(*insert).text(lease.name).text(lease.token).text(this_process()).int64(ttl.count());
  try {
    insert->executeUpdate();
    return true;
  } catch (const sql::SQLException& error) {
    if (lost_race(error)) return false;
    throw;
  }
}

// Compare and set on the old token: of two sessions taking over the same stale lease, one wins.
bool take_over(sql::Connection& connection, const Lease& lease, const std::string& stale_token,
               std::chrono::seconds ttl) {
  auto update = prepare(connection, std::string("UPDATE etl_leases SET token = ?, holder_node = ") +
                                        kThisNode +
                                        ", holder_connection = CONNECTION_ID(),"
                                        " holder_process = ?, acquired_at = UTC_TIMESTAMP(3),"
                                        " expires_at = UTC_TIMESTAMP(3) + INTERVAL ? SECOND"
                                        " WHERE name = ? AND token = ?");
  Binder(*update)
      .text(lease.token)
      .text(this_process())
      .int64(ttl.count())
      .text(lease.name)
      .text(stale_token);
  try {
    return update->executeUpdate() == 1;
  } catch (const sql::SQLException& error) {
    if (lost_race(error)) return false;
    throw;
  }
}

bool owns(sql::Connection& connection, const Lease& lease) {
  auto select = prepare(connection, "SELECT COUNT(*) FROM etl_leases WHERE name = ? AND token = ?");
  Binder(*select).text(lease.name).text(lease.token);
  auto row = run_query(*select);
  return row->next() && row->getInt(1) == 1;
}

}  // namespace

std::optional<Lease> take_lease(sql::Connection& connection, const std::string& name,
                                std::chrono::seconds ttl) {
  Lease lease{name, random_token()};
  const auto stored = read_lease(connection, name);
  if (!stored) return insert_lease(connection, lease, ttl) ? std::optional(lease) : std::nullopt;
  if (!stored->takeable) return std::nullopt;
  return take_over(connection, lease, stored->token, ttl) ? std::optional(lease) : std::nullopt;
}

void release_lease(sql::Connection& connection, const Lease& lease) {
  auto remove = prepare(connection, "DELETE FROM etl_leases WHERE name = ? AND token = ?");
  Binder(*remove).text(lease.name).text(lease.token);
  remove->executeUpdate();
}

void discard_lease(sql::Connection& connection, const std::string& name) {
  auto remove = prepare(connection, "DELETE FROM etl_leases WHERE name = ?");
  Binder(*remove).text(name);
  remove->executeUpdate();
}

std::vector<std::string> renew_leases(sql::Connection& connection, const std::vector<Lease>& leases,
                                      std::chrono::seconds ttl) {
  std::vector<std::string> lost;
  auto update = prepare(connection,
                        "UPDATE etl_leases SET expires_at = UTC_TIMESTAMP(3) + INTERVAL ? SECOND"
                        " WHERE name = ? AND token = ?");
  for (const auto& lease : leases) {
    Binder(*update).int64(ttl.count()).text(lease.name).text(lease.token);
    // Renewed within the same millisecond, the row is unchanged and counts 0: ask what it holds.
    if (update->executeUpdate() == 0 && !owns(connection, lease)) lost.push_back(lease.name);
  }
  return lost;
}

void confirm_leases(sql::Connection& connection, const std::vector<Lease>& leases,
                    std::chrono::seconds ttl) {
  auto update = prepare(connection,
                        "UPDATE etl_leases SET fence = fence + 1,"
                        " expires_at = UTC_TIMESTAMP(3) + INTERVAL ? SECOND"
                        " WHERE name = ? AND token = ?");
  for (const auto& lease : leases) {
    Binder(*update).int64(ttl.count()).text(lease.name).text(lease.token);
    if (update->executeUpdate() != 1) {
      throw Error(ExitCode::temporary,
                  "the lock " + lease.name +
                      " was taken over by another run while this one was loading (its lease"
                      " expired unrenewed): this transaction is rolled back; run it again");
    }
  }
}

bool lease_abandoned(sql::Connection& connection, const std::string& name) {
  const auto stored = read_lease(connection, name);
  return !stored || stored->takeable;
}

}  // namespace meteo::store
