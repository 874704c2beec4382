// Time windows of sources that read a past span on request (station networks, air-quality layers):
// the cut of a backfill into requests, and the window an incremental run reads from its watermark.
#pragma once

#include <chrono>
#include <optional>
#include <vector>

#include "meteo/core/time.hpp"

namespace meteo {

struct TimeWindow {
  UtcSeconds from;  // inclusive
  UtcSeconds to;    // exclusive
};

// Cuts [from, to) into consecutive windows of at most `length`.
std::vector<TimeWindow> split_window(TimeWindow whole, std::chrono::hours length);

}  // namespace meteo

namespace meteo::sources {

// How far an incremental run of one partition reads.
struct WindowPolicy {
  std::optional<UtcSeconds> start;  // where the first run begins; none: max_catch_up before now
  std::chrono::hours lookback{2};   // re-read behind the watermark, so late corrections land
  std::chrono::hours max_catch_up{24 * 7};  // per partition and run: the rest follows next run
};

// From the watermark minus the lookback (never before `start`) to now, at most max_catch_up past
// the watermark. A first run (no watermark) reads from `start`, or the last max_catch_up hours.
// Never an inverted window: a watermark ahead of now gives an empty one.
TimeWindow incremental_window(const WindowPolicy& policy, std::optional<UtcSeconds> watermark,
                              UtcSeconds now);

}  // namespace meteo::sources
