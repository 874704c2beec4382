// Alerts re-detected inside the station load's transaction (migration 0008): the judged events
// give exactly their alert, re-runs and backfills change nothing, a correction withdraws, and the
// notification outbox holds one row per change.
#include <gtest/gtest.h>

#include "meteo/store/alerts.hpp"
#include "meteo/store/ledger.hpp"
#include "meteo/store/stations.hpp"
#include "station_fixtures.hpp"

namespace meteo::testing {
namespace {

// Quarter-hour records of a calm winter day from `first` for `count` records, 5 °C, 10 km/h.
std::vector<WeatherObservation> calm_records(const std::string& first, int count) {
  std::vector<WeatherObservation> records;
  for (int i = 0; i < count; ++i) {
    const UtcSeconds moment = at(first) + std::chrono::minutes(15 * i);
    auto record = observation(kStationA, to_sql_datetime(moment), 5);
    record.wind_speed_kmh = 10;
    record.gust_kmh = 20;
    records.push_back(record);
  }
  return records;
}

void set_gust(std::vector<WeatherObservation>& records, const std::string& when, double gust) {
  for (auto& record : records) {
    if (record.observed_at == at(when)) record.gust_kmh = gust;
  }
}

class StationAlerts : public StationStoreTest {
 protected:
  StationAlerts() {
    sync_default_stations();
    settings_.command = "cat > /dev/null";
  }

  RunCounts load(std::vector<WeatherObservation> records) {
    const auto run_id = begin_run(db_, kStationSource, run_hour_);
    StationBatch batch = station_batch(run_id, kStationA, std::move(records));
    batch.alerts = &settings_;
    batch.now = now_;
    return load_station_batch(db_, batch);
  }

  Rows alerts() {
    return sql_rows(db_,
                    "SELECT kind, level, scope_type, scope_id, start_at, end_at, peak_value,"
                    " threshold, unit, withdrawn_at IS NOT NULL FROM alerts ORDER BY id");
  }
  Rows notifications() {
    return sql_rows(db_,
                    "SELECT alert_id, event, level, status FROM alert_notifications ORDER BY id");
  }
  Rows triggers() {
    return sql_rows(db_, "SELECT alert_id, triggered_at FROM alert_triggers ORDER BY 1, 2");
  }

