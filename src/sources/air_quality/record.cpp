// Validation of one air-quality record, whichever front end read it.
#include "record.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <system_error>
#include <utility>

#include "../quoted_text.hpp"
#include "pollutants.hpp"

namespace meteo::air_quality {
namespace {

using Millis = std::chrono::sys_time<std::chrono::milliseconds>;
using std::chrono::hours;

constexpr std::size_t kMaxQuotedChars = 40;
constexpr std::string_view kHourlyMetric = "horaire";
// No network measured these pollutants this way before: an older date is a corrupt one.
constexpr auto kEarliest = std::chrono::sys_days{std::chrono::year{1990} / 1 / 1};
constexpr auto kFirstYear = std::chrono::sys_days{std::chrono::year{1} / 1 / 1};
constexpr auto kPastYear9999 = std::chrono::sys_days{std::chrono::year{10000} / 1 / 1};

std::string_view trimmed(std::string_view text) {
  constexpr std::string_view kSpaces = " \t\r\n";
  const std::size_t first = text.find_first_not_of(kSpaces);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kSpaces) - first + 1);
}

std::string trimmed_or_empty(const std::optional<std::string>& text) {
  return text ? std::string(trimmed(*text)) : std::string();
}

// "\"abc\"", shortened: how a reason quotes a value.
std::string quoted(std::string_view text) {
  return "\"" + sources_text::shortened(std::string(text), kMaxQuotedChars) + "\"";
}

std::optional<double> read_double(std::string_view text) {
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end) return std::nullopt;
  return value;
}

std::optional<std::int64_t> read_integer(std::string_view text) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end) return std::nullopt;
  return value;
}

