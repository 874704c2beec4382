// The hours `run` verifies with [verify] after_run: every hour the run touched, not only its own.
#include "../../../src/pipeline/verify_after_run.hpp"

#include <gtest/gtest.h>

#include "meteo/core/time.hpp"
#include "meteo/store/verify.hpp"

namespace meteo::pipeline {
namespace {

UtcSeconds hour(const std::string& text) {
  return parse_hour(text);
}

TEST(SensorRunWindow, RunsFromTheEarliestHourWrittenToTheRunHour) {
  const VerifyWindow window =
      sensor_run_window(hour("2026-11-22T06"), hour("2026-11-22T03"), hour("2026-11-22T06"));
  EXPECT_EQ(window.from, hour("2026-11-22T03"));
  EXPECT_EQ(window.to, hour("2026-11-22T07"));
}

TEST(SensorRunWindow, IsTheRunHourWhenNothingWasWritten) {
  const VerifyWindow window = sensor_run_window(hour("2026-11-22T06"), std::nullopt, std::nullopt);
  EXPECT_EQ(window.from, hour("2026-11-22T06"));
  EXPECT_EQ(window.to, hour("2026-11-22T07"));
}

// A run older than the source's newest may have moved readings back from later hours, whose
// aggregates it recomputed: those hours are verified too.
TEST(SensorRunWindow, ReachesTheNewestRunHourWhenTheRunIsOlder) {
  const VerifyWindow window =
      sensor_run_window(hour("2026-11-22T06"), hour("2026-11-22T06"), hour("2026-11-22T08"));
  EXPECT_EQ(window.from, hour("2026-11-22T06"));
  EXPECT_EQ(window.to, hour("2026-11-22T09"));
}

TEST(StationRunWindow, CoversTheMeasurementHoursAndTheRunHour) {
  std::optional<HourSpan> observed;
  widen(observed, hour("2026-11-22T04") + std::chrono::minutes(45));
  widen(observed, hour("2026-11-22T02") + std::chrono::minutes(15));
  widen(observed, hour("2026-11-22T03"));
  ASSERT_TRUE(observed);
  EXPECT_EQ(observed->first, hour("2026-11-22T02"));
  EXPECT_EQ(observed->last, hour("2026-11-22T04"));

  const VerifyWindow window = station_run_window(hour("2026-11-22T06"), observed);
  EXPECT_EQ(window.from, hour("2026-11-22T02"));
  EXPECT_EQ(window.to, hour("2026-11-22T07"));
}

TEST(StationRunWindow, ReachesObservationsAfterAnOlderRunHour) {
  std::optional<HourSpan> observed;
  widen(observed, hour("2026-11-22T09") + std::chrono::minutes(30));
  const VerifyWindow window = station_run_window(hour("2026-11-22T06"), observed);
  EXPECT_EQ(window.from, hour("2026-11-22T06"));
  EXPECT_EQ(window.to, hour("2026-11-22T10"));
}

TEST(StationRunWindow, IsTheRunHourWithoutObservations) {
  const VerifyWindow window = station_run_window(hour("2026-11-22T06"), std::nullopt);
  EXPECT_EQ(window.from, hour("2026-11-22T06"));
  EXPECT_EQ(window.to, hour("2026-11-22T07"));
}

}  // namespace
}  // namespace meteo::pipeline
