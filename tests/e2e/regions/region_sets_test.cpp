// A region set's identity is its name and its contents' version (issue 15, defect 2): two
// configurations sharing a database declare "fr-regions" with other contours. The second's
// `regions load` and `run` are refused (78) naming both versions; `regions load --replace` makes
// its version the set's, matching the stored readings again, and `verify` passes right after.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli_job.hpp"
#include "config_files.hpp"
#include "db_snapshot.hpp"
#include "meteo/core/hashing.hpp"
#include "paths.hpp"
#include "sensor_sim.hpp"
#include "subprocess.hpp"
#include "test_database.hpp"

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kApiKey = "region-sets-key-3b7f";
constexpr const char* kCityContours = "geo/regions.geojson";
constexpr const char* kOtherContours = "geo/departements.geojson";

std::string describe(const ProcessResult& result) {
  return "exit " + std::to_string(result.exit_code) + "\nstdout:\n" + result.out + "\nstderr:\n" +
         result.err;
}

// The version `regions load` gives a document: the fingerprint of its bytes.
std::string version_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return fnv1a64_hex(bytes.str());
}

class RegionSetIdentity : public ::testing::Test {
 protected:
  void SetUp() override {
    METEO_SKIP_WITHOUT_SHARED_DATA(kCityContours, kOtherContours);
    write_config(city_config(), kCityContours);
    write_config(other_config(), kOtherContours);
  }

  // Both files share the database, the archive and the source; only the contours differ.
  void write_config(const std::string& path, const std::string& contours) {
    std::ofstream config(path);
    config << database_toml(database_.config()) << "\n[archive]\nroot = \""
           << (directory_.path() / "archive").string() << "\"\n"
           << "\n[[region_sets]]\nname = \"fr-regions\"\nlocation = \"" << shared_data(contours)
           << "\"\n"
           << "\n[[sources]]\nname = \"sensors\"\ntype = \"sensor-api\"\nurl = \"" << sim_.url()
           << "\"\napi_key_env = \"SENSOR_API_KEY\"\nregion_sets = [\"fr-regions\"]\n"
           << "[sources.http]\nretry_attempts = 1\n";
  }

  std::string city_config() const { return (directory_.path() / "city.toml").string(); }
  std::string other_config() const { return (directory_.path() / "other.toml").string(); }

  ProcessResult meteo(const std::string& config, std::vector<std::string> args) {
    return run_meteo_etl(config, database_.config(), kApiKey, std::move(args));
  }

  void expect_ok(const std::string& config, const std::vector<std::string>& args) {
    const auto result = meteo(config, args);
    ASSERT_EQ(result.exit_code, 0) << "meteo-etl " << args.front() << "\n" << describe(result);
  }

  void expect_verify_passes(const std::string& config) {
    const auto verified = meteo(config, {"verify"});
    EXPECT_EQ(verified.exit_code, 0) << describe(verified);
    for (const char* line : {"aggregates: ok\n", "regions: ok\n"}) {
      EXPECT_NE(verified.out.find(line), std::string::npos) << line << " not in:\n" << verified.out;
    }
  }

  ScratchDatabase database_;
  TestDirectory directory_;
  SensorSim sim_{SensorSimOptions{.records = 200, .seed = 21, .api_key = kApiKey, .invalid = 2}};
};

TEST_F(RegionSetIdentity, AnotherVersionIsRefusedUntilReplacedThenVerifyPasses) {
  const std::string city_version = version_of(shared_data(kCityContours));
  const std::string other_version = version_of(shared_data(kOtherContours));
  ASSERT_NE(city_version, other_version);
  expect_ok(city_config(), {"migrate"});
  expect_ok(city_config(), {"regions", "load"});
  expect_ok(city_config(), {"run", "--hour", "2026-11-22T03"});
  Database db = database_.connect();

  // The same contents again: nothing to do, nothing changed.
  const std::string sets_before = table_contents(db, "region_sets");
  const auto again = meteo(city_config(), {"regions", "load"});
  EXPECT_EQ(again.exit_code, 0) << describe(again);
  EXPECT_NE(again.err.find("version " + city_version + " already loaded, nothing to do"),
            std::string::npos)
      << again.err;
  EXPECT_EQ(table_contents(db, "region_sets"), sets_before);

  // Other contents under the name in use: refused, naming the set and both versions.
  const std::string data_before = data_tables_contents(db);
  const auto refused = meteo(other_config(), {"regions", "load"});
  EXPECT_EQ(refused.exit_code, 78) << describe(refused);
  EXPECT_NE(
      refused.err.find("region set fr-regions: " + shared_data(kOtherContours) + " is version " +
                       other_version + " but the database holds version " + city_version),
      std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("regions load --set fr-regions --replace"), std::string::npos)
      << refused.err;
  EXPECT_EQ(data_tables_contents(db), data_before);

  // A run whose config declares the other contents refuses to match against the stored ones.
  const auto run = meteo(other_config(), {"run", "--hour", "2026-11-22T04"});
  EXPECT_EQ(run.exit_code, 78) << describe(run);
  EXPECT_NE(run.err.find("region set fr-regions: this config's " + shared_data(kOtherContours) +
                         " is version " + other_version + " but the database holds version " +
                         city_version),
            std::string::npos)
      << run.err;
  EXPECT_EQ(data_tables_contents(db), data_before);

  // --replace: the stored readings are matched to the new contours in the same transaction.
  const auto replaced = meteo(other_config(), {"regions", "load", "--replace"});
  ASSERT_EQ(replaced.exit_code, 0) << describe(replaced);
  EXPECT_NE(replaced.err.find("version " + other_version + " replaced version " + city_version),
            std::string::npos)
      << replaced.err;
  EXPECT_EQ(query_value(db, "SELECT checksum FROM region_sets WHERE name = 'fr-regions'"),
            other_version);
  EXPECT_EQ(query_value(db,
                        "SELECT COUNT(*) FROM region_hourly_temperature AS a JOIN regions AS g"
                        " ON g.region_set = a.region_set AND g.code = a.region_code"
                        " AND g.name = a.region"),
            std::to_string(count_rows(db, "region_hourly_temperature")));
  expect_verify_passes(other_config());

  // The new version is the set's now: its config runs, the first config is the one refused.
  expect_ok(other_config(), {"run", "--hour", "2026-11-22T04"});
  expect_verify_passes(other_config());
  const auto city_run = meteo(city_config(), {"run", "--hour", "2026-11-22T05"});
  EXPECT_EQ(city_run.exit_code, 78) << describe(city_run);
}

}  // namespace
}  // namespace meteo::testing
