// The alerts and the forecasts of the hourly run, end to end: meteo-etl as cron runs it against
// the portal simulator with planted events (--events) and MariaDB. The portal's present is the
// last full hour before the real clock (the notification age and the live skill are judged on
// it); every event is placed relative to it, so what triggers is known whatever the day.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/types.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "cli_job.hpp"
#include "config_files.hpp"
#include "db_snapshot.hpp"
#include "meteo/core/time.hpp"
#include "paths.hpp"
#include "portal_sim.hpp"
#include "subprocess.hpp"
#include "test_database.hpp"
#include "test_support.hpp"

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;

constexpr const char* kSource = "toulouse";
// The first three datasets of the Toulouse schema (--no-odd-schema --datasets 3).
constexpr const char* kWindy = "01-station-meteo-toulouse-meteopole";  // the gust, the cold
constexpr const char* kHot = "51-station-meteo-toulouse-lardenne";     // a heat wave
constexpr const char* kWarm = "38-station-meteo-toulouse-parc-jardin-des-plantes";  // just below

std::string describe(const ProcessResult& result) {
  return "exit " + std::to_string(result.exit_code) + "\nstdout:\n" + result.out + "\nstderr:\n" +
         result.err;
}

// The JAG/TI wind chill of docs/alerts.md.
double wind_chill(double temperature_c, double wind_kmh) {
  const double v = std::pow(wind_kmh, 0.16);
  return 13.12 + 0.6215 * temperature_c - 11.37 * v + 0.3965 * temperature_c * v;
}

std::string hour_argument(UtcSeconds moment) {
  return to_iso8601(moment).substr(0, 13);  // 2026-12-05T09
}

class Alerts : public ::testing::Test {
 protected:
  void SetUp() override {
    METEO_SKIP_WITHOUT_SHARED_DATA("geo/communes-31-haute-garonne.geojson",
                                   "toulouse/stations-meteo-en-place.exports.json",
                                   "toulouse/catalog-v1-search-q-meteo.json");
  }

  // The portal's present: an hour before the real clock's hour, so the tool's clock is later.
  const UtcSeconds now_ = floor_to_hour(std::chrono::system_clock::now()) - hours(1);
  // One 105 km/h gust, ten hours ago: a single record, on the full hour (never a gap).
  const UtcSeconds gust_at_ = now_ - hours(10);
  // A cold windy night: -6 °C in a 30 km/h wind for six hours, ending long before now.
  const UtcSeconds cold_from_ = now_ - hours(22);
  const UtcSeconds cold_to_ = now_ - hours(16);
  static constexpr double kColdC = -6;
  static constexpr double kColdWindKmh = 30;
  // The newest climatological day the tool counts complete; the heat wave's three days end with
  // it. Its maximum window [J 06:00, J+1 06:00) counts with 18 of its 24 hours (75 %), which the
  // records before now_ hold from J+1 00:00 on, so J is the day before now_'s: the next day's
  // window holds at most 17 hours before now_. (Flooring now_ - 6 h instead put J a day earlier
  // from 00:00 to 05:00, and the test failed then: the day after J already closed the wave.)
  const UtcSeconds hot_day_ = std::chrono::floor<days>(now_) - days(1);

  std::string config_path() const { return (directory_ / "meteo.toml").string(); }

  ProcessResult meteo(std::vector<std::string> args) {
    return meteo_on(database_, config_path(), std::move(args));
  }
  static ProcessResult meteo_on(const ScratchDatabase& database, const std::string& config,
                                std::vector<std::string> args) {
    args.insert(args.begin(), meteo_etl_binary());
    return run_process(args, cron_environment(config, database.config()),
                       std::chrono::seconds(300));
  }

  json event(const char* dataset, UtcSeconds from, UtcSeconds to, const char* field,
             double value) const {
    return {{"dataset", dataset},
            {"from", to_iso8601(from)},
            {"to", to_iso8601(to)},
            {"field", field},
            {"value", value}};
  }
  // Three hot days ending with hot_day_: from the first day's minimum window to the last day's
  // maximum window.
  json heat(const char* dataset, double daily_min, double daily_max) const {
    return {{"dataset", dataset},
            {"from", to_iso8601(hot_day_ - days(2) - hours(6))},
            {"to", to_iso8601(hot_day_ + hours(30))},
            {"field", "temperature"},
            {"daily_min", daily_min},
            {"daily_max", daily_max}};
  }

  // Every planted event; `gust` is the value of the gust record (105, or 40 once corrected).
  std::string write_events(double gust, const std::string& name = "events.json") const {
    json events = json::array();
    events.push_back(event(kWindy, gust_at_, gust_at_ + minutes(15), "gust", gust));
    events.push_back(event(kWindy, cold_from_, cold_to_, "temperature", kColdC));
    events.push_back(event(kWindy, cold_from_, cold_to_, "wind", kColdWindKmh));
    events.push_back(heat(kHot, 21.5, 36.5));
    events.push_back(heat(kWarm, 20.8, 36.5));
    const fs::path path = directory_ / name;
    std::ofstream(path) << events.dump(2);
    return path.string();
  }

  PortalSimOptions portal_options(UtcSeconds now, hours history, std::string events = {},
                                  int datasets = 3) const {
    PortalSimOptions options;
    options.now = to_iso8601(now);
    options.from = to_iso8601(now_ - history);
    options.datasets = datasets;
    options.include_odd_schema = false;
    options.future_row = false;
    options.events_file = std::move(events);
    return options;
  }

  void write_config(const PortalSim& portal, hours since, const std::string& alerts_toml = "") {
    write_config_for(database_, config_path(), portal, since, alerts_toml);
  }
  void write_config_for(const ScratchDatabase& database, const std::string& path,
                        const PortalSim& portal, hours since,
                        const std::string& alerts_toml = "") const {
    std::ofstream config(path);
    config
        << database_toml(database.config()) << "\n[archive]\nroot = \""
        << (fs::path(path).parent_path() / (fs::path(path).stem().string() + "-archive")).string()
        << "\"\n[[region_sets]]\nname = \"toulouse-communes\"\nlocation = \""
        << shared_data("geo/communes-31-haute-garonne.geojson") << "\"\n"
        << "\n[[sources]]\nname = \"" << kSource << "\"\ntype = \"opendatasoft-stations\"\n"
        << "base_url = \"" << portal.base_url() << "\"\ndataset_pattern = \"station-meteo\"\n"
        << "start = \"" << to_iso8601(now_ - since) << "\"\nlookback_hours = 2\n"
        << "max_catch_up_hours = " << 24 * 60 << "\nregion_sets = [\"toulouse-communes\"]\n"
        << "[sources.http]\nretry_attempts = 4\nretry_initial_backoff_ms = 50\n"
        << "retry_max_backoff_ms = 2000\n"
        << alerts_toml;
  }

