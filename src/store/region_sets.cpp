// Region sets: a name holds one version (its document's checksum), replaced as a whole and only
// when asked, its stored readings then matched again.
#include "meteo/store/region_sets.hpp"

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

#include "meteo/core/errors.hpp"
#include "region_aggregates.hpp"
#include "sql_support.hpp"
#include "station_support.hpp"

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

constexpr const char* kSelectRecord =
    "SELECT name, checksum, location, CAST(loaded_at AS CHAR), region_count FROM region_sets"
    " WHERE name = ?";

std::optional<RegionSetRecord> select_record(sql::Connection& connection, const std::string& name,
                                             const std::string& suffix) {
  auto statement = store::prepare(connection, kSelectRecord + suffix);
  Binder(*statement).text(name);
  auto row = store::run_query(*statement);
  if (!row->next()) return std::nullopt;
  return RegionSetRecord{store::text(*row, 1), store::text(*row, 2), store::text(*row, 3),
                         store::text(*row, 4), static_cast<std::size_t>(row->getUInt64(5))};
}

// Locks the set's row (if any) for the rest of the transaction: runs that feed the set lock it
// too before they write, so they wait for the new version.
std::optional<RegionSetRecord> locked_record(sql::Connection& connection, const std::string& name) {
  return select_record(connection, name, " FOR UPDATE");
}

Error other_version_stored(const RegionSetConfig& config, const RegionSet& set,
                           const RegionSetRecord& stored) {
  return Error(ExitCode::config,
               "region set " + set.name + ": " + config.location + " is version " + set.checksum +
                   " but the database holds version " + stored.checksum + " under this name," +
                   " loaded from " + stored.location + " at " + stored.loaded_at +
                   " UTC; a name holds one version, so runs never match against contours"
                   " other than those they were configured with. Replace it with `meteo-etl"
                   " regions load --set " +
                   set.name +
                   " --replace` (its stored readings are matched again and its aggregates"
                   " recomputed), or give this set another name");
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

// Replaces whatever the name holds (its regions cascade) by this version.
void write_version(sql::Connection& connection, const RegionSetConfig& config,
                   const RegionSet& set) {
  auto remove = store::prepare(connection, "DELETE FROM regions WHERE region_set = ?");
  Binder(*remove).text(set.name);
  remove->executeUpdate();
  upsert_set_row(connection, config, set);
  insert_regions(connection, set);
}

// Where one kind of subject keeps its region in each set: readings and stations, each keyed by
// (source, key) and placed by the longitude and latitude of its own table. Pages walk the primary
// key (source, key, set) from where the last one ended, so each costs its own rows only.
struct MatchTable {
  std::string page;    // the set's matches after (source, key), in key order; parameters:
                       // set, source, source, key
  std::string insert;  // the head of the INSERT that rewrites a match, or
  std::string update;  // the UPDATE of one match kept in its subject's own row; parameters:
                       // code, source, key, set
};

constexpr std::size_t kMatchPage = 5000;

// A reading's region in its inline set is a column of the reading.
const MatchTable kInlineReadingMatches{
    "SELECT r.source, r.reading_id, r.longitude, r.latitude, r.region_code"
    " FROM sensor_readings AS r FORCE INDEX (PRIMARY)"
    " WHERE r.region_set = ? AND (r.source > ? OR (r.source = ? AND r.reading_id > ?))"
    " ORDER BY r.source, r.reading_id LIMIT " +
        std::to_string(kMatchPage),
    "",
    "UPDATE sensor_readings SET region_code = ?"
    " WHERE source = ? AND reading_id = ? AND region_set = ?"};

const MatchTable kReadingMatches{
    "SELECT m.source, m.reading_id, r.longitude, r.latitude, m.region_code"
    " FROM reading_extra_regions AS m FORCE INDEX (PRIMARY)"
    " JOIN sensor_readings AS r ON r.source = m.source AND r.reading_id = m.reading_id"
    " WHERE m.region_set = ? AND (m.source > ? OR (m.source = ? AND m.reading_id > ?))"
    " ORDER BY m.source, m.reading_id LIMIT " +
        std::to_string(kMatchPage),
    "INSERT INTO reading_extra_regions (source, reading_id, region_set, region_code)", ""};

const MatchTable kStationMatches{
    "SELECT s.source, s.dataset_id, w.longitude, w.latitude, s.region_code"
    " FROM station_regions AS s FORCE INDEX (PRIMARY)"
    " JOIN weather_stations AS w ON w.source = s.source AND w.dataset_id = s.dataset_id"
    " WHERE s.region_set = ? AND (s.source > ? OR (s.source = ? AND s.dataset_id > ?))"
    " ORDER BY s.source, s.dataset_id LIMIT " +
        std::to_string(kMatchPage),
    "INSERT INTO station_regions (source, dataset_id, region_set, region_code)", ""};

struct StoredMatch {
  std::string source, key;
  double longitude = 0, latitude = 0;
  std::optional<std::string> code;
};

std::vector<StoredMatch> matches_after(sql::Connection& connection, const MatchTable& table,
                                       const std::string& set_name, const StoredMatch* last) {
  auto select = store::prepare(connection, table.page);
  const std::string source = last ? last->source : "";
  Binder(*select).text(set_name).text(source).text(source).text(last ? last->key : "");
  auto row = store::run_query(*select);
  std::vector<StoredMatch> page;
  while (row->next()) {
    page.push_back({store::text(*row, 1), store::text(*row, 2),
                    static_cast<double>(row->getDouble(3)), static_cast<double>(row->getDouble(4)),
                    store::optional_text(*row, 5)});
  }
  return page;
}

void write_matches(sql::Connection& connection, const MatchTable& table,
                   const std::string& set_name, const std::vector<StoredMatch>& moved) {
  if (!table.update.empty()) {
    if (moved.empty()) return;
    auto update = store::prepare(connection, table.update);
    for (const auto& match : moved) {
      Binder(*update).optional_text(match.code).text(match.source).text(match.key).text(set_name);
      update->executeUpdate();
    }
    return;
  }
  const store::MultiRowInsert upsert{table.insert, "(?, ?, ?, ?)",
                                     "ON DUPLICATE KEY UPDATE region_code = VALUES(region_code)"};
  store::insert_rows(connection, upsert, moved.size(), [&](Binder& binder, std::size_t row) {
    binder.text(moved[row].source)
        .text(moved[row].key)
        .text(set_name)
        .optional_text(moved[row].code);
  });
}

// Matches every stored subject of the set against its new regions, page by page, and rewrites
// the matches that changed. Returns how many changed.
std::size_t match_again(sql::Connection& connection, const MatchTable& table, const RegionSet& set,
                        const RegionLocator& locate) {
  std::size_t moved_count = 0;
  std::optional<StoredMatch> last;
  for (;;) {
    auto page = matches_after(connection, table, set.name, last ? &*last : nullptr);
    if (page.empty()) return moved_count;
    std::vector<StoredMatch> moved;
    for (const auto& match : page) {
      std::optional<std::string> code;
      if (const auto index = locate(match.longitude, match.latitude)) {
        code = set.regions.at(*index).code;
      }
      if (code != match.code) moved.push_back({match.source, match.key, 0, 0, std::move(code)});
    }
    write_matches(connection, table, set.name, moved);
    moved_count += moved.size();
    last = std::move(page.back());
  }
}

// Every hour the set has an aggregate or a matched measurement in: what a replacement recomputes.
std::set<UtcSeconds> hours_of_set(sql::Connection& connection, const std::string& set_name) {
  auto select = store::prepare(
      connection,
      std::string("SELECT CAST(hour AS CHAR) FROM region_hourly_temperature WHERE region_set = ?"
                  " UNION SELECT CAST(hour AS CHAR) FROM sensor_readings"
                  " WHERE region_set = ? AND region_code IS NOT NULL"
                  " UNION SELECT CAST(r.hour AS CHAR) FROM reading_extra_regions AS m"
                  " JOIN sensor_readings AS r ON r.source = m.source"
                  " AND r.reading_id = m.reading_id"
                  " WHERE m.region_set = ? AND m.region_code IS NOT NULL"
                  " UNION SELECT CAST(") +
          store::kObservationHour +
          " AS CHAR) FROM station_regions AS s"
          " JOIN weather_observations AS o ON o.source = s.source"
          " AND o.dataset_id = s.dataset_id"
          " WHERE s.region_set = ? AND s.region_code IS NOT NULL"
          " AND o.temperature_c IS NOT NULL");
  Binder(*select).text(set_name).text(set_name).text(set_name).text(set_name);
  auto row = store::run_query(*select);
  std::set<UtcSeconds> hours;
  while (row->next()) hours.insert(parse_sql_datetime(store::text(*row, 1)));
  return hours;
}

}  // namespace

