// Payloads may be loaded in any order (replays, parallel replay jobs): a reading ends with the
// values of its newest payload and in the earliest hour that carried it.
#include <gtest/gtest.h>

#include <algorithm>

#include "meteo/store/ledger.hpp"
#include "meteo/store/run_load.hpp"
#include "store_fixtures.hpp"

namespace meteo::testing {
namespace {

struct Payload {
  UtcSeconds hour;
  std::vector<MatchedReading> readings;
};

UtcMicros fetched_during(UtcSeconds hour) {
  return hour + std::chrono::minutes(5);
}

class PayloadOrder : public StoreTest {
 protected:
  RunCounts load_payload(const Payload& payload) {
    const auto run_id = begin_run(db_, "sensors", payload.hour);
    RunBatch run = batch(run_id, payload.hour, payload.readings);
    run.fetched_at = fetched_during(payload.hour);
    return load_run(db_, run);
  }

  // What a consumer sees: no run ids, which differ between orders by construction.
  Rows result() {
    Rows rows = sql_rows(db_,
                         "SELECT reading_id, hour, temperature, latitude, fetched_at"
                         " FROM sensor_readings ORDER BY reading_id");
    for (auto& row : sql_rows(db_,
                              "SELECT reading_id, region_code FROM reading_regions"
                              " ORDER BY reading_id")) {
      rows.push_back(row);
    }
    for (auto& row : aggregates()) rows.push_back(row);
    return rows;
  }

  void clear_data() {
    for (const char* table :
         {"reading_extra_regions", "sensor_readings", "region_hourly_temperature"}) {
      db_.execute(std::string("DELETE FROM ") + table);
    }
  }
};

const UtcSeconds kH1 = at("2026-11-22 06:00:00");
const UtcSeconds kH2 = at("2026-11-22 07:00:00");
const UtcSeconds kH3 = at("2026-11-22 08:00:00");

// "a" goes 10 -> 14 -> back to 10 and moves region; "b" appears late; "c" only early.
std::vector<Payload> history() {
  return {{kH1, {matched("a", 10.0, 0), matched("c", 3.0, 1)}},
          {kH2, {matched("a", 14.0, 1), matched("b", 5.0, 0)}},
          {kH3, {matched("a", 10.0, 0), matched("b", 6.0, 0)}}};
}

TEST_F(PayloadOrder, EveryOrderEndsWhereTheChronologicalOrderEnds) {
  auto payloads = history();
  for (const auto& payload : payloads) load_payload(payload);
  const Rows chronological = result();
  EXPECT_EQ(sql_rows(db_, "SELECT hour, temperature FROM sensor_readings WHERE reading_id = 'a'"),
            (Rows{{"2026-11-22 06:00:00", "10"}}));

  std::vector<std::size_t> order{0, 1, 2};
  while (std::next_permutation(order.begin(), order.end())) {
    clear_data();
    for (std::size_t index : order) load_payload(payloads[index]);
    EXPECT_EQ(result(), chronological) << "order " << order[0] << order[1] << order[2];
  }
}

TEST_F(PayloadOrder, AnOlderPayloadLoadedAgainChangesNothing) {
  auto payloads = history();
  for (const auto& payload : payloads) load_payload(payload);
  const auto before = result();
  const auto counts = load_payload(payloads[1]);
  EXPECT_EQ(counts.corrections, 0u);
  EXPECT_EQ(counts.stored, 0u);
  EXPECT_EQ(counts.unchanged, 2u);
  EXPECT_EQ(result(), before);
}

TEST_F(PayloadOrder, AnEarlierPayloadMovesAReadingToItsFirstHour) {
  const auto payloads = history();
  load_payload(payloads[2]);  // "a" first seen at 08:00
  EXPECT_EQ(sql_value(db_, "SELECT hour FROM sensor_readings WHERE reading_id = 'a'"),
            "2026-11-22 08:00:00");
  load_payload(payloads[0]);  // the 06:00 payload, replayed afterwards
  EXPECT_EQ(sql_rows(db_, "SELECT hour, temperature FROM sensor_readings WHERE reading_id = 'a'"),
            (Rows{{"2026-11-22 06:00:00", "10"}}));
  // Both hours were recomputed: "a" left 08:00's aggregate for 06:00's.
  EXPECT_EQ(aggregates(), (Rows{{"2026-11-22 06:00:00", "11", "Île-de-France", "10", "1"},
                                {"2026-11-22 06:00:00", "84", "Auvergne-Rhône-Alpes", "3", "1"},
                                {"2026-11-22 08:00:00", "11", "Île-de-France", "6", "1"}}));
}

}  // namespace
}  // namespace meteo::testing
