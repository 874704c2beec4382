#include "meteo/sources/windows.hpp"

#include <algorithm>

#include "meteo/core/errors.hpp"

namespace meteo {

std::vector<TimeWindow> split_window(TimeWindow whole, std::chrono::hours length) {
  if (length <= std::chrono::hours::zero()) {
    throw Error(ExitCode::software, "split_window: the window length must be positive");
  }
  std::vector<TimeWindow> windows;
  for (UtcSeconds start = whole.from; start < whole.to; start += length) {
    windows.push_back({start, std::min<UtcSeconds>(start + length, whole.to)});
  }
  return windows;
}

}  // namespace meteo

namespace meteo::sources {

TimeWindow incremental_window(const WindowPolicy& policy, std::optional<UtcSeconds> watermark,
                              UtcSeconds now) {
  const UtcSeconds first = policy.start.value_or(now - policy.max_catch_up);
  if (!watermark) return {first, std::max(first, std::min(now, first + policy.max_catch_up))};
  const UtcSeconds behind = *watermark - policy.lookback;
  const UtcSeconds from = policy.start ? std::max(*policy.start, behind) : behind;
  const UtcSeconds to = std::min(now, *watermark + policy.max_catch_up);
  return {from, std::max(from, to)};
}

}  // namespace meteo::sources
