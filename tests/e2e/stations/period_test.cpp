// `query period` end to end: Toulouse stations loaded by `run` from the portal simulator, their
// local days read back as a table, CSV and JSON, beside an earlier period; the figures checked
// against the observations themselves over the Paris days' UTC bounds.
#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "db_snapshot.hpp"
#include "toulouse_network.hpp"

namespace meteo::testing {
namespace {

constexpr const char* kMeteopole = "01-station-meteo-toulouse-meteopole";
// Paris is UTC+1 in November: 23 November runs over [22 Nov 23:00, 23 Nov 23:00) UTC.
constexpr const char* kDay23Start = "2026-11-22 23:00:00";
constexpr const char* kDay23End = "2026-11-23 23:00:00";
constexpr const char* kDay22Start = "2026-11-21 23:00:00";

class StationPeriod : public ToulouseNetworkTest {
 protected:
  void SetUp() override {
    ToulouseNetworkTest::SetUp();
    if (IsSkipped()) return;
    // A fixed past: the portal's records end at 24 November 00:00 UTC (01:00 in Paris), and
    // none is dated after it, so the dates of the documented commands hold.
    PortalSimOptions options;
    options.now = "2026-11-24T00:00:00Z";
    options.from = "2026-11-21T00:00:00Z";
    options.future_row = false;
    portal_ = std::make_unique<PortalSim>(options);
    write_config(*portal_,
                 "start = \"2026-11-21T23\"\nexport_window_hours = 240\n"
                 "[sources.daily]\ntime_zone = \"Europe/Paris\"\nheavy_rain_mm = 10\n");
    prepare_database();
    const auto run = meteo({"run"});
    ASSERT_EQ(run.exit_code, 0) << describe(run);
  }

  // An aggregate of Meteopole's observations over [start, end) UTC, straight from
  // weather_observations.
  double observed(const std::string& expression, const std::string& start, const std::string& end) {
    Database db = database_.connect();
    return std::stod(query_value(db, "SELECT " + expression +
                                         " FROM weather_observations WHERE dataset_id = '" +
                                         kMeteopole + "' AND observed_at >= '" + start +
                                         "' AND observed_at < '" + end + "'"));
  }

