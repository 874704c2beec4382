// The Toulouse station network end to end: meteo-etl against the portal simulator and MariaDB.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "db_snapshot.hpp"
#include "meteo/core/time.hpp"
#include "toulouse_network.hpp"

namespace meteo::testing {
namespace {

using std::chrono::hours;

// The portal's present: an hour ago, so the tool's real clock is always later.
UtcSeconds portal_now() {
  return floor_to_hour(std::chrono::system_clock::now()) - hours(1);
}

// The first four catalogue datasets: two with the Toulouse schema, two with another one.
constexpr int kDatasets = 4;
constexpr std::size_t kSupportedDatasets = 2;

class ToulouseStations : public ToulouseNetworkTest {
 protected:
  PortalSimOptions portal_options(hours history) const {
    PortalSimOptions options;
    options.now = to_iso8601(now_);
    options.from = to_iso8601(now_ - history);
    options.datasets = kDatasets;
    return options;
  }

  // `source_keys`: more keys of the source's table ("export_threshold_pages = 100\n").
  void write_config(const PortalSim& portal, hours since, hours max_catch_up = hours(24 * 7),
                    const std::string& source_keys = "") {
    ToulouseNetworkTest::write_config(
        portal,
        "start = \"" + to_iso8601(now_ - since) + "\"\nlookback_hours = 2\nmax_catch_up_hours = " +
            std::to_string(max_catch_up.count()) + "\nexport_window_hours = 240\n" + source_keys +
            "[sources.http]\nretry_attempts = 4\nretry_initial_backoff_ms = 50\n"
            "retry_max_backoff_ms = 2000\n");
  }

  // Everything the station runs write, as row counts and content hashes.
  std::string station_tables(Database& db) {
    std::string text = data_tables_contents(db);
    for (const char* table :
         {"weather_stations", "station_regions", "weather_observations", "station_hourly_weather",
          "station_daily_weather", "station_datasets"}) {
      text += std::string(table) + ":\n" + table_contents(db, table);
    }
    return text;
  }

  std::size_t observations(Database& db) { return count_rows(db, "weather_observations"); }

  // The ledger rows of window exports (the station list's export has no query string).
  std::size_t landed_exports(Database& db) {
    return count_rows(db, "raw_payloads", "url LIKE '%/exports/json?%'");
  }

  // Runs `args` against `portal` on a fresh database: it succeeds, having logged its 429s.
  void expect_waited_out(const PortalSim& portal, hours since, std::vector<std::string> args) {
    write_config(portal, since);
    prepare_database();
    const auto result = meteo(std::move(args));
    ASSERT_EQ(result.exit_code, 0) << describe(result);
    EXPECT_NE(result.err.find("429"), std::string::npos) << "each retry is logged";
  }

  // Forty hours of each supported dataset: 160 records, two pages.
  std::vector<std::string> two_page_window() const {
    return {"backfill", "--from", to_iso8601(now_ - hours(40)).substr(0, 13), "--to",
            to_iso8601(now_).substr(0, 13)};
  }

  const UtcSeconds now_ = portal_now();
};

TEST_F(ToulouseStations, FirstRunLoadsStationsObservationsAndCommuneAggregates) {
  PortalSim portal(portal_options(hours(30)));
  write_config(portal, hours(24));
  prepare_database();
  const auto run = meteo({"run"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);

  Database db = database_.connect();
  EXPECT_EQ(count_rows(db, "weather_stations"), 77u);
  EXPECT_EQ(count_rows(db, "station_datasets", "status = 'skipped'"), 2u)
      << "the two datasets without heure_de_paris are skipped and shown";
  EXPECT_EQ(count_rows(db, "station_datasets", "status = 'active'"), kSupportedDatasets);
  // 24 hours of 15-minute records, minus the simulator's gaps, for each supported dataset.
  const std::size_t stored = observations(db);
  EXPECT_GT(stored, kSupportedDatasets * 24 * 4 * 9 / 10);
  EXPECT_LE(stored, kSupportedDatasets * 24 * 4);
  EXPECT_EQ(query_value(db, "SELECT MIN(observed_at) FROM weather_observations"),
            to_sql_datetime(now_ - hours(24)));
  // Pressure arrives in Pa and is stored in hPa.
  EXPECT_NEAR(std::stod(query_value(db, "SELECT AVG(pressure_hpa) FROM weather_observations")),
              1000, 80);
  // Incremental windows end now: the portal's future-dated rows are not even asked for.
  EXPECT_EQ(count_rows(db, "rejected_records"), 0u);
  EXPECT_EQ(query_value(db, "SELECT SUM(observations) FROM station_hourly_weather"),
            std::to_string(stored));
  // Both stations are in the commune of Toulouse (31555): one mean per hour over both.
  EXPECT_GT(count_rows(db, "region_hourly_temperature",
                       "region_set = 'toulouse-communes' AND region_code = '31555'"),
            20u);
  EXPECT_EQ(query_value(db, "SELECT SUM(numberOfPoints) FROM region_hourly_temperature"),
            std::to_string(stored));

  const auto view = meteo({"query", "temperature-3h", "--format", "json"});
  ASSERT_EQ(view.exit_code, 0) << describe(view);
  const auto rows = nlohmann::json::parse(view.out);
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0]["region"], "Toulouse");
  EXPECT_FALSE(rows[0]["temperature_3h_before"].is_null()) << "the 3h view works for communes";

