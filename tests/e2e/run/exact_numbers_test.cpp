// `query --format csv|json` and `export` are for other programs: every stored double comes out
// with all its digits (the shortest text that reads back as the same double); only the terminal
// table rounds, to 2 decimals.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_job.hpp"
#include "config_files.hpp"
#include "test_database.hpp"

namespace meteo::testing {
namespace {

// Its shortest round-trip text has 17 significant digits: 2 decimals would lose 15 of them.
constexpr double kTemperature = 12.345678901234567;
constexpr const char* kExact = "12.345678901234567";
constexpr double kHumidity = 0.1 + 0.2;
constexpr const char* kExactHumidity = "0.30000000000000004";

class ExactNumbers : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(config_path()) << database_toml(database_.config());
    Database db = database_.connect();
    // Float literals (with an exponent) are parsed as doubles by the server, digit for digit.
    db.execute(
        "INSERT INTO region_hourly_temperature (hour, region_set, region_code, region,"
        " temperature, numberOfPoints, updated_at) VALUES"
        " ('2026-11-22 03:00:00', 'fr-regions', '76', 'Occitanie', 9.5e0, 2, UTC_TIMESTAMP(3)),"
        " ('2026-11-22 06:00:00', 'fr-regions', '76', 'Occitanie', 12.345678901234567e0, 3,"
        " UTC_TIMESTAMP(3))");
    db.execute(
        "INSERT INTO station_hourly_weather (source, dataset_id, hour, temperature_mean,"
        " temperature_min, temperature_max, humidity_mean, observations, updated_at) VALUES"
        " ('toulouse', '01-station-meteo', '2026-11-22 06:00:00', 12.345678901234567e0, 12e0,"
        " 13e0, 0.30000000000000004e0, 4, UTC_TIMESTAMP(3))");
  }

  std::string config_path() const { return (directory_ / "meteo-etl.toml").string(); }

  ProcessResult meteo(std::vector<std::string> args) {
    return run_meteo_etl(config_path(), database_.config(), "", std::move(args));
  }

  std::string output_of(std::vector<std::string> args) {
    const auto result = meteo(args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.out;
  }

  ScratchDatabase database_ = ScratchDatabase::migrated();
  TestDirectory directory_;
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(ExactNumbers, QueryCsvAndJsonKeepEveryDigitTheTableRounds) {
  const auto csv = output_of({"query", "temperature-3h", "--format", "csv"});
  EXPECT_TRUE(contains(
      csv, std::string("fr-regions,Occitanie,2026-11-22T06:00:00Z,") + kExact + ",9.5\r\n"))
      << csv;
  const auto json =
      nlohmann::json::parse(output_of({"query", "temperature-3h", "--format", "json"}));
  ASSERT_FALSE(json.empty());
  EXPECT_EQ(json.at(0).at("temperature").get<double>(), kTemperature);

  const auto table = output_of({"query", "temperature-3h"});
  EXPECT_TRUE(contains(table, "12.35  ")) << table;
  EXPECT_FALSE(contains(table, kExact)) << table;

  const auto stations = output_of({"query", "station-hourly", "--format", "csv"});
  EXPECT_TRUE(contains(stations, std::string(",2026-11-22T06:00:00Z,") + kExact + ",12.0,13.0," +
                                     kExactHumidity + ",,,,,4\r\n"))
      << stations;
  const auto station_json =
      nlohmann::json::parse(output_of({"query", "station-hourly", "--format", "json"}));
  ASSERT_EQ(station_json.size(), 1u);
  EXPECT_EQ(station_json.at(0).at("temperature_mean").get<double>(), kTemperature);
  EXPECT_EQ(station_json.at(0).at("humidity_mean").get<double>(), kHumidity);
  const auto station_table = output_of({"query", "station-hourly"});
  EXPECT_TRUE(contains(station_table, "12.35  ")) << station_table;
  EXPECT_TRUE(contains(station_table, "0.30  ")) << station_table;
}

TEST_F(ExactNumbers, ExportCsvAndJsonKeepEveryDigit) {
  const std::vector<std::string> window{"--from", "2026-11-22T00", "--to", "2026-11-23T00"};
  auto args = [&](const char* what, const char* format) {
    std::vector<std::string> all{"export", "--what", what};
    all.insert(all.end(), window.begin(), window.end());
    all.insert(all.end(), {"--format", format});
    return all;
  };
  const auto regions = output_of(args("region-hourly", "csv"));
  EXPECT_TRUE(contains(regions, std::string("fr-regions,76,Occitanie,2026-11-22T06:00:00Z,") +
                                    kExact + ",3,9.5\r\n"))
      << regions;
  const auto region_json = nlohmann::json::parse(output_of(args("region-hourly", "json")));
  ASSERT_EQ(region_json.size(), 2u);
  EXPECT_EQ(region_json.at(1).at("temperature").get<double>(), kTemperature);

  const auto stations = output_of(args("station-hourly", "csv"));
  EXPECT_TRUE(contains(stations, std::string(",2026-11-22T06:00:00Z,") + kExact + ",12.0,13.0," +
                                     kExactHumidity + ",,,,,4\r\n"))
      << stations;
  const auto station_json = nlohmann::json::parse(output_of(args("station-hourly", "json")));
  ASSERT_EQ(station_json.size(), 1u);
  EXPECT_EQ(station_json.at(0).at("humidity_mean").get<double>(), kHumidity);
}

}  // namespace
}  // namespace meteo::testing
