// The archive's naming scheme: the partition and file name carry the source, hour, fetch time,
// run and sequence, so the archive can be listed and replayed without the database.
#include <cstdio>
#include <regex>

#include "meteo/archive/raw_archive.hpp"

namespace meteo {

namespace {

std::string two_digits(unsigned value) {
  char text[8];
  std::snprintf(text, sizeof text, "%02u", value % 100);
  return text;
}

// 20261122T061502.123456Z: sortable, and free of ':' which some tools dislike in file names.
std::string compact_utc(UtcMicros moment) {
  const auto day = std::chrono::floor<std::chrono::days>(moment);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss time{moment - day};
  char text[40];
  std::snprintf(text, sizeof text, "%04d%02u%02uT%02d%02d%02d.%06lldZ", int(date.year()),
                unsigned(date.month()), unsigned(date.day()), int(time.hours().count()),
                int(time.minutes().count()), int(time.seconds().count()),
                static_cast<long long>(time.subseconds().count()));
  return text;
}

UtcMicros utc_from_fields(int year, unsigned month, unsigned day, int hour, int minute, int second,
                          long long micros) {
  const std::chrono::sys_days date = std::chrono::year{year} / month / day;
  return date + std::chrono::hours(hour) + std::chrono::minutes(minute) +
         std::chrono::seconds(second) + std::chrono::microseconds(micros);
}

}  // namespace

std::filesystem::path archive_path(const PayloadOrigin& origin) {
  const auto day = std::chrono::floor<std::chrono::days>(origin.hour);
  const std::chrono::year_month_day date{day};
  const auto hour = std::chrono::duration_cast<std::chrono::hours>(origin.hour - day).count();
  char partition_date[16];
  std::snprintf(partition_date, sizeof partition_date, "%04d-%02u-%02u", int(date.year()),
                unsigned(date.month()), unsigned(date.day()));
  const std::string file = compact_utc(origin.fetched_at) + "-run" + std::to_string(origin.run_id) +
                           "-" + std::to_string(origin.sequence) + ".json.gz";
  return std::filesystem::path("source=" + origin.source) /
         (std::string("date=") + partition_date) /
         ("hour=" + two_digits(static_cast<unsigned>(hour))) / file;
}

std::optional<PayloadOrigin> parse_archive_path(const std::filesystem::path& relative_path) {
  static const std::regex pattern(
      R"(source=([A-Za-z0-9_.-]+)/date=(\d{4})-(\d{2})-(\d{2})/hour=(\d{2})/)"
      R"((\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})\.(\d{6})Z-run(\d+)-(\d+)\.json\.gz)");
  std::smatch match;
  const std::string text = relative_path.generic_string();
  if (!std::regex_match(text, match, pattern)) return std::nullopt;
  const auto number = [&](int group) { return std::stoll(match[group].str()); };
  if (number(3) < 1 || number(3) > 12 || number(4) < 1 || number(4) > 31 || number(5) > 23) {
    return std::nullopt;
  }
  PayloadOrigin origin;
  origin.source = match[1].str();
  origin.hour = std::chrono::time_point_cast<std::chrono::seconds>(utc_from_fields(
      int(number(2)), unsigned(number(3)), unsigned(number(4)), int(number(5)), 0, 0, 0));
  origin.fetched_at = utc_from_fields(int(number(6)), unsigned(number(7)), unsigned(number(8)),
                                      int(number(9)), int(number(10)), int(number(11)), number(12));
  origin.run_id = number(13);
  origin.sequence = int(number(14));
  return origin;
}

}  // namespace meteo