bool read_digits(std::string_view text, std::size_t& at, std::size_t width, int& value) {
  if (at + width > text.size()) return false;
  value = 0;
  for (std::size_t i = at; i < at + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  at += width;
  return true;
}

bool skip(std::string_view text, std::size_t& at, char expected) {
  if (at >= text.size() || text[at] != expected) return false;
  ++at;
  return true;
}

// Milliseconds of ".000" (1 to 3 digits, right-padded) or of nothing.
std::optional<int> read_fraction(std::string_view text, std::size_t& at) {
  if (!skip(text, at, '.')) return 0;
  const std::size_t first = at;
  int millis = 0;
  while (at < text.size() && at - first < 3 && text[at] >= '0' && text[at] <= '9') {
    millis = millis * 10 + (text[at++] - '0');
  }
  if (at == first) return std::nullopt;
  for (std::size_t digits = at - first; digits < 3; ++digits) millis *= 10;
  return millis;
}

// Builds the record check by check; the first failure is the reason.
class Validator {
 public:
  Validator(const RawRecord& raw, const RecordForm& form, const AirQualityFields& fields,
            const AirQualityRules& rules)
      : raw_(raw), form_(form), fields_(fields), rules_(rules) {}

  // The trimmed text of a required attribute.
  std::optional<std::string_view> required(const std::optional<std::string>& attribute,
                                           const std::string& name) {
    if (!attribute) return fail("missing field " + name);
    const std::string_view text = trimmed(*attribute);
    if (text.empty()) return fail("field " + name + " is empty");
    return text;
  }

  std::optional<std::string> pollutant() {
    const auto name = required(raw_.pollutant, fields_.pollutant);
    const auto id_text = required(raw_.pollutant_id, fields_.pollutant_id);
    if (!name || !id_text) return std::nullopt;
    const auto known = find_pollutant(*name);
    if (!known) return fail("field " + fields_.pollutant + " " + quoted(*name) + " is unknown");
    const auto id = read_integer(*id_text);
    if (!id) {
      return fail("field " + fields_.pollutant_id + " " + quoted(*id_text) + " is not an integer");
    }
    if (*id != known->eu_code) {
      return fail("field " + fields_.pollutant_id + " " + quoted(*id_text) + " disagrees with " +
                  fields_.pollutant + " " + quoted(*name) + " (expected " +
                  std::to_string(known->eu_code) + ")");
    }
    return std::string(known->name);
  }

  std::optional<double> value() {
    const auto text = required(raw_.value, fields_.value);
    if (!text) return std::nullopt;
    const auto value = read_double(*text);
    if (!value || !std::isfinite(*value)) {
      return fail("field " + fields_.value + " " + quoted(*text) + " is not a finite number");
    }
    if (*value < rules_.negative_floor) {
      return fail("field " + fields_.value + " " + quoted(*text) + " is below the floor " +
                  number_text(rules_.negative_floor));
    }
    return value;
  }

  bool unit_and_metric() {
    const auto unit = required(raw_.unit, fields_.unit);
    const auto metric = required(raw_.metric, fields_.metric);
    if (!unit || !metric) return false;
    const auto& units = rules_.accepted_units;
    if (std::find(units.begin(), units.end(), *unit) == units.end()) {
      fail("field " + fields_.unit + " " + quoted(*unit) + " is not an accepted unit");
      return false;
    }
    if (*metric != kHourlyMetric) {
      fail("field " + fields_.metric + " " + quoted(*metric) + " is not \"horaire\"");
      return false;
    }
    return true;
  }

  // date_debut, checked against date_fin and `now`.
  std::optional<UtcSeconds> hour(UtcSeconds now) {
    const auto start = moment(raw_.start, fields_.start);
    const auto end = moment(raw_.end, fields_.end);
    if (!start || !end) return std::nullopt;
    const std::string start_text = quoted(trimmed(*raw_.start));
    if (start->time_since_epoch() % hours{1} != Millis::duration::zero()) {
      return fail("field " + fields_.start + " " + start_text + " is not on the hour");
    }
    if (*end - *start != hours{1}) {
      return fail("field " + fields_.end + " " + quoted(trimmed(*raw_.end)) + " is not 1 h after " +
                  fields_.start + " " + start_text);
    }
    if (*start > now) {
      return fail("field " + fields_.start + " " + start_text + " is after now " + to_iso8601(now));
    }
    if (*start < kEarliest) {
      return fail("field " + fields_.start + " " + start_text + " is before 1990");
    }
    return std::chrono::time_point_cast<std::chrono::seconds>(*start);
  }

  std::optional<bool> validated() {
    const auto text = required(raw_.validation, fields_.validation);
    if (!text) return std::nullopt;
    if (*text == "t" || *text == "true" || *text == "1") return true;
    if (*text == "f" || *text == "false" || *text == "0") return false;
    return fail("field " + fields_.validation + " " + quoted(*text) +
                " is not one of t f true false 1 0");
  }

  std::optional<std::int64_t> object_id() {
    const auto text = required(raw_.object_id, fields_.object_id);
    if (!text) return std::nullopt;
    const auto id = read_integer(*text);
    if (!id) return fail("field " + fields_.object_id + " " + quoted(*text) + " is not an integer");
    return id;
  }

  // Latitude and longitude, in that order.
  std::optional<std::pair<double, double>> position() {
    const auto latitude = coordinate(raw_.latitude, form_.latitude_name, 90);
    const auto longitude = coordinate(raw_.longitude, form_.longitude_name, 180);
    if (!latitude || !longitude) return std::nullopt;
    return std::pair{*latitude, *longitude};
  }

  std::string take_reason() { return std::move(*reason_); }

 private:
  static std::string number_text(double value) {
    char buffer[32];
    const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return error == std::errc() ? std::string(buffer, end) : std::string("?");
  }

  std::optional<Millis> moment(const std::optional<std::string>& attribute,
                               const std::string& name) {
    const auto text = required(attribute, name);
    if (!text) return std::nullopt;
    if (form_.dates == RecordForm::Dates::iso_utc) {
      const auto parsed = parse_hub_time(*text);
      if (!parsed) return fail("field " + name + " " + quoted(*text) + " is not a UTC date-time");
      return parsed;
    }
    const auto millis = read_integer(*text);
    const Millis moment{std::chrono::milliseconds{millis.value_or(0)}};
    // Bounded to the years 1..9999, so no arithmetic on the time can overflow.
    if (!millis || moment < kFirstYear || moment >= kPastYear9999) {
      return fail("field " + name + " " + quoted(*text) + " is not epoch milliseconds");
    }
    return moment;
  }

  std::optional<double> coordinate(const std::optional<std::string>& attribute,
                                   std::string_view name, double limit) {
    const auto text = required(attribute, std::string(name));
    if (!text) return std::nullopt;
    const auto value = read_double(*text);
    if (!value || !(*value >= -limit && *value <= limit)) {
      return fail("field " + std::string(name) + " " + quoted(*text) + " is not within [-" +
                  number_text(limit) + ", " + number_text(limit) + "]");
    }
    return value;
  }

  std::nullopt_t fail(std::string reason) {
    if (!reason_) reason_ = std::move(reason);
    return std::nullopt;
  }

  const RawRecord& raw_;
  const RecordForm& form_;
  const AirQualityFields& fields_;
  const AirQualityRules& rules_;
  std::optional<std::string> reason_;
};

AirQualityStation describe_station(const RawRecord& raw, std::string code,
                                   std::pair<double, double> position) {
  AirQualityStation station;
  station.code = std::move(code);
  station.name = trimmed_or_empty(raw.station_name);
  station.commune = trimmed_or_empty(raw.commune);
  station.insee = trimmed_or_empty(raw.insee);
  station.department = trimmed_or_empty(raw.department);
  station.typology = trimmed_or_empty(raw.typology);
  station.influence = trimmed_or_empty(raw.influence);
  station.latitude = position.first;
  station.longitude = position.second;
  return station;
}

}  // namespace