  void prepare_database() {
    const auto migrate = meteo({"migrate"});
    ASSERT_EQ(migrate.exit_code, 0) << describe(migrate);
    const auto load = meteo({"regions", "load"});
    ASSERT_EQ(load.exit_code, 0) << describe(load);
  }

  void run_ok(std::vector<std::string> args) {
    const auto result = meteo(args);
    ASSERT_EQ(result.exit_code, 0) << args.front() << ": " << describe(result);
  }

  // The alerts as `query alerts --format json` gives them, with extra options.
  json query_alerts(std::vector<std::string> options = {}) {
    std::vector<std::string> args{"query", "alerts", "--format", "json"};
    args.insert(args.end(), options.begin(), options.end());
    const auto result = meteo(args);
    EXPECT_EQ(result.exit_code, 0) << describe(result);
    return json::parse(result.out);
  }

  static std::vector<json> of_kind(const json& alerts, const std::string& kind) {
    std::vector<json> found;
    for (const json& alert : alerts) {
      if (alert["kind"] == kind) found.push_back(alert);
    }
    return found;
  }

  // What detection and notification write, whole.
  std::string alert_tables(Database& db) {
    return "alerts:\n" + table_contents(db, "alerts") + "alert_triggers:\n" +
           table_contents(db, "alert_triggers") + "alert_notifications:\n" +
           table_contents(db, "alert_notifications");
  }

  ScratchDatabase database_;
  TestDirectory directory_;
};

TEST_F(Alerts, RunDetectsThePlantedPeaksAndAgainChangesNothing) {
  PortalSim portal(portal_options(now_, days(6), write_events(105)));
  write_config(portal, days(5));
  ASSERT_NO_FATAL_FAILURE(prepare_database());
  ASSERT_NO_FATAL_FAILURE(run_ok({"run"}));
  Database db = database_.connect();

  // The gust: one orange alert, one record long, that record its one trigger; closed, since
  // more than quiet_hours (3) of records follow it.
  const json alerts = query_alerts();
  const auto wind = of_kind(alerts, "strong_wind");
  ASSERT_EQ(wind.size(), 1u) << alerts.dump(2);
  EXPECT_EQ(wind[0]["level"], "orange");
  EXPECT_EQ(wind[0]["scope_type"], "station");
  EXPECT_EQ(wind[0]["source"], kSource);
  EXPECT_EQ(wind[0]["scope_id"], kWindy);
  EXPECT_EQ(wind[0]["start"], to_iso8601(gust_at_));
  // The end is the station's next record: usually a quarter-hour later, but the portal leaves
  // about one slot in fifty out (a gap), so the test asks the store which record follows.
  const std::string next_record = query_value(
      db,
      "SELECT CAST(MIN(observed_at) AS CHAR) FROM weather_observations"
      " WHERE dataset_id = '" +
          std::string(kWindy) + "' AND observed_at > '" + to_sql_datetime(gust_at_) + "'");
  ASSERT_FALSE(next_record.empty());
  EXPECT_EQ(wind[0]["end"], to_iso8601(parse_sql_datetime(next_record)));
  EXPECT_LE(parse_sql_datetime(next_record), gust_at_ + hours(1)) << "full hours are never gaps";
  EXPECT_EQ(wind[0]["peak_value"], 105.0);
  EXPECT_EQ(wind[0]["peak_at"], to_iso8601(gust_at_));
  EXPECT_EQ(wind[0]["threshold"], 100.0);
  EXPECT_EQ(wind[0]["unit"], "km/h");
  EXPECT_EQ(wind[0]["triggers"], 1);
  EXPECT_TRUE(wind[0]["withdrawn_at"].is_null());
  const std::string wind_id = std::to_string(wind[0]["id"].get<long long>());
  EXPECT_EQ(query_value(db,
                        "SELECT CAST(triggered_at AS CHAR) FROM alert_triggers"
                        " WHERE alert_id = " +
                            wind_id),
            to_sql_datetime(gust_at_));
  EXPECT_EQ(count_rows(db, "weather_observations",
                       "dataset_id = '" + std::string(kWindy) + "' AND observed_at = '" +
                           to_sql_datetime(gust_at_) + "' AND gust_kmh = 105"),
            1u)
      << "the trigger names the stored record";

  // The heat wave: one alert, at the station just above the thresholds, on its third day.
  const auto heat = of_kind(alerts, "heat_wave");
  ASSERT_EQ(heat.size(), 1u) << alerts.dump(2);
  EXPECT_EQ(heat[0]["scope_id"], kHot) << "minima 20.8 at " << kWarm << " are not a heat wave";
  EXPECT_EQ(heat[0]["level"], "canicule");
  EXPECT_EQ(heat[0]["start"], to_iso8601(hot_day_));
  EXPECT_NEAR(heat[0]["peak_value"].get<double>(), 36.5, 1e-9);
  EXPECT_EQ(heat[0]["threshold"], 36.0);
  EXPECT_TRUE(heat[0]["end"].is_null()) << "no later day is complete yet";

  // The cold night: grand froid, its peak the wind chill of -6 °C in a 30 km/h wind.
  const auto cold = of_kind(alerts, "severe_cold");
  std::vector<json> planted_cold;
  for (const json& alert : cold) {
    if (alert["scope_id"] == kWindy && alert["start"] == to_iso8601(cold_from_)) {
      planted_cold.push_back(alert);
    }
  }
  ASSERT_EQ(planted_cold.size(), 1u) << alerts.dump(2);
  EXPECT_EQ(planted_cold[0]["level"], "grand_froid");
  EXPECT_NEAR(planted_cold[0]["peak_value"].get<double>(), wind_chill(kColdC, kColdWindKmh), 0.05);
  EXPECT_NEAR(wind_chill(kColdC, kColdWindKmh), -14.3, 0.05);
  EXPECT_EQ(planted_cold[0]["threshold"], -10.0);
  EXPECT_EQ(planted_cold[0]["unit"], "°C");
  EXPECT_EQ(planted_cold[0]["end"], to_iso8601(cold_to_)) << "the first record without it";
  EXPECT_EQ(planted_cold[0]["triggers"].get<std::size_t>(),
            count_rows(db, "weather_observations",
                       "dataset_id = '" + std::string(kWindy) + "' AND observed_at >= '" +
                           to_sql_datetime(cold_from_) + "' AND observed_at < '" +
                           to_sql_datetime(cold_to_) + "'"))
      << "every record of the night triggers";
  EXPECT_GT(planted_cold[0]["triggers"].get<std::size_t>(), 20u);

  // No command: the changes are recorded, not sent.
  EXPECT_EQ(count_rows(db, "alert_notifications", "status <> 'not_sent'"), 0u);
  EXPECT_EQ(count_rows(db, "alert_notifications",
                       "event = 'opened' AND alert_id = " + wind_id + " AND level = 'orange'"),
            1u);

  // The same run again, then a backfill of the same window: nothing changes.
  const std::string written = alert_tables(db);
  ASSERT_NO_FATAL_FAILURE(run_ok({"run"}));
  EXPECT_EQ(alert_tables(db), written) << "a second run";
  ASSERT_NO_FATAL_FAILURE(
      run_ok({"backfill", "--from", hour_argument(now_ - days(5)), "--to", hour_argument(now_)}));
  EXPECT_EQ(alert_tables(db), written) << "a backfill of the same records";
  // Backfills of a single hour inside an episode re-detect it whole: nothing changes either.
  for (const UtcSeconds hour : {cold_from_ + hours(2), hot_day_ - hours(12), gust_at_}) {
    ASSERT_NO_FATAL_FAILURE(run_ok(
        {"backfill", "--from", hour_argument(hour), "--to", hour_argument(hour + hours(1))}));
    EXPECT_EQ(alert_tables(db), written) << "a backfill of the hour " << to_iso8601(hour);
  }
}