  std::unique_ptr<PortalSim> portal_;
};

TEST_F(StationPeriod, TheDocumentedTableGivesOneDayOfMeteopole) {
  const auto documented = documented_command("meteo-etl query period --station 01-station");
  ASSERT_FALSE(documented.empty()) << "docs/operations.md shows no such line";
  const auto table = meteo(documented);
  ASSERT_EQ(table.exit_code, 0) << describe(table);
  EXPECT_NE(table.out.find("TemperatureMean"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find(kMeteopole), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("Meteopole"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("2026-11-23"), std::string::npos) << table.out;
  EXPECT_EQ(table.out.find("Compare"), std::string::npos) << "no --compare-to, no comparison";
}

TEST_F(StationPeriod, JsonFiguresEqualTheObservationsOfTheLocalDays) {
  const auto result =
      meteo({"query", "period", "--station", "meteopole", "--from", "2026-11-22", "--to",
             "2026-11-24", "--compare-to", "2026-11-20", "--format", "json"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  const auto rows = nlohmann::json::parse(result.out);
  ASSERT_EQ(rows.size(), 1u);
  const auto& row = rows[0];
  EXPECT_EQ(row["station"], kMeteopole);
  EXPECT_EQ(row["name"], "Meteopole");
  EXPECT_EQ(row["from"], "2026-11-22");
  EXPECT_EQ(row["to"], "2026-11-24");
  EXPECT_EQ(row["days_observed"], 2);
  EXPECT_NEAR(row["temperature_min"].get<double>(),
              observed("MIN(temperature_c)", kDay22Start, kDay23End), 1e-9);
  EXPECT_NEAR(row["temperature_max"].get<double>(),
              observed("MAX(temperature_c)", kDay22Start, kDay23End), 1e-9);
  EXPECT_NEAR(row["gust_max"].get<double>(), observed("MAX(gust_kmh)", kDay22Start, kDay23End),
              1e-9);
  EXPECT_NEAR(row["rain_sum"].get<double>(),
              observed("COALESCE(SUM(rain_mm), 0)", kDay22Start, kDay23End), 1e-9);
  // The period's mean is the mean of its two daily means.
  const double mean = (observed("AVG(temperature_c)", kDay22Start, kDay23Start) +
                       observed("AVG(temperature_c)", kDay23Start, kDay23End)) /
                      2;
  EXPECT_NEAR(row["temperature_mean"].get<double>(), mean, 1e-9);
  EXPECT_NEAR(row["pressure_mean"].get<double>(),
              (observed("AVG(pressure_hpa)", kDay22Start, kDay23Start) +
               observed("AVG(pressure_hpa)", kDay23Start, kDay23End)) /
                  2,
              1e-9);
  // 20 and 21 November: the portal's records start on 21 November 00:00 UTC, but the source's
  // start is 21 November 23:00 UTC: nothing stored, so no day.
  EXPECT_EQ(row["compare_from"], "2026-11-20");
  EXPECT_EQ(row["compare_to"], "2026-11-22");
  EXPECT_EQ(row["compare_days_observed"], 0);
  EXPECT_TRUE(row["compare_temperature_mean"].is_null());
  EXPECT_EQ(row["compare_heavy_rain_days"], 0);
}

TEST_F(StationPeriod, TheDocumentedCsvComparesWithTheDayBefore) {
  const auto documented = documented_command("meteo-etl query period --station Meteopole");
  ASSERT_FALSE(documented.empty()) << "docs/operations.md shows no such line";
  const auto csv = meteo(documented);
  ASSERT_EQ(csv.exit_code, 0) << describe(csv);
  std::istringstream lines(csv.out);
  std::string header, first;
  std::getline(lines, header);
  std::getline(lines, first);
  // RFC 4180 ends its lines with CRLF.
  for (auto* line : {&header, &first}) {
    if (!line->empty() && line->back() == '\r') line->pop_back();
  }
  EXPECT_EQ(header,
            "Source,Station,Name,From,To,DaysObserved,TemperatureMean,TemperatureMin,"
            "TemperatureMax,PressureMean,WindMean,GustMax,RainSum,HeavyRainDays,CompareFrom,"
            "CompareTo,CompareDaysObserved,CompareTemperatureMean,CompareTemperatureMin,"
            "CompareTemperatureMax,ComparePressureMean,CompareWindMean,CompareGustMax,"
            "CompareRainSum,CompareHeavyRainDays");
  EXPECT_EQ(
      first.rfind(std::string("toulouse,") + kMeteopole + ",Meteopole,2026-11-23,2026-11-24,1,", 0),
      0u)
      << first;
  EXPECT_NE(first.find(",2026-11-22,2026-11-23,1,"), std::string::npos) << first;
  Database db = database_.connect();
  EXPECT_EQ(count_rows(db, "station_daily_weather", "day = '2026-11-22'"), 2u)
      << "both Toulouse-schema stations have the day";
}

// A backfill reads the same records again under the configuration's settings: another zone and
// threshold rebuild every day though no observation changed.
TEST_F(StationPeriod, ABackfillUnderOtherSettingsRebuildsEveryDay) {
  write_config(*portal_,
               "start = \"2026-11-21T23\"\nexport_window_hours = 240\n"
               "[sources.daily]\ntime_zone = \"UTC\"\nheavy_rain_mm = 5\n");
  const auto backfill = meteo(
      {"backfill", "--from", "2026-11-21T23", "--to", "2026-11-24T01", "--source", "toulouse"});
  ASSERT_EQ(backfill.exit_code, 0) << describe(backfill);
  Database db = database_.connect();
  EXPECT_GT(count_rows(db, "station_daily_weather"), 0u);
  EXPECT_EQ(count_rows(db, "station_daily_weather", "time_zone <> 'UTC' OR heavy_rain_mm <> 5"),
            0u);
  EXPECT_EQ(query_value(db, std::string("SELECT start_utc FROM station_daily_weather WHERE"
                                        " dataset_id = '") +
                                kMeteopole + "' AND day = '2026-11-22'"),
            "2026-11-22 00:00:00");
  // Every UTC hour of an observation counts in exactly one day.
  EXPECT_EQ(query_value(db, "SELECT SUM(hours_observed) FROM station_daily_weather"),
            query_value(db, "SELECT COUNT(*) FROM station_hourly_weather"));
}

TEST_F(StationPeriod, AnUnknownStationOrABadPeriodIsAUsageError) {
  const auto unknown = meteo({"query", "period", "--station", "meteopole,nowhere", "--from",
                              "2026-11-22", "--to", "2026-11-24"});
  EXPECT_EQ(unknown.exit_code, 64) << describe(unknown);
  EXPECT_NE(unknown.err.find("no station \"nowhere\""), std::string::npos) << unknown.err;
  const auto backwards = meteo(
      {"query", "period", "--station", "meteopole", "--from", "2026-11-24", "--to", "2026-11-22"});
  EXPECT_EQ(backwards.exit_code, 64) << describe(backwards);
  EXPECT_NE(backwards.err.find("--to 2026-11-22 must be after --from 2026-11-24"),
            std::string::npos)
      << backwards.err;
  const auto later = meteo({"query", "period", "--station", "meteopole", "--from", "2026-11-22",
                            "--to", "2026-11-24", "--compare-to", "2026-11-23"});
  EXPECT_EQ(later.exit_code, 64) << describe(later);
  const auto other_source = meteo({"query", "period", "--station", "meteopole", "--source", "synop",
                                   "--from", "2026-11-22", "--to", "2026-11-24"});
  EXPECT_EQ(other_source.exit_code, 64) << describe(other_source);
  EXPECT_NE(other_source.err.find("in source synop"), std::string::npos) << other_source.err;
}

}  // namespace
}  // namespace meteo::testing
