// Local calendar days of a time zone and their UTC bounds, for the daily station aggregates: a
// day runs from one local midnight to the next, 23 or 25 hours on the days the clocks change.
// Time zones come from the system's tzdata (Howard Hinnant's date library), never from the
// process's TZ.
#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "meteo/core/time.hpp"
#include "meteo/model/records.hpp"

namespace date {
class time_zone;
}

namespace meteo::aggregate {

// One local day and the UTC instants it covers: [start, end).
struct LocalDay {
  std::chrono::year_month_day day;
  UtcSeconds start;
  UtcSeconds end;
  bool operator==(const LocalDay&) const = default;
};

class LocalCalendar {
 public:
  // Throws Error(config) naming the zone when tzdata does not know it.
  explicit LocalCalendar(const std::string& time_zone);

  // The local day holding `moment`.
  std::chrono::year_month_day day_of(UtcSeconds moment) const;

  // The UTC bounds of a local day. A midnight the clocks skip starts the day at the change.
  LocalDay bounds(std::chrono::year_month_day day) const;

  // The local days of a set of moments, each once, in order.
  std::vector<LocalDay> days_of(const std::set<UtcSeconds>& moments) const;

 private:
  const date::time_zone* zone_;
};

// "2023-03-26" <-> year_month_day. parse_local_date throws Error(usage) naming the text.
std::string to_date_text(std::chrono::year_month_day day);
std::chrono::year_month_day parse_local_date(const std::string& text);

// Whether a day's rain total makes it a heavy-rain day; unknown without a rain total.
std::optional<bool> is_heavy_rain(const std::optional<double>& rain_sum_mm, double threshold_mm);

// One station's weather over one local day. A figure without any value that day is missing.
struct DayWeather {
  LocalDay day;
  std::optional<double> temperature_mean, temperature_min, temperature_max, pressure_mean,
      wind_mean, gust_max, rain_sum;
  std::size_t hours_observed = 0;  // distinct UTC hours holding an observation
};

// The days of `days` (in order) that hold at least one of `observations` (in observed_at
// order). Means and sums add the values in that order, as SQL's AVG and SUM over the same rows
// read in key order do, so a day gives the same figures however its rows were loaded.
std::vector<DayWeather> daily_weather(const std::vector<LocalDay>& days,
                                      const std::vector<WeatherObservation>& observations);

}  // namespace meteo::aggregate
