#include "region_aggregates.hpp"

#include <gtest/gtest.h>

#include <random>

#include "meteo/aggregate/temperature_sum.hpp"
#include "sql_support.hpp"
#include "store_fixtures.hpp"

namespace meteo::testing {
namespace {

const UtcSeconds kH1 = at("2026-11-22 06:00:00");
const UtcSeconds kH2 = at("2026-11-22 07:00:00");
const UtcSeconds kH3 = at("2026-11-22 08:00:00");
const UtcSeconds kH4 = at("2026-11-22 09:00:00");
const UtcSeconds kH6 = at("2026-11-22 11:00:00");
constexpr const char* kTwoToThe80 = "1208925819614629174706176";

class RegionAggregates : public StoreTest {
 protected:
  // The product rows with the sums behind them, updated_at included.
  Rows stored_rows() {
    return sql_rows(db_,
                    "SELECT hour, region_code, region, temperature, numberOfPoints,"
                    " CAST(temperature_sum AS CHAR), updated_at FROM region_hourly_temperature"
                    " ORDER BY region_set, region_code, hour");
  }
};

// The server recomputes the sums that runs add to: both must reach the same integer for every
// double, or an hour would change its last digits when recomputed.
TEST_F(RegionAggregates, TheServerSumsEveryTemperatureAsTheClientDoes) {
  db_.execute("CREATE TABLE sum_probe (grp INT NOT NULL, t DOUBLE NOT NULL)");
  std::vector<std::vector<double>> groups;
  for (const double edge : {0.0, -0.0, 5e-324, -5e-324, 1e-300, -1e-300, 1e-20, -1e-20, 2.2e-10,
                            -2.2e-10, 0.1, -0.1, 1.0 / 3, -1.0 / 3, 59.999999999999993,
                            -89.999999999999986, 4095.9999999999995, -4095.9999999999995}) {
    groups.push_back({edge});
  }
  std::mt19937_64 random(42);
  std::uniform_real_distribution<double> temperature(-90, 60);
  groups.emplace_back();
  for (int i = 0; i < 5000; ++i) groups.back().push_back(temperature(random));

  std::vector<std::pair<int, double>> rows;
  for (std::size_t group = 0; group < groups.size(); ++group) {
    for (const double value : groups[group]) rows.emplace_back(static_cast<int>(group), value);
  }
  store::insert_rows(db_.connection(), {"INSERT INTO sum_probe (grp, t)", "(?, ?)", "", 500},
                     rows.size(), [&](store::Binder& binder, std::size_t row) {
                       binder.int64(rows[row].first).real(rows[row].second);
                     });
  const auto sums = sql_rows(db_, "SELECT grp, CAST(" + store::exact_temperature_sum_sql("t") +
                                      " AS CHAR) FROM sum_probe GROUP BY grp ORDER BY grp");
  ASSERT_EQ(sums.size(), groups.size());
  for (std::size_t group = 0; group < groups.size(); ++group) {
    TemperatureSum expected;
    for (const double value : groups[group]) expected.add(value);
    EXPECT_EQ(sums[group][1], expected.units_text())
        << "group " << group << ": " << groups[group].front();
  }
}

TEST_F(RegionAggregates, ARunAddsItsNewReadingsAsARecomputeWouldCountThem) {
  load(kH1, {matched("a", 0.1, 0), matched("b", 0.2, 0), matched("c", 7.25, 1)});
  // A second run of the same hour with new readings only: added to the stored sums.
  const auto counts = load(kH1, {matched("d", 0.3, 0), matched("e", -1.0 / 3, 1),
                                 matched("f", 5e-324, 0), matched("g", 12.0, std::nullopt)});
  EXPECT_EQ(counts.stored, 4u);
  const auto added = stored_rows();
  ASSERT_EQ(added.size(), 2u);
  EXPECT_EQ(added[0][4], "4");
  EXPECT_EQ(added[1][4], "2");

  store::recompute_region_hour(db_.connection(), "fr-regions", kH1);
  EXPECT_EQ(stored_rows(), added) << "to the last bit, updated_at included";
}

TEST_F(RegionAggregates, ARunAddsToTheStoredSumWithoutReadingTheHourAgain) {
  load(kH1, {matched("a", 7.25, 1)});
  // As if the region had held 9.25 °C: only a run that adds to the sum can see it.
  db_.execute(std::string("UPDATE region_hourly_temperature SET temperature_sum = temperature_sum"
                          " + 2 * ") +
              kTwoToThe80);
  load(kH1, {matched("b", 10.75, 1)});
  EXPECT_EQ(aggregates(), (Rows{{"2026-11-22 06:00:00", "84", "Auvergne-Rhône-Alpes", "10", "2"}}));
}

TEST_F(RegionAggregates, AnHourStoredBeforeTheSumsIsRecomputedByItsNextRun) {
  load(kH1, {matched("a", 10.0, 0), matched("c", 7.25, 1)});
  // A row as migration 0004 leaves it, with a value no recompute gives.
  db_.execute(
      "UPDATE region_hourly_temperature SET temperature_sum = NULL, temperature = 99"
      " WHERE region_code = '84'");
  load(kH1, {matched("b", 12.0, 0)});
  EXPECT_EQ(aggregates(),
            (Rows{{"2026-11-22 06:00:00", "11", "Île-de-France", "11", "2"},
                  {"2026-11-22 06:00:00", "84", "Auvergne-Rhône-Alpes", "7.25", "1"}}));
  EXPECT_EQ(sql_value(db_,
                      "SELECT COUNT(*) FROM region_hourly_temperature"
                      " WHERE temperature_sum IS NULL"),
            "0");
}

TEST_F(RegionAggregates, ACorrectionInTheRunsHourRecomputesIt) {
  load(kH1, {matched("a", 10.0, 0)});
  db_.execute(std::string("UPDATE region_hourly_temperature SET temperature_sum = temperature_sum"
                          " + ") +
              kTwoToThe80);
  const auto counts = load(kH1, {matched("a", 14.0, 0), matched("b", 20.0, 0)});
  EXPECT_EQ(counts.corrections, 1u);
  EXPECT_EQ(aggregates(), (Rows{{"2026-11-22 06:00:00", "11", "Île-de-France", "17", "2"}}));
}

// Consecutive hours are read in one pass: each hour still gets exactly its own measurements,
// rows nothing supports go, and hours outside the set are left alone.
TEST_F(RegionAggregates, ARecomputeOfManyHoursTreatsEachHourAsItsOwn) {
  load(kH1, {matched("a", 10.0, 0), matched("b", 7.25, 1)});
  load(kH2, {matched("c", 12.0, 0)});
  load(kH4, {matched("d", 3.5, 1)});
  const auto before = stored_rows();
  // Wrong rows: one hour's value, a row with no measurement between them, and two outside the
  // hours recomputed.
  db_.execute(
      "UPDATE region_hourly_temperature SET temperature = 99, temperature_sum = 0"
      " WHERE hour = '2026-11-22 07:00:00'");
  for (const char* hour : {"2026-11-22 08:00:00", "2026-11-22 10:00:00"}) {
    db_.execute(std::string("INSERT INTO region_hourly_temperature (hour, region_set, region_code,"
                            " region, temperature, numberOfPoints, temperature_sum, updated_at)"
                            " VALUES ('") +
                hour + "', 'fr-regions', '11', 'Île-de-France', 1, 1, 0, UTC_TIMESTAMP(3))");
  }
  db_.execute(
      "UPDATE region_hourly_temperature SET temperature = 42"
      " WHERE hour = '2026-11-22 09:00:00'");

  store::recompute_region_hours(db_.connection(), "fr-regions", {kH1, kH2, kH3, kH6});
  EXPECT_EQ(aggregates(), (Rows{{"2026-11-22 06:00:00", "11", "Île-de-France", "10", "1"},
                                {"2026-11-22 06:00:00", "84", "Auvergne-Rhône-Alpes", "7.25", "1"},
                                {"2026-11-22 07:00:00", "11", "Île-de-France", "12", "1"},
                                {"2026-11-22 09:00:00", "84", "Auvergne-Rhône-Alpes", "42", "1"},
                                {"2026-11-22 10:00:00", "11", "Île-de-France", "1", "1"}}));
  // The hour that was right kept its row untouched, updated_at included.
  EXPECT_EQ(stored_rows().front(), before.front());
}

}  // namespace
}  // namespace meteo::testing
