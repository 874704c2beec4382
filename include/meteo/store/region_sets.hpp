// Region sets in the database: a name holds one version, replaced only on purpose.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "meteo/model/records.hpp"
#include "meteo/model/region_set_spec.hpp"
#include "meteo/store/database.hpp"

namespace meteo {

// A set's identity is its name and its version (the checksum of its document): a name holds one
// version, and only replace_region_set gives it another.

// What the database holds under a set's name.
struct RegionSetRecord {
  std::string name, checksum, location, loaded_at;
  std::size_t region_count = 0;
};

// Stores a set under a name not in use, in one transaction. Returns false (and changes nothing)
// when the stored version already has this checksum. Throws Error(config) naming the set, both
// versions and where each comes from when the name holds another version.
bool save_region_set(Database& db, const RegionSetConfig& config, const RegionSet& set);

// Which region of the set being stored covers a point (its index in RegionSet::regions), if any.
using RegionLocator = std::function<std::optional<std::size_t>(double lon, double lat)>;

struct RegionSetReplacement {
  bool changed = false;                          // false: this version was already stored
  std::optional<std::string> previous_checksum;  // nothing: the name was not in use
  std::size_t readings_moved = 0;                // stored readings whose region in the set changed
  std::size_t stations_moved = 0;                // stations whose region in the set changed
  std::size_t hours_recomputed = 0;              // hours of the set's aggregates recomputed
};

// Stores the set whatever version its name holds and, in the same transaction, re-matches every
// stored reading and station of the set with `locate` and recomputes the set's aggregates of every
// hour that has a row or a measurement: `verify` passes right after, and a crash leaves the old
// version whole. Runs of sources that feed the set wait for it (they lock the set's row first).
RegionSetReplacement replace_region_set(Database& db, const RegionSetConfig& config,
                                        const RegionSet& set, const RegionLocator& locate);

// The version stored under `name`, if any.
std::optional<RegionSetRecord> find_region_set(Database& db, const std::string& name);

// Throws Error(config, "no regions loaded for set X: run `meteo-etl regions load`") when empty.
RegionSet load_region_set(Database& db, const std::string& name);

}  // namespace meteo