std::optional<Millis> parse_hub_time(std::string_view text) {
  std::size_t at = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_digits(text, at, 4, year) || !skip(text, at, '-') || !read_digits(text, at, 2, month) ||
      !skip(text, at, '-') || !read_digits(text, at, 2, day) || !skip(text, at, 'T') ||
      !read_digits(text, at, 2, hour) || !skip(text, at, ':') ||
      !read_digits(text, at, 2, minute) || !skip(text, at, ':') ||
      !read_digits(text, at, 2, second)) {
    return std::nullopt;
  }
  const auto millis = read_fraction(text, at);
  if (!millis || !skip(text, at, 'Z') || at != text.size()) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{year},
                                         std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok() || hour > 23 || minute > 59 || second > 59) return std::nullopt;
  return Millis{std::chrono::sys_days{date}} + hours{hour} + std::chrono::minutes{minute} +
         std::chrono::seconds{second} + std::chrono::milliseconds{*millis};
}

std::variant<ValidRecord, std::string> validate(const RawRecord& raw, const RecordForm& form,
                                                const AirQualityFields& fields,
                                                const AirQualityRules& rules, UtcSeconds now) {
  Validator check(raw, form, fields, rules);
  const auto code = check.required(raw.station_code, fields.station_code);
  if (!code) return check.take_reason();
  const auto pollutant = check.pollutant();
  if (!pollutant) return check.take_reason();
  const auto value = check.value();
  if (!value) return check.take_reason();
  if (!check.unit_and_metric()) return check.take_reason();
  const auto hour = check.hour(now);
  if (!hour) return check.take_reason();
  const auto validated = check.validated();
  if (!validated) return check.take_reason();
  const auto object_id = check.object_id();
  if (!object_id) return check.take_reason();
  const auto position = check.position();
  if (!position) return check.take_reason();

  ValidRecord record;
  record.station = describe_station(raw, std::string(*code), *position);
  auto& measurement = record.measurement;
  measurement.station_code = record.station.code;
  measurement.pollutant = *pollutant;
  measurement.measured_at = *hour;
  measurement.value_ugm3 = *value;
  measurement.validated = *validated;
  measurement.object_id = *object_id;
  return record;
}

}  // namespace meteo::air_quality