  alerts::AlertSettings settings_;
  UtcSeconds now_ = at("2026-11-22 12:00:00");
};

TEST_F(StationAlerts, AGustOf105KmhDuringOneRecordOpensOneOrangeAlertThatClosesAfterTheQuietHours) {
  auto records = calm_records("2026-11-22 06:00:00", 8);  // up to 07:45
  set_gust(records, "2026-11-22 06:30:00", 105);
  load(records);
  EXPECT_EQ(alerts(), (Rows{{"strong_wind", "orange", "station", kStationA, "2026-11-22 06:30:00",
                             std::nullopt, "105", "100", "km/h", "0"}}))
      << "open: fewer than quiet_hours of calm after the gust";
  EXPECT_EQ(triggers(), (Rows{{"1", "2026-11-22 06:30:00"}}));
  EXPECT_EQ(notifications(), (Rows{{"1", "opened", "orange", "pending"}}));

  load(calm_records("2026-11-22 08:00:00", 8));  // calm until 09:45: three hours passed
  EXPECT_EQ(alerts(), (Rows{{"strong_wind", "orange", "station", kStationA, "2026-11-22 06:30:00",
                             "2026-11-22 06:45:00", "105", "100", "km/h", "0"}}));
  EXPECT_EQ(notifications(),
            (Rows{{"1", "opened", "orange", "pending"}, {"1", "closed", "orange", "pending"}}));
}

TEST_F(StationAlerts, ReloadingAndBackfillingTheSameRecordsChangesNothing) {
  auto records = calm_records("2026-11-22 06:00:00", 24);
  set_gust(records, "2026-11-22 06:30:00", 105);
  set_gust(records, "2026-11-22 07:00:00", 85);
  load(records);
  const Rows first = sql_rows(db_, "SELECT * FROM alerts ORDER BY id");
  const Rows outbox = sql_rows(db_, "SELECT * FROM alert_notifications ORDER BY id");
  ASSERT_EQ(first.size(), 1u);
  load(records);                                                              // the same hour again
  load(std::vector<WeatherObservation>(records.begin() + 4, records.end()));  // a backfill's part
  EXPECT_EQ(sql_rows(db_, "SELECT * FROM alerts ORDER BY id"), first);
  EXPECT_EQ(sql_rows(db_, "SELECT * FROM alert_notifications ORDER BY id"), outbox);
}

TEST_F(StationAlerts, ACorrectionThatRemovesTheGustWithdrawsTheAlertAndKeepsIt) {
  auto records = calm_records("2026-11-22 06:00:00", 24);
  set_gust(records, "2026-11-22 06:30:00", 105);
  load(records);
  set_gust(records, "2026-11-22 06:30:00", 40);  // the partner corrects the record
  load(records);
  EXPECT_EQ(alerts(), (Rows{{"strong_wind", "orange", "station", kStationA, "2026-11-22 06:30:00",
                             "2026-11-22 06:45:00", "105", "100", "km/h", "1"}}));
  EXPECT_EQ(notifications(), (Rows{{"1", "opened", "orange", "pending"},
                                   {"1", "closed", "orange", "pending"},
                                   {"1", "withdrawn", "orange", "pending"}}));
  AlertFilter active;
  active.active_only = true;
  EXPECT_TRUE(query_alerts(db_, active).empty());
  AlertFilter everything;
  everything.include_withdrawn = true;
  ASSERT_EQ(query_alerts(db_, everything).size(), 1u);
  EXPECT_TRUE(query_alerts(db_, everything)[0].withdrawn_at.has_value());
}

TEST_F(StationAlerts, AnEscalationIsNotifiedOnceAndTheAlertKeepsItsId) {
  auto records = calm_records("2026-11-22 06:00:00", 4);
  set_gust(records, "2026-11-22 06:30:00", 85);
  load(records);
  auto later = calm_records("2026-11-22 07:00:00", 4);
  set_gust(later, "2026-11-22 07:15:00", 110);
  load(later);
  load(later);
  EXPECT_EQ(sql_value(db_, "SELECT COUNT(*) FROM alerts"), "1");
  EXPECT_EQ(sql_value(db_, "SELECT CONCAT(level, ' ', peak_value) FROM alerts"), "orange 110");
  EXPECT_EQ(notifications(),
            (Rows{{"1", "opened", "yellow", "pending"}, {"1", "escalated", "orange", "pending"}}));
}

TEST_F(StationAlerts, ChangesToAlertsThatEndedLongAgoAreRecordedNotSent) {
  now_ = at("2026-12-05 12:00:00");  // a backfill of last month
  auto records = calm_records("2026-11-22 06:00:00", 24);
  set_gust(records, "2026-11-22 06:30:00", 105);
  load(records);
  EXPECT_EQ(notifications(),
            (Rows{{"1", "opened", "orange", "not_sent"}, {"1", "closed", "orange", "not_sent"}}));
}

TEST_F(StationAlerts, WithoutACommandNothingIsPending) {
  settings_.command.clear();
  auto records = calm_records("2026-11-22 06:00:00", 4);
  set_gust(records, "2026-11-22 06:30:00", 105);
  load(records);
  EXPECT_EQ(notifications(), (Rows{{"1", "opened", "orange", "not_sent"}}));
  EXPECT_TRUE(pending_notifications(db_, 10).empty());
}

TEST_F(StationAlerts, AClaimedNotificationIsTakenOnceAndItsOutcomeRecordedWhateverItsBytes) {
  auto records = calm_records("2026-11-22 06:00:00", 4);
  set_gust(records, "2026-11-22 06:30:00", 105);
  load(records);
  const auto pending = pending_notifications(db_, 10);
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_NE(pending[0].payload.find("\"kind\":\"strong_wind\""), std::string::npos)
      << pending[0].payload;
  EXPECT_TRUE(claim_notification(db_, pending[0].id));
  EXPECT_FALSE(claim_notification(db_, pending[0].id)) << "a second run must not send it again";
  record_notification(db_, pending[0].id, {false, 7, std::string("bad \xff bytes")});
  EXPECT_EQ(sql_rows(db_, "SELECT status, exit_code, message FROM alert_notifications"),
            (Rows{{"failed", "7", "bad \\xFF bytes"}}))
      << "invalid bytes are kept, escaped";
}

TEST_F(StationAlerts, AColdWindyNightGivesGrandFroidWithItsWindChill) {
  auto records = calm_records("2026-11-22 00:00:00", 8);
  for (auto& record : records) {
    record.temperature_c = -5;
    record.wind_speed_kmh = 30;  // wind chill -13.0
  }
  load(records);
  EXPECT_EQ(sql_value(db_, "SELECT CONCAT(kind, ' ', level) FROM alerts"),
            "severe_cold grand_froid");
  EXPECT_EQ(sql_value(db_, "SELECT ROUND(peak_value, 1) FROM alerts"), "-13.0");
}

}  // namespace
}  // namespace meteo::testing
