// `query period` end to end: Toulouse stations loaded by `run` from the portal simulator, their
// local days read back as a table, CSV and JSON, beside an earlier period; the figures checked
// against the observations themselves over the Paris days' UTC bounds.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "db_snapshot.hpp"
#include "paths.hpp"
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

// The page's arithmetic (web/src/period.js run by node on the site's data/daily-<source>.json)
// gives each station the same figures as `query period --format json` over the same periods.
// Node's and MariaDB's doubles may differ in the last bits of a mean (the order of the sums),
// so means are compared to 1e-9; counts, extremes and the period bounds exactly.
constexpr const char* kNode = "/usr/bin/node";
// argv: period.js, the daily file, from, to (exclusive), compare-to. Prints per station its key
// and the figures of the period and of the comparison.
constexpr const char* kPeriodScript = R"(
const [script, file, from, to, compareFrom] = process.argv.slice(1);
require(script);
const P = globalThis.MeteoPeriod;
const daily = JSON.parse(require('fs').readFileSync(file, 'utf8'));
const compare = P.comparisonPeriod(from, to, compareFrom);
console.log(JSON.stringify(daily.stations.map((s) => ({ key: s.key, name: s.name, compare,
  figures: P.periodFigures(s, from, to), compareFigures: P.periodFigures(s, compare.from, compare.to) }))));
)";

void expect_same_figure(const nlohmann::json& page, const nlohmann::json& cli,
                        const std::string& what) {
  if (cli.is_null()) {
    EXPECT_TRUE(page.is_null()) << what << ": page " << page << ", query period null";
  } else if (cli.is_number_float()) {
    ASSERT_TRUE(page.is_number()) << what << ": page " << page << ", query period " << cli;
    EXPECT_NEAR(page.get<double>(), cli.get<double>(), 1e-9) << what;
  } else {
    EXPECT_EQ(page, cli) << what;
  }
}

TEST_F(StationPeriod, ThePagesPeriodFiguresEqualQueryPeriod) {
  if (!std::filesystem::exists(kNode)) GTEST_SKIP() << "needs node (" << kNode << ")";
  const auto site = directory_ / "site";
  const auto dashboard = meteo({"dashboard", "--out", site.string()});
  ASSERT_EQ(dashboard.exit_code, 0) << describe(dashboard);
  std::ifstream meta_file(site / "data/meta.json");
  const auto meta = nlohmann::json::parse(meta_file);
  ASSERT_EQ(meta["daily"].size(), 1u) << meta["daily"];
  EXPECT_EQ(meta["daily"][0]["source"], "toulouse");
  const auto daily_file = site / "data" / meta["daily"][0]["file"].get<std::string>();
  // The contract's columns: one value per day in every array, days ascending.
  std::ifstream daily_stream(daily_file);
  const auto daily = nlohmann::json::parse(daily_stream);
  EXPECT_EQ(daily["source"], "toulouse");
  for (const auto& station : daily["stations"]) {
    const auto& days = station["days"];
    EXPECT_TRUE(std::is_sorted(days.begin(), days.end())) << station["key"];
    for (const char* column :
         {"temperature_mean", "temperature_min", "temperature_max", "pressure_mean", "wind_mean",
          "gust_max", "rain_sum", "hours_observed", "heavy_rain"}) {
      EXPECT_EQ(station[column].size(), days.size()) << station["key"] << " " << column;
    }
  }

  const std::string from = "2026-11-22", to = "2026-11-25", compare_to = "2026-11-21";
  const auto page = run_process({kNode, "-e", kPeriodScript, source_path("web/src/period.js"),
                                 daily_file.string(), from, to, compare_to},
                                {});
  ASSERT_EQ(page.exit_code, 0) << describe(page);
  const auto page_rows = nlohmann::json::parse(page.out);
  ASSERT_GE(page_rows.size(), 2u) << "every Toulouse-schema station has days";

  std::string stations;
  for (const auto& row : page_rows)
    stations += (stations.empty() ? "" : ",") + row["key"].get<std::string>();
  const auto cli = meteo({"query", "period", "--station", stations, "--from", from, "--to", to,
                          "--compare-to", compare_to, "--format", "json"});
  ASSERT_EQ(cli.exit_code, 0) << describe(cli);
  const auto cli_rows = nlohmann::json::parse(cli.out);
  ASSERT_EQ(cli_rows.size(), page_rows.size());

  const char* figures[] = {"days_observed",   "temperature_mean", "temperature_min",
                           "temperature_max", "pressure_mean",    "wind_mean",
                           "gust_max",        "rain_sum",         "heavy_rain_days"};
  for (std::size_t i = 0; i < cli_rows.size(); ++i) {
    const auto& mine = page_rows[i];
    const auto& theirs = cli_rows[i];
    const std::string key = mine["key"];
    ASSERT_EQ(theirs["station"], key);
    EXPECT_EQ(mine["name"], theirs["name"]) << "the page and the CLI name the station alike";
    EXPECT_EQ(mine["compare"]["from"], theirs["compare_from"]);
    EXPECT_EQ(mine["compare"]["to"], theirs["compare_to"]);
    for (const char* figure : figures) {
      expect_same_figure(mine["figures"][figure], theirs[figure], key + " " + figure);
      expect_same_figure(mine["compareFigures"][figure], theirs[std::string("compare_") + figure],
                         key + " compare_" + figure);
    }
  }
  EXPECT_GT(cli_rows[0]["days_observed"].get<int>(), 0) << "the period has days to compare";
}

}  // namespace
}  // namespace meteo::testing