  const auto status = nlohmann::json::parse(meteo({"status", "--json"}).out);
  ASSERT_EQ(status["datasets"].size(), 4u);
  const auto hourly = meteo({"query", "station-hourly", "--format", "csv", "--limit", "5"});
  ASSERT_EQ(hourly.exit_code, 0) << describe(hourly);
  EXPECT_NE(hourly.out.find("01-station-meteo-toulouse-meteopole"), std::string::npos)
      << hourly.out;
}

TEST_F(ToulouseStations, RerunningChangesNothing) {
  PortalSim portal(portal_options(hours(12)));
  write_config(portal, hours(6));
  prepare_database();
  ASSERT_EQ(meteo({"run"}).exit_code, 0);
  Database db = database_.connect();
  const std::string before = station_tables(db);
  const auto again = meteo({"run"});
  ASSERT_EQ(again.exit_code, 0) << describe(again);
  EXPECT_EQ(station_tables(db), before);
}

TEST_F(ToulouseStations, LookbackCatchesALateCorrection) {
  std::string before_correction;
  {
    PortalSim portal(portal_options(hours(12)));
    write_config(portal, hours(6));
    prepare_database();
    ASSERT_EQ(meteo({"run"}).exit_code, 0);
  }
  Database db = database_.connect();
  const std::string corrected_at = to_sql_datetime(now_ - hours(1));
  const std::string select =
      "SELECT temperature_c FROM weather_observations WHERE dataset_id = "
      "'01-station-meteo-toulouse-meteopole' AND observed_at = '" +
      corrected_at + "'";
  const double original = std::stod(query_value(db, select));

  PortalSimOptions revised = portal_options(hours(12));
  revised.revision = 1;  // the portal corrects the record an hour before now by +0.5 °C
  PortalSim portal(revised);
  write_config(portal, hours(6));
  const auto run = meteo({"run"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_NEAR(std::stod(query_value(db, select)), original + 0.5, 1e-9);
  const auto status = nlohmann::json::parse(meteo({"status", "--json"}).out);
  EXPECT_EQ(status["runs"][0]["counts"]["corrections"], kSupportedDatasets);
  // The hour's aggregate follows the correction.
  const std::string hour = to_sql_datetime(now_ - hours(1));
  EXPECT_EQ(
      query_value(db, "SELECT COUNT(*) FROM station_hourly_weather h WHERE h.hour = '" + hour +
                          "' AND ABS(h.temperature_mean - (SELECT AVG(temperature_c) FROM "
                          "weather_observations o WHERE o.dataset_id = h.dataset_id AND "
                          "o.observed_at >= h.hour AND o.observed_at < h.hour + INTERVAL 1 "
                          "HOUR)) < 1e-9"),
      std::to_string(kSupportedDatasets));
}

TEST_F(ToulouseStations, AnOutageIsCaughtUpOverSeveralBoundedRuns) {
  PortalSim portal(portal_options(hours(40)));
  write_config(portal, hours(36), hours(12));
  prepare_database();
  Database db = database_.connect();
  std::vector<std::size_t> after_each_run;
  for (int run = 0; run < 4; ++run) {
    ASSERT_EQ(meteo({"run"}).exit_code, 0);
    after_each_run.push_back(observations(db));
  }
  // 12 hours per run: three runs reach the present, the fourth only re-reads the lookback.
  EXPECT_LT(after_each_run[0], after_each_run[1]);
  EXPECT_LT(after_each_run[1], after_each_run[2]);
  EXPECT_EQ(after_each_run[2], after_each_run[3]);
  EXPECT_EQ(query_value(db, "SELECT MIN(observed_at) FROM weather_observations"),
            to_sql_datetime(now_ - hours(36)));
  EXPECT_GE(query_value(db, "SELECT MAX(observed_at) FROM weather_observations"),
            to_sql_datetime(now_ - hours(1)));
}

TEST_F(ToulouseStations, BackfillIsIdempotentAndItsDryRunChangesNothing) {
  PortalSim portal(portal_options(hours(48)));
  write_config(portal, hours(2));
  prepare_database();
  Database db = database_.connect();
  const std::string from = to_iso8601(now_ - hours(40)).substr(0, 13);
  const std::string to = to_iso8601(now_ + hours(72)).substr(0, 13);  // past the portal's present

  const std::string empty = station_tables(db);
  const auto plan = meteo({"backfill", "--from", from, "--to", to, "--dry-run"});
  ASSERT_EQ(plan.exit_code, 0) << describe(plan);
  EXPECT_NE(plan.out.find("01-station-meteo-toulouse-meteopole"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("dry run, nothing changed"), std::string::npos);
  EXPECT_EQ(station_tables(db), empty);

  const auto first = meteo({"backfill", "--from", from, "--to", to});
  ASSERT_EQ(first.exit_code, 0) << describe(first);
  EXPECT_NE(first.err.find("01-station-meteo-toulouse-meteopole"), std::string::npos)
      << "one summary line per window when not on a terminal";
  EXPECT_EQ(query_value(db, "SELECT MIN(observed_at) FROM weather_observations"),
            to_sql_datetime(now_ - hours(40)));
  EXPECT_LT(query_value(db, "SELECT MAX(observed_at) FROM weather_observations"),
            to_sql_datetime(now_));
  // The portal's record dated two days ahead is rejected, once per dataset, with its reason.
  EXPECT_EQ(count_rows(db, "rejected_records", "reason LIKE '%dated in the future%'"),
            kSupportedDatasets);
  // The backfill built the local day of every hour it loaded, each hour in exactly one day.
  EXPECT_EQ(query_value(db, "SELECT SUM(hours_observed) FROM station_daily_weather"),
            query_value(db, "SELECT COUNT(*) FROM station_hourly_weather"));
  const std::string after = station_tables(db);
  ASSERT_EQ(meteo({"backfill", "--from", from, "--to", to}).exit_code, 0);
  EXPECT_EQ(station_tables(db), after);
  EXPECT_EQ(count_rows(db, "station_datasets", "read_through IS NOT NULL"), 0u)
      << "a backfill never moves the incremental watermark";
}

TEST_F(ToulouseStations, WindowsOverTenThousandRecordsAreReadThroughExports) {
  PortalSimOptions options = portal_options(hours(24 * 110));
  options.datasets = 1;
  PortalSim portal(options);
  write_config(portal, hours(24 * 110), hours(24 * 120));
  prepare_database();
  const auto run = meteo({"run"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_EQ(portal.requests("exports"), 2) << "one for the station list, one for the window";
  Database db = database_.connect();
  EXPECT_GT(observations(db), 10'000u);
}

TEST_F(ToulouseStations, RateLimitsAreWaitedOut) {
  PortalSimOptions options = portal_options(hours(6));
  options.rate_limit_first = 2;
  PortalSim portal(options);
  expect_waited_out(portal, hours(3), {"run"});
  Database db = database_.connect();
  EXPECT_GT(observations(db), 0u);
}

TEST_F(ToulouseStations, ABackfillByExportStoresExactlyWhatPagingStored) {
  PortalSim portal(portal_options(hours(48)));
  write_config(portal, hours(2), hours(24 * 7), "export_threshold_pages = 100\n");
  prepare_database();
  Database db = database_.connect();
  const auto paged = meteo(two_page_window());
  ASSERT_EQ(paged.exit_code, 0) << describe(paged);
  EXPECT_EQ(portal.requests("records"), static_cast<int>(2 * kSupportedDatasets));
  EXPECT_EQ(portal.requests("exports"), 1) << "the station list only";
  const std::string by_pages = station_network_contents(db);
  ASSERT_GT(observations(db), 280u);

  forget_station_networks_and_everything_but_regions(db);
  write_config(portal, hours(2));
  const auto exported = meteo(two_page_window());
  ASSERT_EQ(exported.exit_code, 0) << describe(exported);
  EXPECT_EQ(portal.requests("records"), static_cast<int>(3 * kSupportedDatasets))
      << "one first page per window";
  EXPECT_EQ(portal.requests("exports"), static_cast<int>(2 + kSupportedDatasets))
      << "one export per window";
  EXPECT_EQ(landed_exports(db), kSupportedDatasets) << "each export landed raw, once";
  EXPECT_EQ(station_network_contents(db), by_pages);

  ASSERT_EQ(meteo(two_page_window()).exit_code, 0);
  EXPECT_EQ(station_network_contents(db), by_pages) << "the same window again, the same rows";
}

TEST_F(ToulouseStations, AWindowOfOnePageIsNotExported) {
  PortalSim portal(portal_options(hours(48)));
  write_config(portal, hours(2));
  prepare_database();
  const auto backfill = meteo({"backfill", "--from", to_iso8601(now_ - hours(20)).substr(0, 13),
                               "--to", to_iso8601(now_).substr(0, 13)});
  ASSERT_EQ(backfill.exit_code, 0) << describe(backfill);
  EXPECT_EQ(portal.requests("records"), static_cast<int>(kSupportedDatasets));
  EXPECT_EQ(portal.requests("exports"), 1) << "the station list only";
  Database db = database_.connect();
  EXPECT_GT(observations(db), 140u) << "20 hours of two datasets, 2 % of slots missing";
  EXPECT_LE(observations(db), kSupportedDatasets * 80);
}

TEST_F(ToulouseStations, AnExportAnswered429IsWaitedOut) {
  PortalSimOptions options = portal_options(hours(48));
  options.rate_limit_exports = 1;
  PortalSim portal(options);
  expect_waited_out(portal, hours(2), two_page_window());
  EXPECT_EQ(portal.requests("exports"), static_cast<int>(2 + kSupportedDatasets))
      << "the station list, a 429, then one export per window";
  Database db = database_.connect();
  EXPECT_EQ(landed_exports(db), kSupportedDatasets) << "a 429 is never landed as a body";
  EXPECT_GT(observations(db), 280u);
}

TEST_F(ToulouseStations, AnExportCutMidBodyFailsCleanlyAndItsRetryStoresOnce) {
  PortalSimOptions options = portal_options(hours(48));
  options.cut_exports = true;
  auto portal = std::make_unique<PortalSim>(options);
  write_config(*portal, hours(2));
  prepare_database();
  Database db = database_.connect();
  const auto cut = meteo(two_page_window());
  EXPECT_EQ(cut.exit_code, 69) << describe(cut);  // EX_UNAVAILABLE, as for a page that fails
  EXPECT_NE(cut.err.find("/exports/json?"), std::string::npos) << "names the export's URL";
  EXPECT_EQ(observations(db), 0u);
  EXPECT_EQ(landed_exports(db), 0u) << "an unfinished body is never landed";

  options.cut_exports = false;
  options.port = portal->port();
  portal.reset();
  portal = std::make_unique<PortalSim>(options);
  const auto whole = meteo(two_page_window());
  ASSERT_EQ(whole.exit_code, 0) << describe(whole);
  EXPECT_EQ(landed_exports(db), kSupportedDatasets);
  EXPECT_EQ(query_value(db,
                        "SELECT COUNT(*) FROM (SELECT dataset_id, observed_at FROM "
                        "weather_observations GROUP BY dataset_id, observed_at HAVING COUNT(*) > "
                        "1) AS twice"),
            "0");
  EXPECT_GT(observations(db), 280u);
}

}  // namespace
}  // namespace meteo::testing