TEST_F(Alerts, ACorrectionWithdrawsTheAlertAndKeepsIt) {
  {
    PortalSim portal(portal_options(now_, days(2), write_events(105)));
    write_config(portal, days(1));
    ASSERT_NO_FATAL_FAILURE(prepare_database());
    ASSERT_NO_FATAL_FAILURE(run_ok({"run"}));
  }
  Database db = database_.connect();
  const auto wind = of_kind(query_alerts(), "strong_wind");
  ASSERT_EQ(wind.size(), 1u);
  const std::string wind_id = std::to_string(wind[0]["id"].get<long long>());

  // The portal corrects the gust's record to 40 km/h; a backfill of its window reads it again.
  PortalSim corrected(portal_options(now_, days(2), write_events(40, "corrected.json")));
  write_config(corrected, days(1));
  ASSERT_NO_FATAL_FAILURE(run_ok({"backfill", "--from", hour_argument(gust_at_ - hours(2)), "--to",
                                  hour_argument(gust_at_ + hours(3))}));
  EXPECT_EQ(query_value(db, "SELECT gust_kmh FROM weather_observations WHERE dataset_id = '" +
                                std::string(kWindy) + "' AND observed_at = '" +
                                to_sql_datetime(gust_at_) + "'"),
            "40");
  EXPECT_EQ(count_rows(db, "alerts", "id = " + wind_id + " AND withdrawn_at IS NOT NULL"), 1u)
      << "withdrawn, never deleted";
  EXPECT_EQ(
      count_rows(db, "alert_notifications", "alert_id = " + wind_id + " AND event = 'withdrawn'"),
      1u);

  const auto withdrawn = of_kind(query_alerts({"--withdrawn"}), "strong_wind");
  ASSERT_EQ(withdrawn.size(), 1u);
  EXPECT_EQ(withdrawn[0]["id"], wind[0]["id"]);
  EXPECT_FALSE(withdrawn[0]["withdrawn_at"].is_null());
  EXPECT_TRUE(of_kind(query_alerts(), "strong_wind").empty()) << "hidden without --withdrawn";
  const json active = query_alerts({"--active"});
  for (const json& alert : active) {
    EXPECT_NE(alert["id"], wind[0]["id"]) << "--active shows no withdrawn alert";
    EXPECT_TRUE(alert["withdrawn_at"].is_null()) << alert.dump();
    EXPECT_TRUE(alert["end"].is_null()) << alert.dump();
  }

  // The portal restores 105 km/h: the same alert comes back, no longer withdrawn.
  PortalSim restored(portal_options(now_, days(2), write_events(105, "restored.json")));
  write_config(restored, days(1));
  ASSERT_NO_FATAL_FAILURE(run_ok({"backfill", "--from", hour_argument(gust_at_ - hours(2)), "--to",
                                  hour_argument(gust_at_ + hours(3))}));
  const auto back = of_kind(query_alerts(), "strong_wind");
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0]["id"], wind[0]["id"]) << "re-opened, not a new alert";
  EXPECT_TRUE(back[0]["withdrawn_at"].is_null());
  EXPECT_EQ(back[0]["level"], "orange");
  EXPECT_EQ(count_rows(db, "alerts"), count_rows(db, "alerts", "withdrawn_at IS NULL"));
}

// `[alerts] command` gets each change once, as a JSON line; a failing command is recorded and
// the run still succeeds.
TEST_F(Alerts, NotificationsGoToTheCommandOnceAndAFailureIsRecorded) {
  const fs::path received = directory_ / "received.jsonl";
  const fs::path script = directory_ / "notify.sh";
  std::ofstream(script) << "#!/bin/sh\ncat >> '" << received.string() << "'\nexit \"${1:-0}\"\n";
  const auto alerts_toml = [&](int exit_code) {
    return "\n[alerts]\ncommand = \"sh '" + script.string() + "' " + std::to_string(exit_code) +
           "\"\n";
  };
  {
    PortalSim portal(portal_options(now_, days(2), write_events(105)));
    write_config(portal, days(1), alerts_toml(0));
    ASSERT_NO_FATAL_FAILURE(prepare_database());
    ASSERT_NO_FATAL_FAILURE(run_ok({"run"}));
  }
  Database db = database_.connect();
  const auto wind = of_kind(query_alerts(), "strong_wind");
  ASSERT_EQ(wind.size(), 1u);
  const long long wind_id = wind[0]["id"].get<long long>();

  std::vector<json> lines;
  for (const std::string& line : lines_of(read_text(received))) {
    if (!line.empty()) lines.push_back(json::parse(line));
  }
  ASSERT_FALSE(lines.empty());
  int opened = 0;
  for (const json& line : lines) {
    for (const char* key : {"id", "event", "kind", "level", "scope", "start", "end", "peak_value",
                            "peak_at", "threshold", "unit", "rule_version", "note"}) {
      EXPECT_TRUE(line.contains(key)) << key << " missing from " << line.dump();
    }
    if (line["id"] == wind_id && line["event"] == "opened") {
      ++opened;
      EXPECT_EQ(line["kind"], "strong_wind");
      EXPECT_EQ(line["level"], "orange");
      EXPECT_EQ(line["peak_value"], 105.0);
    }
  }
  EXPECT_EQ(opened, 1) << read_text(received);
  EXPECT_EQ(lines.size(), count_rows(db, "alert_notifications", "status = 'sent'"))
      << "one line per sent change";
  EXPECT_EQ(count_rows(db, "alert_notifications",
                       "alert_id = " + std::to_string(wind_id) +
                           " AND event = 'opened' AND status = 'sent' AND exit_code = 0"),
            1u);
  EXPECT_EQ(count_rows(db, "alert_notifications", "status IN ('pending', 'sending', 'failed')"),
            0u);

  // Again: nothing new is sent.
  const std::string sent = read_text(received);
  const std::string notifications = table_contents(db, "alert_notifications");
  {
    PortalSim portal(portal_options(now_, days(2), write_events(105)));
    write_config(portal, days(1), alerts_toml(0));
    ASSERT_NO_FATAL_FAILURE(run_ok({"run"}));
  }
  EXPECT_EQ(read_text(received), sent);
  EXPECT_EQ(table_contents(db, "alert_notifications"), notifications);

  // A new gust an hour before now (within the lookback) and a command that exits 3.
  const fs::path later = directory_ / "later.json";
  json events = json::parse(read_text(write_events(105)));
  events.push_back(event(kWindy, now_ - hours(1), now_ - hours(1) + minutes(15), "gust", 85));
  std::ofstream(later) << events.dump();
  PortalSim portal(portal_options(now_, days(2), later.string()));
  write_config(portal, days(1), alerts_toml(3));
  const auto run = meteo({"run"});
  EXPECT_EQ(run.exit_code, 0) << "a failed notification is a warning: " << describe(run);
  EXPECT_EQ(count_rows(db, "alert_notifications",
                       "event = 'opened' AND level = 'yellow' AND status = 'failed' AND "
                       "exit_code = 3"),
            1u)
      << table_contents(db, "alert_notifications");
  EXPECT_EQ(count_rows(db, "alert_notifications", "status IN ('pending', 'sending')"), 0u);
}