bool save_region_set(Database& db, const RegionSetConfig& config, const RegionSet& set) {
  check_regions(set);
  auto& connection = db.connection();
  return store::guarded("saving region set " + set.name, [&] {
    store::Transaction transaction(connection);
    if (const auto stored = locked_record(connection, set.name)) {
      if (stored->checksum == set.checksum) return false;
      throw other_version_stored(config, set, *stored);
    }
    write_version(connection, config, set);
    transaction.commit();
    return true;
  });
}

RegionSetReplacement replace_region_set(Database& db, const RegionSetConfig& config,
                                        const RegionSet& set, const RegionLocator& locate) {
  check_regions(set);
  auto& connection = db.connection();
  std::string step = "locking the set";
  try {
    // READ COMMITTED, as the runs' loads: reading every measurement of the set must not
    // share-lock other sets' rows; this set's lock already keeps its writers out.
    store::Transaction transaction(connection, store::Transaction::Isolation::read_committed);
    RegionSetReplacement outcome;
    const auto stored = locked_record(connection, set.name);
    if (stored && stored->checksum == set.checksum) return outcome;
    if (stored) outcome.previous_checksum = stored->checksum;
    step = "storing the new regions";
    write_version(connection, config, set);
    step = "matching the stored readings again";
    outcome.readings_moved = match_again(connection, kInlineReadingMatches, set, locate) +
                             match_again(connection, kReadingMatches, set, locate);
    step = "matching the stations again";
    outcome.stations_moved = match_again(connection, kStationMatches, set, locate);
    step = "recomputing the aggregates";
    const auto hours = hours_of_set(connection, set.name);
    store::recompute_region_hours(connection, set.name, hours);
    outcome.hours_recomputed = hours.size();
    step = "committing";
    transaction.commit();
    outcome.changed = true;
    return outcome;
  } catch (const sql::SQLException& error) {
    store::throw_error(error, "replacing region set " + set.name + ": " + step);
  }
}

std::optional<RegionSetRecord> find_region_set(Database& db, const std::string& name) {
  return store::guarded("reading region set " + name,
                        [&] { return select_record(db.connection(), name, ""); });
}

RegionSet load_region_set(Database& db, const std::string& name) {
  auto& connection = db.connection();
  RegionSet set = store::guarded("loading region set " + name, [&] {
    // One snapshot: a replacement committing between the two reads cannot mix two versions.
    store::Transaction snapshot(connection);
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
    snapshot.commit();
    return loaded;
  });
  if (set.regions.empty()) {
    throw Error(ExitCode::config,
                "no regions loaded for set " + name + ": run `meteo-etl regions load`");
  }
  return set;
}

}  // namespace meteo
