#include "meteo/aggregate/local_days.hpp"

#include <date/date.h>
#include <date/tz.h>

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

}  // namespace meteo::aggregate
