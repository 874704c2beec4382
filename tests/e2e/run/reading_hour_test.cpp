// The hour of a reading: the earliest hour that carried it. A `run --hour` older than a stored
// reading moves it back to that hour; the hour it left is recomputed (nothing counted twice), and
// [verify] after_run verifies that hour too.
#include <gtest/gtest.h>

#include <fstream>

#include "cli_job.hpp"
#include "config_files.hpp"
#include "db_snapshot.hpp"
#include "paths.hpp"
#include "sensor_sim.hpp"
#include "subprocess.hpp"
#include "test_database.hpp"

namespace meteo::testing {
namespace {

constexpr const char* kApiKey = "hour-key-3b9a";

// Toulouse and Montpellier are both in Occitanie (76).
std::string payload(double toulouse, std::optional<double> montpellier) {
  std::string text = R"([{"id": "toulouse", "lat": 43.6045, "lon": 1.444, "temperature": )" +
                     std::to_string(toulouse) + "}";
  if (montpellier) {
    text += R"(, {"id": "montpellier", "lat": 43.6108, "lon": 3.8767, "temperature": )" +
            std::to_string(*montpellier) + "}";
  }
  return text + "]";
}

class ReadingHour : public ::testing::Test {
 protected:
  void SetUp() override { METEO_SKIP_WITHOUT_SHARED_DATA("geo/regions.geojson"); }

  // Serves `body` to one run stamped `hour`.
  ProcessResult run_with(const std::string& body, const std::string& hour, bool after_run) {
    const auto file = directory_ / "payload.json";
    std::ofstream(file, std::ios::trunc) << body;
    SensorSim sim({.api_key = kApiKey, .payload_file = file.string()});
    write_config(sim, after_run);
    if (!migrated_) {
      expect_ok({"migrate"});
      expect_ok({"regions", "load"});
      migrated_ = true;
    }
    return meteo({"run", "--hour", hour});
  }

  void write_config(const SensorSim& sim, bool after_run) {
    std::ofstream config(config_path());
    config << database_toml(database_.config()) << "\n[archive]\nroot = \""
           << (directory_ / "archive").string() << "\"\n"
           << "\n[verify]\nafter_run = " << (after_run ? "true" : "false") << "\n"
           << "\n[[region_sets]]\nname = \"fr-regions\"\nlocation = \""
           << shared_data("geo/regions.geojson") << "\"\n"
           << "\n[[sources]]\nname = \"sensors\"\ntype = \"sensor-api\"\nurl = \"" << sim.url()
           << "\"\napi_key_env = \"SENSOR_API_KEY\"\nregion_sets = [\"fr-regions\"]\n"
           << "[sources.http]\nretry_attempts = 1\n";
  }

  std::string config_path() const { return (directory_ / "meteo-etl.toml").string(); }

  ProcessResult meteo(std::vector<std::string> args) {
    return run_meteo_etl(config_path(), database_.config(), kApiKey, std::move(args));
  }

  void expect_ok(const std::vector<std::string>& args) {
    const auto result = meteo(args);
    ASSERT_EQ(result.exit_code, 0) << "meteo-etl " << args.front() << "\n" << result.err;
  }

  ScratchDatabase database_;
  TestDirectory directory_;
  bool migrated_ = false;
};

std::string aggregates(Database& db) {
  return query_value(
      db,
      "SELECT GROUP_CONCAT(CONCAT(hour, ' ', region_code, ' ', temperature, ' over ',"
      " numberOfPoints) ORDER BY hour SEPARATOR '; ') FROM region_hourly_temperature");
}

TEST_F(ReadingHour, AnEarlierRunMovesAReadingBackAndRecomputesTheHourItLeft) {
  const auto later = run_with(payload(12.0, 14.0), "2026-11-22T08", false);
  ASSERT_EQ(later.exit_code, 0) << later.err;
  Database db = database_.connect();
  EXPECT_EQ(aggregates(db), "2026-11-22 08:00:00 76 13 over 2");

  const auto earlier = run_with(payload(11.0, std::nullopt), "2026-11-22T06", false);
  ASSERT_EQ(earlier.exit_code, 0) << earlier.err;
  EXPECT_EQ(query_value(db,
                        "SELECT GROUP_CONCAT(CONCAT(reading_id, ' ', hour, ' ', temperature)"
                        " ORDER BY reading_id SEPARATOR '; ') FROM sensor_readings"),
            "montpellier 2026-11-22 08:00:00 14; toulouse 2026-11-22 06:00:00 11");
  // Toulouse left 08:00 for 06:00: 08:00 is Montpellier's alone, nothing is counted twice.
  EXPECT_EQ(aggregates(db), "2026-11-22 06:00:00 76 11 over 1; 2026-11-22 08:00:00 76 14 over 1");
  EXPECT_EQ(query_value(db, "SELECT SUM(numberOfPoints) FROM region_hourly_temperature"), "2");

  // A later run carrying it again leaves it where it is.
  const auto again = run_with(payload(11.5, std::nullopt), "2026-11-22T09", false);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(query_value(db,
                        "SELECT CONCAT(hour, ' ', temperature) FROM sensor_readings"
                        " WHERE reading_id = 'toulouse'"),
            "2026-11-22 06:00:00 11.5");
  EXPECT_EQ(aggregates(db), "2026-11-22 06:00:00 76 11.5 over 1; 2026-11-22 08:00:00 76 14 over 1");
  const auto verify = meteo({"verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

TEST_F(ReadingHour, AfterRunVerifiesTheHoursItsReadingsLeft) {
  const auto later = run_with(payload(12.0, 14.0), "2026-11-22T08", true);
  ASSERT_EQ(later.exit_code, 0) << later.err;
  // Damage in 08:00 that recomputing the hour's aggregate does not repair.
  Database db = database_.connect();
  db.execute("UPDATE sensor_readings SET first_run_id = 999999 WHERE reading_id = 'montpellier'");

  // The 06:00 run moves Toulouse out of 08:00, so 08:00 is an hour it touched.
  const auto earlier = run_with(payload(11.0, std::nullopt), "2026-11-22T06", true);
  EXPECT_EQ(earlier.exit_code, 1) << earlier.err;
  EXPECT_NE(earlier.err.find("[2026-11-22T06:00:00Z, 2026-11-22T09:00:00Z)"), std::string::npos)
      << earlier.err;
  EXPECT_NE(earlier.err.find("reading montpellier of sensors (hour 2026-11-22 08:00:00)"),
            std::string::npos)
      << earlier.err;
  EXPECT_EQ(count_rows(db, "etl_runs", "status = 'succeeded'"), 2u) << "the data stays committed";
}

}  // namespace
}  // namespace meteo::testing