TEST_F(Alerts, StatusAndTheDocumentedQueryShowTheActiveAlert) {
  PortalSim portal(portal_options(now_, days(6), write_events(105)));
  write_config(portal, days(5));
  ASSERT_NO_FATAL_FAILURE(prepare_database());
  ASSERT_NO_FATAL_FAILURE(run_ok({"run"}));

  // The heat wave is open (no later day is complete); the gust and the cold night are closed.
  const auto text = meteo({"status"});
  EXPECT_NE(text.out.find("active alerts (indicative, not official vigilance)"), std::string::npos)
      << describe(text);
  EXPECT_NE(text.out.find("heat_wave"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find(kHot), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("strong_wind"), std::string::npos) << text.out;

  const auto status = meteo({"status", "--json"});
  const json report = json::parse(status.out);
  ASSERT_TRUE(report.contains("active_alerts")) << status.out;
  const auto heat = of_kind(report["active_alerts"], "heat_wave");
  ASSERT_EQ(heat.size(), 1u) << status.out;
  EXPECT_EQ(heat[0]["scope_id"], kHot);
  EXPECT_EQ(heat[0]["level"], "canicule");
  EXPECT_EQ(heat[0]["start"], to_iso8601(hot_day_));
  EXPECT_TRUE(of_kind(report["active_alerts"], "strong_wind").empty()) << status.out;
  EXPECT_EQ(text.exit_code, status.exit_code) << "alerts do not change the exit code";

  // docs/operations.md's line, verbatim.
  const std::vector<std::string> documented = documented_command("meteo-etl query alerts");
  ASSERT_EQ(documented, (std::vector<std::string>{"query", "alerts", "--active"}));
  const auto listed = meteo(documented);
  ASSERT_EQ(listed.exit_code, 0) << describe(listed);
  EXPECT_NE(listed.out.find("heat_wave"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find(kHot), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("canicule"), std::string::npos) << listed.out;
  EXPECT_EQ(listed.out.find("strong_wind"), std::string::npos) << listed.out;
  EXPECT_EQ(listed.out.find(kWarm), std::string::npos) << listed.out;
}

// docs/alerts.md: "`opened` again for an alert that had been withdrawn": the [alerts] command
// hears that the alert stands again (the outbox counts the alert's lives).
TEST_F(Alerts, AWithdrawnAlertThatComesBackIsNotifiedAgain) {
  const fs::path received = directory_ / "received.jsonl";
  const std::string alerts_toml = "\n[alerts]\ncommand = \"cat >> '" + received.string() + "'\"\n";
  const auto backfill_gust = [&](double gust, const std::string& name) {
    PortalSim portal(portal_options(now_, days(2), write_events(gust, name)));
    write_config(portal, days(1), alerts_toml);
    ASSERT_NO_FATAL_FAILURE(run_ok({"backfill", "--from", hour_argument(gust_at_ - hours(2)),
                                    "--to", hour_argument(gust_at_ + hours(3))}));
    ASSERT_NO_FATAL_FAILURE(run_ok({"run"}));  // a backfill records changes; a run sends them
  };
  {
    PortalSim portal(portal_options(now_, days(2), write_events(105)));
    write_config(portal, days(1), alerts_toml);
    ASSERT_NO_FATAL_FAILURE(prepare_database());
    ASSERT_NO_FATAL_FAILURE(run_ok({"run"}));
  }
  ASSERT_NO_FATAL_FAILURE(backfill_gust(40, "corrected.json"));
  ASSERT_NO_FATAL_FAILURE(backfill_gust(105, "restored.json"));
  const auto wind = of_kind(query_alerts(), "strong_wind");
  ASSERT_EQ(wind.size(), 1u);
  ASSERT_TRUE(wind[0]["withdrawn_at"].is_null()) << "the alert stands again";
  std::vector<std::string> events;
  for (const std::string& line : lines_of(read_text(received))) {
    if (line.empty()) continue;
    const json change = json::parse(line);
    if (change["id"] == wind[0]["id"]) events.push_back(change["event"].get<std::string>());
  }
  ASSERT_FALSE(events.empty());
  EXPECT_NE(std::find(events.begin(), events.end(), "withdrawn"), events.end())
      << "the withdrawal was told";
  // Its new life is told whole: opened again, and closed since the gust is long past.
  const auto withdrawn = std::find(events.begin(), events.end(), "withdrawn");
  EXPECT_EQ(std::vector<std::string>(withdrawn, events.end()),
            (std::vector<std::string>{"withdrawn", "opened", "closed"}))
      << "the changes the command heard of: " << read_text(received);
}

TEST_F(Alerts, QueryAlertsFromAndToSelectByTime) {
  PortalSim portal(portal_options(now_, days(2), write_events(105)));
  write_config(portal, days(1));
  ASSERT_NO_FATAL_FAILURE(prepare_database());
  ASSERT_NO_FATAL_FAILURE(run_ok({"run"}));
  // The gust's alert is [gust, gust + 15 min); the cold night's [cold_from, cold_to).
  const json around_gust =
      query_alerts({"--from", hour_argument(gust_at_), "--to", hour_argument(gust_at_ + hours(1))});
  EXPECT_EQ(of_kind(around_gust, "strong_wind").size(), 1u) << around_gust.dump(2);
  EXPECT_TRUE(of_kind(around_gust, "severe_cold").empty()) << around_gust.dump(2);
  const json before_gust = query_alerts({"--to", hour_argument(gust_at_)});
  EXPECT_TRUE(of_kind(before_gust, "strong_wind").empty()) << "--to is exclusive";
  const json after_gust = query_alerts({"--from", hour_argument(gust_at_ + hours(1))});
  EXPECT_TRUE(of_kind(after_gust, "strong_wind").empty()) << "ended before --from";
  const auto bad = meteo(
      {"query", "alerts", "--from", hour_argument(now_), "--to", hour_argument(now_ - hours(1))});
  EXPECT_NE(bad.exit_code, 0) << describe(bad);
  EXPECT_NE(bad.err.find("must be before --to"), std::string::npos) << bad.err;
}

// A command that outlasts command_timeout_s is killed with its whole process group (here a
// background sleep it started), recorded failed, and the run goes on.
TEST_F(Alerts, ACommandPastItsTimeoutIsKilledWithItsProcessGroup) {
  const fs::path pids = directory_ / "pids";
  const fs::path script = directory_ / "slow.sh";
  std::ofstream(script) << "#!/bin/sh\necho $$ > '" << pids.string()
                        << "'\nsleep 60 &\necho $! >> '" << pids.string() << "'\nwait\n";
  const fs::path events = directory_ / "gust.json";
  std::ofstream(events) << json::array({event(kWindy, now_ - hours(1),
                                              now_ - hours(1) + minutes(15), "gust", 105)})
                               .dump();
  PortalSim portal(portal_options(now_, hours(6), events.string(), 1));
  write_config(portal, hours(4),
               "\n[alerts]\ncommand_timeout_s = 1\ncommand = \"sh '" + script.string() + "'\"\n");
  ASSERT_NO_FATAL_FAILURE(prepare_database());
  const auto started = std::chrono::steady_clock::now();
  const auto run = meteo({"run"});
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  Database db = database_.connect();
  const std::size_t tried = count_rows(db, "alert_notifications", "status <> 'not_sent'");
  ASSERT_GE(tried, 1u);
  EXPECT_LT(took, std::chrono::seconds(10 + 2 * static_cast<int>(tried))) << "not 60 s per change";
  EXPECT_EQ(count_rows(db, "alert_notifications",
                       "status = 'failed' AND message LIKE 'killed after 1 s%'"),
            tried)
      << table_contents(db, "alert_notifications");
  const auto alive = lines_of(read_text(pids));
  ASSERT_GE(alive.size(), 2u) << "the script ran";
  for (const std::string& pid_text : alive) {
    if (pid_text.empty()) continue;
    const pid_t pid = static_cast<pid_t>(std::stol(pid_text));
    bool gone = false;
    for (int wait = 0; wait < 40 && !gone; ++wait) {
      gone = ::kill(pid, 0) != 0 && errno == ESRCH;
      if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_TRUE(gone) << "process " << pid << " of the command's group outlived it";
  }
}

// docs/alerts.md: the rules are causal, so a backfill in pieces ends in the same alerts as one
// pass. Here the pieces split the heat wave's days and the cold night.
TEST_F(Alerts, ABackfillInPiecesEndsInTheSameAlertsAsOnePass) {
  PortalSim portal(portal_options(now_, days(6), write_events(105)));
  ScratchDatabase pieces_db;
  const std::string pieces_config = (directory_ / "pieces.toml").string();
  write_config(portal, days(5));
  write_config_for(pieces_db, pieces_config, portal, days(5));
  ASSERT_NO_FATAL_FAILURE(prepare_database());
  for (const char* step : {"migrate", "regions"}) {
    std::vector<std::string> args{step};
    if (std::string(step) == "regions") args.push_back("load");
    const auto result = meteo_on(pieces_db, pieces_config, args);
    ASSERT_EQ(result.exit_code, 0) << describe(result);
  }
  const std::vector<UtcSeconds> bounds{now_ - days(5), hot_day_ - hours(12), cold_from_ + hours(3),
                                       now_};
  ASSERT_NO_FATAL_FAILURE(run_ok(
      {"backfill", "--from", hour_argument(bounds.front()), "--to", hour_argument(bounds.back())}));
  for (std::size_t i = 0; i + 1 < bounds.size(); ++i) {
    const auto piece = meteo_on(
        pieces_db, pieces_config,
        {"backfill", "--from", hour_argument(bounds[i]), "--to", hour_argument(bounds[i + 1])});
    ASSERT_EQ(piece.exit_code, 0) << describe(piece);
  }
  const auto alerts = [](Database& db) {
    return query_contents(
        db,
        "SELECT a.kind, a.subject, a.scope_id, a.level, a.start_at, a.end_at, a.peak_value,"
        " a.peak_at, a.threshold, a.rule_version, a.withdrawn_at IS NULL,"
        " (SELECT GROUP_CONCAT(t.triggered_at ORDER BY t.triggered_at) FROM alert_triggers t"
        " WHERE t.alert_id = a.id) FROM alerts a ORDER BY a.kind, a.scope_id, a.start_at");
  };
  Database one_pass = database_.connect();
  Database in_pieces = pieces_db.connect();
  const std::string expected = alerts(one_pass);
  EXPECT_NE(expected.find("heat_wave"), std::string::npos) << expected;
  EXPECT_NE(expected.find("severe_cold"), std::string::npos) << expected;
  EXPECT_NE(expected.find("strong_wind"), std::string::npos) << expected;
  EXPECT_EQ(alerts(in_pieces), expected);
}

// The thresholds are inclusive (docs/alerts.md: ≥ 80, ≥ 100, means ≥ 21 and ≥ 36), an alert that
// rises a level on a later run is escalated and notified, and changes to alerts that ended more
// than notify_max_age_h (24) ago are recorded, not sent.
TEST_F(Alerts, ThresholdsAreInclusiveEscalationsNotifiedOldChangesNotSent) {
  const fs::path received = directory_ / "received.jsonl";
  const std::string alerts_toml = "\n[alerts]\ncommand = \"cat >> '" + received.string() + "'\"\n";
  json events = json::array();
  const auto gust = [&](UtcSeconds at, double kmh) {
    events.push_back(event(kWindy, at, at + minutes(15), "gust", kmh));
  };
  gust(now_ - hours(46), 79);
  gust(now_ - hours(40), 80);
  gust(now_ - hours(34), 100);
  gust(now_ - hours(2), 85);  // yellow, still open at now
  events.push_back(heat(kHot, 21.0, 36.0));
  events.push_back(heat(kWarm, 21.0, 35.9));
  const fs::path first = directory_ / "first.json";
  std::ofstream(first) << events.dump();
  {
    PortalSim portal(portal_options(now_, days(6), first.string()));
    write_config(portal, days(5), alerts_toml);
    ASSERT_NO_FATAL_FAILURE(prepare_database());
    ASSERT_NO_FATAL_FAILURE(run_ok({"run"}));
  }
  Database db = database_.connect();
  const json alerts = query_alerts();
  const auto wind = of_kind(alerts, "strong_wind");
  ASSERT_EQ(wind.size(), 3u) << "79 km/h is no alert: " << alerts.dump(2);
  // Newest first.
  EXPECT_EQ(wind[0]["start"], to_iso8601(now_ - hours(2)));
  EXPECT_EQ(wind[0]["level"], "yellow");
  EXPECT_TRUE(wind[0]["end"].is_null());
  EXPECT_EQ(wind[1]["start"], to_iso8601(now_ - hours(34)));
  EXPECT_EQ(wind[1]["level"], "orange");
  EXPECT_EQ(wind[1]["threshold"], 100.0);
  EXPECT_EQ(wind[2]["start"], to_iso8601(now_ - hours(40)));
  EXPECT_EQ(wind[2]["level"], "yellow");
  EXPECT_EQ(wind[2]["threshold"], 80.0);
  const auto heat_alerts = of_kind(alerts, "heat_wave");
  ASSERT_EQ(heat_alerts.size(), 1u) << alerts.dump(2);
  EXPECT_EQ(heat_alerts[0]["scope_id"], kHot) << "means of exactly 21 and 36 are a heat wave";

  const std::string old_orange = std::to_string(wind[1]["id"].get<long long>());
  EXPECT_EQ(count_rows(db, "alert_notifications", "alert_id = " + old_orange),
            count_rows(db, "alert_notifications",
                       "alert_id = " + old_orange + " AND status = 'not_sent'"));
  EXPECT_EQ(count_rows(db, "alert_notifications",
                       "alert_id = " + old_orange + " AND event IN ('opened', 'closed')"),
            2u)
      << "first seen closed: opened and closed";
  const std::string open_yellow = std::to_string(wind[0]["id"].get<long long>());
  EXPECT_EQ(count_rows(db, "alert_notifications",
                       "alert_id = " + open_yellow + " AND event = 'opened' AND status = 'sent'"),
            1u);

  // An hour later, a 105 km/h gust within quiet_hours of the 85: the same alert, escalated.
  gust(now_, 105);
  const fs::path second = directory_ / "second.json";
  std::ofstream(second) << events.dump();
  {
    PortalSim portal(portal_options(now_ + hours(1), days(6), second.string()));
    write_config(portal, days(5), alerts_toml);
    ASSERT_NO_FATAL_FAILURE(run_ok({"run"}));
  }
  const auto after = of_kind(query_alerts(), "strong_wind");
  ASSERT_EQ(after.size(), 3u);
  EXPECT_EQ(after[0]["id"], wind[0]["id"]);
  EXPECT_EQ(after[0]["level"], "orange");
  EXPECT_EQ(after[0]["start"], to_iso8601(now_ - hours(2)));
  EXPECT_EQ(after[0]["peak_value"], 105.0);
  EXPECT_EQ(after[0]["peak_at"], to_iso8601(now_));
  EXPECT_EQ(count_rows(db, "alert_notifications",
                       "alert_id = " + open_yellow +
                           " AND event = 'escalated' AND level = 'orange' AND status = 'sent'"),
            1u)
      << table_contents(db, "alert_notifications");
  int escalated = 0;
  for (const std::string& line : lines_of(read_text(received))) {
    if (line.empty()) continue;
    const json change = json::parse(line);
    if (change["event"] == "escalated") {
      ++escalated;
      EXPECT_EQ(change["level"], "orange");
      EXPECT_EQ(change["id"], wind[0]["id"]);
    }
  }
  EXPECT_EQ(escalated, 1) << read_text(received);
}

// docs/alerts.md's two worked examples of the wind chill, an hour of heavy rain, and a gust that
// the portal corrects within the next run's lookback (no backfill needed).
TEST_F(Alerts, TheDocumentedColdExamplesHeavyRainAndACorrectionWithinTheLookback) {
  const UtcSeconds extreme_from = now_ - hours(30);
  const UtcSeconds grand_from = now_ - hours(20);
  const UtcSeconds rain_hour = now_ - hours(12);
  const UtcSeconds late_gust = now_ - hours(1);
  const auto write = [&](double late_gust_kmh, const std::string& name) {
    const json events =
        json::array({event(kWindy, extreme_from, extreme_from + hours(2), "temperature", -12),
                     event(kWindy, extreme_from, extreme_from + hours(2), "wind", 40),
                     event(kWindy, grand_from, grand_from + hours(2), "temperature", -5),
                     event(kWindy, grand_from, grand_from + hours(2), "wind", 30),
                     event(kWindy, rain_hour, rain_hour + hours(1), "rain", 7),
                     event(kWindy, late_gust, late_gust + minutes(15), "gust", late_gust_kmh)});
    const fs::path path = directory_ / name;
    std::ofstream(path) << events.dump();
    return path.string();
  };
  {
    PortalSim portal(portal_options(now_, days(2), write(90, "first.json"), 1));
    write_config(portal, days(2));
    ASSERT_NO_FATAL_FAILURE(prepare_database());
    ASSERT_NO_FATAL_FAILURE(run_ok({"run"}));
  }
  Database db = database_.connect();
  const json alerts = query_alerts();
  const auto starting = [&](const std::string& kind, UtcSeconds start) {
    std::vector<json> found;
    for (const json& alert : of_kind(alerts, kind)) {
      if (alert["start"] == to_iso8601(start)) found.push_back(alert);
    }
    return found;
  };
  const auto extreme = starting("severe_cold", extreme_from);
  ASSERT_EQ(extreme.size(), 1u) << alerts.dump(2);
  EXPECT_EQ(extreme[0]["level"], "froid_extreme");
  EXPECT_NEAR(extreme[0]["peak_value"].get<double>(), -23.4, 0.05) << "docs/alerts.md";
  EXPECT_EQ(extreme[0]["threshold"], -18.0);
  const auto grand = starting("severe_cold", grand_from);
  ASSERT_EQ(grand.size(), 1u) << alerts.dump(2);
  EXPECT_EQ(grand[0]["level"], "grand_froid");
  EXPECT_NEAR(grand[0]["peak_value"].get<double>(), -13.0, 0.05) << "docs/alerts.md";

  const auto rain = of_kind(alerts, "heavy_rain");
  ASSERT_EQ(rain.size(), 1u) << alerts.dump(2);
  EXPECT_EQ(rain[0]["start"], to_iso8601(rain_hour));
  EXPECT_EQ(rain[0]["end"], to_iso8601(rain_hour + hours(1)));
  EXPECT_EQ(rain[0]["level"], "yellow");
  EXPECT_EQ(rain[0]["unit"], "mm");
  EXPECT_EQ(rain[0]["threshold"], 20.0) << "the hourly amount reached the level";
  EXPECT_NEAR(
      rain[0]["peak_value"].get<double>(),
      std::stod(query_value(db, "SELECT rain_sum FROM station_hourly_weather WHERE hour = '" +
                                    to_sql_datetime(rain_hour) + "'")),
      1e-9)
      << "the hour's rain as station_hourly_weather counts it";

  const auto gust = starting("strong_wind", late_gust);
  ASSERT_EQ(gust.size(), 1u) << alerts.dump(2);
  EXPECT_EQ(gust[0]["level"], "yellow");
  EXPECT_TRUE(gust[0]["end"].is_null()) << "open: fewer than quiet_hours of records follow it";

  // The portal corrects the late gust to 50 km/h; the next hourly run re-reads it.
  {
    PortalSim portal(portal_options(now_ + hours(1), days(2), write(50, "corrected.json"), 1));
    write_config(portal, days(2));
    ASSERT_NO_FATAL_FAILURE(run_ok({"run"}));
  }
  const auto withdrawn = of_kind(query_alerts({"--withdrawn"}), "strong_wind");
  ASSERT_EQ(withdrawn.size(), 1u);
  EXPECT_EQ(withdrawn[0]["id"], gust[0]["id"]);
  EXPECT_FALSE(withdrawn[0]["withdrawn_at"].is_null());
  EXPECT_TRUE(of_kind(query_alerts({"--active"}), "strong_wind").empty());
  for (const json& alert : of_kind(query_alerts(), "severe_cold")) {
    if (alert["id"] == extreme[0]["id"]) EXPECT_EQ(alert, extreme[0]) << "untouched";
    if (alert["id"] == grand[0]["id"]) EXPECT_EQ(alert, grand[0]) << "untouched";
  }
}

// Forecasts after a station run: 31 days of history (min_history_days is 21), then a run an hour
// later that scores the first run's newest issue.
class Forecasts : public Alerts {
 protected:
  std::string forecasts_at(Database& db, UtcSeconds issued_at, const std::string& quantity) {
    return query_contents(db,
                          "SELECT dataset_id, COUNT(DISTINCT horizon_h), MIN(horizon_h),"
                          " MAX(horizon_h), SUM(target_time = issued_at + INTERVAL horizon_h HOUR)"
                          " = COUNT(*), SUM(shown) > 0 FROM station_forecasts WHERE issued_at = '" +
                              to_sql_datetime(issued_at) + "' AND quantity = '" + quantity +
                              "' GROUP BY dataset_id ORDER BY dataset_id");
  }
};

TEST_F(Forecasts, ARunIssuesEachStationsForecastsAndTheNextOneScoresThem) {
  constexpr int kStations = 2;
  const UtcSeconds issue = now_ - hours(1);  // the newest complete hour of the first run
  {
    PortalSim portal(portal_options(now_, days(31), {}, kStations));
    write_config(portal, days(31));
    ASSERT_NO_FATAL_FAILURE(prepare_database());
    ASSERT_NO_FATAL_FAILURE(run_ok({"run"}));
  }
  Database db = database_.connect();
  ASSERT_EQ(count_rows(db, "station_datasets", "status = 'active'"),
            static_cast<std::size_t>(kStations));
  EXPECT_EQ(query_value(db, "SELECT CAST(MAX(issued_at) AS CHAR) FROM station_forecasts"),
            to_sql_datetime(issue));
  const std::string expected =
      std::string(kWindy) + "\t6\t1\t6\t1\t1\n" + kHot + "\t6\t1\t6\t1\t1\n";
  EXPECT_EQ(forecasts_at(db, issue, "temperature"), expected)
      << "horizons 1 to 6 for each station, each target its issue plus its horizon, one shown";
  EXPECT_EQ(
      count_rows(db, "station_forecasts",
                 "quantity = 'day_maximum' AND issued_at = '" + to_sql_datetime(issue) +
                     "' AND target_time = '" +
                     to_sql_datetime(UtcSeconds(std::chrono::floor<days>(issue) + days(1))) + "'"),
      count_rows(db, "station_forecasts",
                 "quantity = 'day_maximum' AND issued_at = '" + to_sql_datetime(issue) + "'"));
  EXPECT_EQ(query_value(db,
                        "SELECT COUNT(DISTINCT dataset_id) FROM station_forecasts WHERE"
                        " quantity = 'day_maximum' AND issued_at = '" +
                            to_sql_datetime(issue) + "'"),
            std::to_string(kStations));
  EXPECT_LE(std::stoul(query_value(db, "SELECT COUNT(DISTINCT issued_at) FROM station_forecasts")),
            48u)
      << "at most the newest 48 hours are issued";
  // The first run's older issues have their targets stored already: scored at once.
  EXPECT_GT(count_rows(db, "forecast_skill", "skill_window = 'live'"), 0u);
  EXPECT_EQ(query_value(db,
                        "SELECT COUNT(*) FROM station_forecasts f JOIN station_hourly_weather h"
                        " ON h.source = f.source AND h.dataset_id = f.dataset_id"
                        " AND h.hour = f.target_time WHERE f.quantity = 'temperature'"
                        " AND h.temperature_mean IS NOT NULL AND f.observed IS NULL"),
            "0")
      << "every forecast whose target hour is stored is scored";

  // docs/operations.md's line, verbatim: the backtest's table.
  const std::vector<std::string> documented = documented_command("meteo-etl query forecast-skill");
  ASSERT_EQ(documented, (std::vector<std::string>{"query", "forecast-skill", "--source", kSource,
                                                  "--format", "csv"}));
  const auto skill = meteo(documented);
  ASSERT_EQ(skill.exit_code, 0) << describe(skill);
  const auto lines = lines_of(skill.out);
  ASSERT_FALSE(lines.empty());
  std::size_t backtest_lines = 0;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    EXPECT_EQ(lines[i].rfind(std::string(kSource) + ",", 0), 0u) << lines[i];
    if (contains(lines[i], ",backtest,")) ++backtest_lines;
  }
  EXPECT_EQ(backtest_lines, count_rows(db, "forecast_skill", "skill_window = 'backtest'"))
      << skill.out;
  EXPECT_GE(backtest_lines, static_cast<std::size_t>(kStations) * 7) << skill.out;
  EXPECT_TRUE(contains(lines[0], "skill_vs_persistence") ||
              contains(lines[0], "SkillVsPersistence"))
      << lines[0];

  // An hour later: the hour `issue` forecast an hour ahead is observed and scored.
  {
    PortalSim portal(portal_options(now_ + hours(1), days(31), {}, kStations));
    write_config(portal, days(31));
    ASSERT_NO_FATAL_FAILURE(run_ok({"run"}));
  }
  EXPECT_EQ(forecasts_at(db, now_, "temperature"), expected) << "the new hour is issued";
  const std::string first_issue_1h =
      "quantity = 'temperature' AND horizon_h = 1 AND issued_at = '" + to_sql_datetime(issue) + "'";
  const std::size_t one_hour = count_rows(db, "station_forecasts", first_issue_1h);
  EXPECT_GE(one_hour, static_cast<std::size_t>(kStations) * 2);
  EXPECT_EQ(count_rows(db, "station_forecasts",
                       first_issue_1h + " AND observed IS NOT NULL AND abs_error IS NOT NULL"),
            one_hour);
  EXPECT_EQ(query_value(db,
                        "SELECT COUNT(*) FROM station_forecasts f JOIN station_hourly_weather h"
                        " ON h.source = f.source AND h.dataset_id = f.dataset_id AND h.hour ="
                        " f.target_time WHERE f." +
                            first_issue_1h +
                            " AND f.observed = h.temperature_mean"
                            " AND ABS(f.abs_error - ABS(f.value - f.observed)) < 1e-9"),
            std::to_string(one_hour))
      << "observed is the target hour's mean";
  EXPECT_GE(count_rows(db, "forecast_skill", "skill_window = 'live' AND horizon_h = 1"),
            static_cast<std::size_t>(kStations) * 2);
  EXPECT_EQ(count_rows(db, "forecast_skill",
                       "skill_window = 'live' AND quantity = 'temperature' AND"
                       " model = 'persistence' AND horizon_h = 1 AND cases >= 1 AND"
                       " skill_vs_persistence = 0"),
            static_cast<std::size_t>(kStations));
}

TEST_F(Forecasts, ARerunKeepsWhatWasSaidAndABackfillIssuesItsNewest48Hours) {
  PortalSim portal(portal_options(now_, days(31), {}, 1));
  write_config(portal, days(31));
  ASSERT_NO_FATAL_FAILURE(prepare_database());
  ASSERT_NO_FATAL_FAILURE(run_ok({"run"}));
  Database db = database_.connect();
  const auto said = [&] {
    return query_contents(db,
                          "SELECT dataset_id, quantity, issued_at, horizon_h, model, target_time,"
                          " value, shown, run_id FROM station_forecasts ORDER BY 1, 2, 3, 4, 5");
  };
  const std::string first = said();
  ASSERT_NO_FATAL_FAILURE(run_ok({"run"}));
  EXPECT_EQ(said(), first) << "an issue is written once";

  // A backfill two days wide, a week ago: its newest 48 hours are issued, each once.
  const UtcSeconds to = now_ - days(7);
  ASSERT_NO_FATAL_FAILURE(
      run_ok({"backfill", "--from", hour_argument(to - days(2)), "--to", hour_argument(to)}));
  const std::string window = "issued_at >= '" + to_sql_datetime(to - days(2)) +
                             "' AND issued_at < '" + to_sql_datetime(to) + "'";
  EXPECT_EQ(query_value(db, "SELECT COUNT(DISTINCT issued_at) FROM station_forecasts WHERE " +
                                window + " AND quantity = 'temperature'"),
            "48");
  EXPECT_EQ(
      query_value(db, "SELECT CAST(MAX(issued_at) AS CHAR) FROM station_forecasts WHERE " + window),
      to_sql_datetime(to - hours(1)));
  EXPECT_EQ(count_rows(db, "station_forecasts",
                       window + " AND quantity = 'temperature' AND horizon_h = 1 AND model = "
                                "'persistence' AND target_time = issued_at + INTERVAL 1 HOUR"),
            48u);
  const std::string backfilled = said();
  ASSERT_NO_FATAL_FAILURE(
      run_ok({"backfill", "--from", hour_argument(to - days(2)), "--to", hour_argument(to)}));
  EXPECT_EQ(said(), backfilled) << "the same backfill again issues nothing new";
}

TEST_F(Forecasts, AStationWithLessThanMinHistoryDaysGetsNone) {
  PortalSim portal(portal_options(now_, days(20), {}, 1));
  write_config(portal, days(20));
  ASSERT_NO_FATAL_FAILURE(prepare_database());
  ASSERT_NO_FATAL_FAILURE(run_ok({"run"}));
  Database db = database_.connect();
  EXPECT_GT(count_rows(db, "station_hourly_weather"), 24u * 19);
  EXPECT_EQ(count_rows(db, "station_forecasts"), 0u);
  EXPECT_EQ(count_rows(db, "forecast_skill"), 0u);
  const auto skill = meteo(documented_command("meteo-etl query forecast-skill"));
  EXPECT_EQ(skill.exit_code, 0) << describe(skill);
  EXPECT_EQ(skill.out.find(kWindy), std::string::npos) << skill.out;
}

// A first run or a backfill issues up to 48 hours per station whose targets it stored too:
// they are scored by that run, not left NULL for good.
TEST_F(Forecasts, EveryForecastWhoseTargetIsStoredIsScored) {
  PortalSim portal(portal_options(now_, days(31), {}, 1));
  write_config(portal, days(31));
  ASSERT_NO_FATAL_FAILURE(prepare_database());
  ASSERT_NO_FATAL_FAILURE(run_ok({"run"}));
  ASSERT_NO_FATAL_FAILURE(run_ok({"run"}));
  Database db = database_.connect();
  ASSERT_GT(count_rows(db, "station_forecasts", "quantity = 'temperature'"), 48u * 6);
  EXPECT_EQ(query_value(db,
                        "SELECT COUNT(*) FROM station_forecasts f JOIN station_hourly_weather h"
                        " ON h.source = f.source AND h.dataset_id = f.dataset_id AND h.hour ="
                        " f.target_time WHERE f.quantity = 'temperature' AND"
                        " h.temperature_mean IS NOT NULL AND f.observed IS NULL"),
            "0")
      << "forecasts whose target hour is stored but that were never scored";
}

}  // namespace
}  // namespace meteo::testing
