// Private to the store: lease rows (etl_leases), the locks that hold across a cluster's nodes.
//
// A lock has two halves. GET_LOCK on the server the session is connected to says, exactly and at
// once, whether a session on *that* server holds it (a killed one lets go when its session ends).
// The lease row, a write the cluster certifies, says which server's session holds it: a holder on
// another node keeps it until the lease expires, and renews it while alive (LeaseKeeper). On a
// single server every holder is on the same node, so only the GET_LOCK half ever decides, as
// before leases existed.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "sql_support.hpp"

namespace meteo::store {

struct Lease {
  std::string name;   // etl_leases.name, e.g. "source:sensors"
  std::string token;  // random: proves this session took it
};

// Takes the lease row `name` for this session, which must already hold the GET_LOCK of the same
// lock (so no live session of this server holds the lease). Succeeds when the row is free, was
// left by a session of this server (dead, since we hold the GET_LOCK), or has expired; returns
// nothing when a holder on another node still holds it. Runs in the caller's transaction, if any.
std::optional<Lease> take_lease(sql::Connection& connection, const std::string& name,
                                std::chrono::seconds ttl);

// Deletes the row if this lease still owns it.
void release_lease(sql::Connection& connection, const Lease& lease);

// Deletes the row of a lease whose holder is known dead (lease_abandoned).
void discard_lease(sql::Connection& connection, const std::string& name);

// Pushes the expiry of each lease still owned to now + ttl; returns the names no longer owned.
std::vector<std::string> renew_leases(sql::Connection& connection, const std::vector<Lease>& leases,
                                      std::chrono::seconds ttl);

// Inside a load's transaction, just before it commits: writes each lease's row (so a takeover on
// another node conflicts with this commit at certification) and throws Error(temporary) when one
// is no longer owned: another run took it, and nothing of this transaction may commit.
void confirm_leases(sql::Connection& connection, const std::vector<Lease>& leases,
                    std::chrono::seconds ttl);

// Whether the holder of lease `name` is known dead or absent: no row, a row left by a session of
// this server (the caller holds its GET_LOCK), or an expired row.
bool lease_abandoned(sql::Connection& connection, const std::string& name);

}  // namespace meteo::store
