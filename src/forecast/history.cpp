#include "history.hpp"

#include <algorithm>
#include <chrono>

namespace meteo::forecast {
namespace {

constexpr long kSecondsPerHour = 3600;

long hours_since_epoch(UtcSeconds moment) {
  const long seconds = moment.time_since_epoch().count();
  return seconds >= 0 ? seconds / kSecondsPerHour
                      : -((-seconds + kSecondsPerHour - 1) / kSecondsPerHour);
}

}  // namespace

int History::hour_of_day(HourIndex hour) const {
  const long absolute = hours_since_epoch(first_hour) + hour;
  return static_cast<int>(((absolute % 24) + 24) % 24);
}

UtcSeconds History::time_of(HourIndex hour) const {
  return first_hour + std::chrono::hours(hour);
}

History history_up_to(const HourlySeries& series, UtcSeconds issued_at, std::size_t hours) {
  const long issue_hour = hours_since_epoch(issued_at);
  const long series_first = hours_since_epoch(series.first_hour);
  const long first = std::max(series_first, issue_hour - static_cast<long>(hours) + 1);
  History history;
  history.first_hour = UtcSeconds{std::chrono::seconds(first * kSecondsPerHour)};
  if (issue_hour < first) {
    return history;
  }
  const auto length = static_cast<std::size_t>(issue_hour - first + 1);
  history.temperature.assign(length, kMissing);
  history.pressure.assign(length, kMissing);
  for (std::size_t i = 0; i < length; ++i) {
    const auto source = static_cast<std::size_t>(first - series_first) + i;
    if (source < series.temperature.size()) {
      history.temperature[i] = series.temperature[source];
    }
    if (source < series.pressure.size()) {
      history.pressure[i] = series.pressure[source];
    }
  }
  return history;
}

std::size_t observed_hours(const History& history) {
  return static_cast<std::size_t>(std::count_if(history.temperature.begin(),
                                                history.temperature.end(),
                                                [](double value) { return !std::isnan(value); }));
}

}  // namespace meteo::forecast
