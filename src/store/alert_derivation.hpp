// Private to the store: alerts rebuilt inside a load's transaction from the rows it stored, and
// the notifications their changes owe (an outbox the pipeline empties after the commit).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "meteo/alerts/alerts.hpp"
#include "meteo/core/time.hpp"
#include "sql_support.hpp"

namespace meteo::store {

// Where an alert is: scope_type 'station' (scope_id: the dataset, in its stored form) or
// 'air_quality_station' (scope_id: the station code).
struct AlertPlace {
  std::string scope_type;
  std::string source;
  std::string scope_id;
};

struct AlertDerivation {
  const alerts::AlertSettings& settings;
  std::int64_t run_id = 0;
  UtcSeconds now;  // decides whether a change is recent enough to notify
};

// Re-detects the weather alerts of a station from its stored records around `touched_from` (the
// earliest hour the load changed) onwards, reconciles them with the stored ones, and writes the
// difference with its notifications. Returns the number of alerts written or withdrawn.
std::size_t derive_station_alerts(sql::Connection& connection, const AlertPlace& place,
                                  UtcSeconds touched_from, const AlertDerivation& derivation);

// Re-derives the pollution alerts of an air-quality station for these pollutants from its
// exceedance runs (air_quality_exceedances, just rebuilt) and writes the difference.
std::size_t derive_pollution_alerts(sql::Connection& connection, const AlertPlace& place,
                                    const std::vector<std::string>& pollutants,
                                    const AlertDerivation& derivation);

// Writes a reconciliation of one place (`stored`: what it was made from): withdrawals, inserts
// and updates with their triggers, and one notification row per change (never twice for the
// same alert, event and level).
std::size_t apply_reconciliation(sql::Connection& connection, const AlertPlace& place,
                                 const std::vector<alerts::StoredAlert>& stored,
                                 const alerts::Reconciliation& reconciliation,
                                 const AlertDerivation& derivation);

// The stored alerts of a place of the given kinds that end after `from` (or are open).
std::vector<alerts::StoredAlert> read_place_alerts(sql::Connection& connection,
                                                   const AlertPlace& place,
                                                   const std::vector<alerts::Kind>& kinds,
                                                   UtcSeconds from);

}  // namespace meteo::store
