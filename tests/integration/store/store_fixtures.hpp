// Fixtures of the store's integration tests: tiny synthetic region sets, readings, table dumps.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "meteo/core/errors.hpp"
#include "meteo/store/migrations.hpp"
#include "meteo/store/run_load.hpp"
#include "test_database.hpp"

namespace meteo::testing {

using Row = std::vector<std::optional<std::string>>;
using Rows = std::vector<Row>;

// Every row of a query, each column as the server prints it (NULL as nullopt).
Rows sql_rows(Database& db, const std::string& query);
// The single value of a one-row, one-column query.
std::optional<std::string> sql_value(Database& db, const std::string& query);

// The bundled migrations older than `version`: a database as it was before that migration.
std::vector<Migration> migrations_before(int version);

// An axis-aligned square as a GeoJSON Polygon geometry.
std::string square_geometry(double lon, double lat, double size = 1.0);
Region square_region(const std::string& code, const std::string& name, double lon, double lat);

// "fr-regions": 11 Île-de-France and 84 Auvergne-Rhône-Alpes, as saved by save_region_set.
RegionSet french_regions(const std::string& checksum = "sha-v1");
RegionSetConfig region_set_config(const std::string& name);

// The Error a callable throws (fails the test when it throws nothing).
template <class Call>
Error error_of(Call&& call) {
  try {
    call();
  } catch (const Error& error) {
    return error;
  }
  ADD_FAILURE() << "no Error thrown";
  return Error(ExitCode::ok, "");
}

UtcSeconds at(const std::string& sql_datetime);  // "2026-11-22 06:00:00"

// A reading inside region `index` of a one-set source (nullopt: outside every region).
MatchedReading matched(const std::string& id, double temperature, std::optional<std::size_t> index);

// A migrated scratch database with fr-regions saved, and helpers to load runs into it.
class StoreTest : public ::testing::Test {
 protected:
  StoreTest();

  // begin_run + load_run of `readings` (matched against fr-regions) and `rejected`.
  RunCounts load(UtcSeconds hour, std::vector<MatchedReading> readings,
                 std::vector<RejectedRecord> rejected = {}, const std::string& source = "sensors");
  RunBatch batch(std::int64_t run_id, UtcSeconds hour, std::vector<MatchedReading> readings,
                 std::vector<RejectedRecord> rejected = {},
                 const std::string& source = "sensors") const;

  // Everything a run writes, in a stable order (the aggregates without updated_at).
  struct Snapshot {
    Rows readings, reading_regions, rejected, aggregates;
    bool operator==(const Snapshot&) const = default;
  };
  Snapshot snapshot();
  // (hour, region_code, region, temperature, numberOfPoints) of a set's aggregates.
  Rows aggregates(const std::string& set = "fr-regions");

  ScratchDatabase scratch_ = ScratchDatabase::migrated();
  Database db_ = scratch_.connect();
  RegionSet regions_ = french_regions();
};

}  // namespace meteo::testing
