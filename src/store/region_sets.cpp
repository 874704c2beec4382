// Region sets: versions identified by their document's checksum, replaced as a whole.
#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

#include "meteo/errors.hpp"
#include "meteo/store.hpp"
#include "sql_support.hpp"

namespace meteo {

namespace {

using store::Binder;

struct BoundingBox {
  double min_lon = std::numeric_limits<double>::infinity();
  double min_lat = std::numeric_limits<double>::infinity();
  double max_lon = -std::numeric_limits<double>::infinity();
  double max_lat = -std::numeric_limits<double>::infinity();
  bool empty() const { return min_lon > max_lon; }
};

// Visits every [lon, lat, ...] position of nested coordinate arrays.
void extend(BoundingBox& box, const nlohmann::json& coordinates) {
  if (!coordinates.is_array()) return;
  if (coordinates.size() >= 2 && coordinates[0].is_number() && coordinates[1].is_number()) {
    const double lon = coordinates[0].get<double>();
    const double lat = coordinates[1].get<double>();
    box.min_lon = std::min(box.min_lon, lon);
    box.max_lon = std::max(box.max_lon, lon);
    box.min_lat = std::min(box.min_lat, lat);
    box.max_lat = std::max(box.max_lat, lat);
    return;
  }
  for (const auto& item : coordinates) extend(box, item);
}

void extend_geometry(BoundingBox& box, const nlohmann::json& geometry) {
  if (!geometry.is_object()) return;
  if (auto found = geometry.find("coordinates"); found != geometry.end()) extend(box, *found);
  if (auto found = geometry.find("geometries"); found != geometry.end() && found->is_array()) {
    for (const auto& part : *found) extend_geometry(box, part);
  }
}

BoundingBox bounding_box(const std::string& set_name, const Region& region) {
  BoundingBox box;
  try {
    extend_geometry(box, nlohmann::json::parse(region.geometry_geojson));
  } catch (const nlohmann::json::exception& error) {
    throw Error(ExitCode::data, "region " + region.code + " of set " + set_name +
                                    ": geometry is not valid JSON: " + error.what());
  }
  if (box.empty()) {
    throw Error(ExitCode::data,
                "region " + region.code + " of set " + set_name + ": geometry has no coordinates");
  }
  return box;
}

void check_regions(const RegionSet& set) {
  if (set.regions.empty()) throw Error(ExitCode::data, "region set " + set.name + " is empty");
  std::set<std::string> codes;
  for (const auto& region : set.regions) {
    if (!codes.insert(region.code).second) {
      throw Error(ExitCode::data,
                  "region set " + set.name + ": code " + region.code + " appears twice");
    }
  }
}

std::string format_name(RegionFormat format) {
  switch (format) {
    case RegionFormat::geojson:
      return "geojson";
    case RegionFormat::opendatasoft:
      return "opendatasoft";
  }
  return "unknown";
}

// Locks the set's row (if any) for the rest of the transaction and returns its checksum.
std::optional<std::string> stored_checksum(sql::Connection& connection, const std::string& name) {
  auto statement =
      store::prepare(connection, "SELECT checksum FROM region_sets WHERE name = ? FOR UPDATE");
  Binder(*statement).text(name);
  auto row = store::run_query(*statement);
  if (!row->next()) return std::nullopt;
  return store::text(*row, 1);
}

void upsert_set_row(sql::Connection& connection, const RegionSetConfig& config,
                    const RegionSet& set) {
  auto statement = store::prepare(
      connection,
      "INSERT INTO region_sets (name, checksum, location, format, region_count, loaded_at)"
      " VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP(3)) ON DUPLICATE KEY UPDATE"
      " checksum = VALUES(checksum), location = VALUES(location), format = VALUES(format),"
      " region_count = VALUES(region_count), loaded_at = VALUES(loaded_at)");
  Binder(*statement)
      .text(set.name)
      .text(set.checksum)
      .text(config.location)
      .text(format_name(config.format))
      .count(set.regions.size());
  statement->executeUpdate();
}

// One row per statement: a detailed geometry can weigh megabytes.
void insert_regions(sql::Connection& connection, const RegionSet& set) {
  auto statement = store::prepare(connection,
                                  "INSERT INTO regions (region_set, code, name, ordinal, min_lon,"
                                  " min_lat, max_lon, max_lat, geometry)"
                                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (std::size_t ordinal = 0; ordinal < set.regions.size(); ++ordinal) {
    const auto& region = set.regions[ordinal];
    const auto box = bounding_box(set.name, region);
    Binder(*statement)
        .text(set.name)
        .text(region.code)
        .text(region.name)
        .count(ordinal)
        .real(box.min_lon)
        .real(box.min_lat)
        .real(box.max_lon)
        .real(box.max_lat)
        .text(region.geometry_geojson);
    statement->executeUpdate();
  }
}

}  // namespace

bool save_region_set(Database& db, const RegionSetConfig& config, const RegionSet& set) {
  check_regions(set);
  auto& connection = db.connection();
  return store::guarded("saving region set " + set.name, [&] {
    store::Transaction transaction(connection);
    if (stored_checksum(connection, set.name) == set.checksum) return false;
    // Aggregates already computed with the old version stay as they are.
    auto remove = store::prepare(connection, "DELETE FROM regions WHERE region_set = ?");
    Binder(*remove).text(set.name);
    remove->executeUpdate();
    upsert_set_row(connection, config, set);
    insert_regions(connection, set);
    transaction.commit();
    return true;
  });
}

RegionSet load_region_set(Database& db, const std::string& name) {
  auto& connection = db.connection();
  RegionSet set = store::guarded("loading region set " + name, [&] {
    RegionSet loaded;
    loaded.name = name;
    auto header = store::prepare(connection, "SELECT checksum FROM region_sets WHERE name = ?");
    Binder(*header).text(name);
    auto header_row = store::run_query(*header);
    if (header_row->next()) loaded.checksum = store::text(*header_row, 1);
    auto regions = store::prepare(connection,
                                  "SELECT code, name, geometry FROM regions"
                                  " WHERE region_set = ? ORDER BY ordinal");
    Binder(*regions).text(name);
    auto row = store::run_query(*regions);
    while (row->next()) {
      loaded.regions.push_back({store::text(*row, 1), store::text(*row, 2), store::text(*row, 3)});
    }
    return loaded;
  });
  if (set.regions.empty()) {
    throw Error(ExitCode::config,
                "no regions loaded for set " + name + ": run `meteo-etl regions load`");
  }
  return set;
}

}  // namespace meteo
