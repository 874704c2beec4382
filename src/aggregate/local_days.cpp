#include "meteo/aggregate/local_days.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <stdexcept>

#include "meteo/core/errors.hpp"

namespace meteo::aggregate {

namespace {

const date::time_zone* locate(const std::string& time_zone) {
  try {
    return date::locate_zone(time_zone);
  } catch (const std::runtime_error& error) {
    throw Error(ExitCode::config, "time zone \"" + time_zone +
                                      "\" is not in the system's tzdata (" + error.what() + ")");
  }
}

}  // namespace

LocalCalendar::LocalCalendar(const std::string& time_zone) : zone_(locate(time_zone)) {}

std::chrono::year_month_day LocalCalendar::day_of(UtcSeconds moment) const {
  const auto local = zone_->to_local(moment);
  return std::chrono::year_month_day{
      std::chrono::sys_days{std::chrono::days{date::floor<date::days>(local).time_since_epoch()}}};
}

LocalDay LocalCalendar::bounds(std::chrono::year_month_day day) const {
  const auto midnight = [this](std::chrono::sys_days local_day) {
    // earliest: an ambiguous midnight is the first one; a skipped one becomes the change itself.
    return zone_->to_sys(date::local_seconds{local_day.time_since_epoch()}, date::choose::earliest);
  };
  const std::chrono::sys_days first{day};
  return {day, midnight(first), midnight(first + std::chrono::days(1))};
}

std::vector<LocalDay> LocalCalendar::days_of(const std::set<UtcSeconds>& moments) const {
  std::set<std::chrono::sys_days> days;
  for (const auto moment : moments) days.insert(std::chrono::sys_days{day_of(moment)});
  std::vector<LocalDay> bounded;
  for (const auto day : days) bounded.push_back(bounds(std::chrono::year_month_day{day}));
  return bounded;
}

std::string to_date_text(std::chrono::year_month_day day) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(day.year()),
                static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
  return text;
}

std::chrono::year_month_day parse_local_date(const std::string& text) {
  std::istringstream in(text);
  date::year_month_day parsed{};
  in >> date::parse("%F", parsed);
  if (!in || in.peek() != std::char_traits<char>::eof() || text.size() != 10) {
    throw Error(ExitCode::usage, "\"" + text + "\" is not a date (YYYY-MM-DD)");
  }
  return std::chrono::year_month_day{
      std::chrono::sys_days{date::sys_days{parsed}.time_since_epoch()}};
}

std::optional<bool> is_heavy_rain(const std::optional<double>& rain_sum_mm, double threshold_mm) {
  if (!rain_sum_mm) return std::nullopt;
  return *rain_sum_mm >= threshold_mm;
}

namespace {

// A mean or a sum of the values present, in the order they are added.
class Accumulator {
 public:
  void add(const std::optional<double>& value) {
    if (!value) return;
    sum_ += *value;
    ++count_;
    lowest_ = count_ == 1 ? *value : std::min(lowest_, *value);
    highest_ = count_ == 1 ? *value : std::max(highest_, *value);
  }
  std::optional<double> mean() const {
    return count_ == 0 ? std::nullopt : std::optional(sum_ / static_cast<double>(count_));
  }
  std::optional<double> sum() const { return count_ == 0 ? std::nullopt : std::optional(sum_); }
  std::optional<double> lowest() const {
    return count_ == 0 ? std::nullopt : std::optional(lowest_);
  }
  std::optional<double> highest() const {
    return count_ == 0 ? std::nullopt : std::optional(highest_);
  }

 private:
  double sum_ = 0;
  double lowest_ = 0;
  double highest_ = 0;
  std::size_t count_ = 0;
};

}  // namespace

std::vector<DayWeather> daily_weather(const std::vector<LocalDay>& days,
                                      const std::vector<WeatherObservation>& observations) {
  std::vector<DayWeather> weather;
  auto next = observations.begin();
  for (const auto& day : days) {
    while (next != observations.end() && next->observed_at < day.start) ++next;
    Accumulator temperature, pressure, wind, gust, rain;
    std::set<UtcSeconds> hours;
    for (; next != observations.end() && next->observed_at < day.end; ++next) {
      temperature.add(next->temperature_c);
      pressure.add(next->pressure_hpa);
      wind.add(next->wind_speed_kmh);
      gust.add(next->gust_kmh);
      rain.add(next->rain_mm);
      hours.insert(floor_to_hour(next->observed_at));
    }
    if (hours.empty()) continue;
    weather.push_back({day, temperature.mean(), temperature.lowest(), temperature.highest(),
                       pressure.mean(), wind.mean(), gust.highest(), rain.sum(), hours.size()});
  }
  return weather;
}

}  // namespace meteo::aggregate
