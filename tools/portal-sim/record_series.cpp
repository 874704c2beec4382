#include "record_series.hpp"

#include <cmath>
#include <cstdio>
#include <map>
#include <string_view>

namespace portal_sim {
namespace {

constexpr std::uint64_t kGapOneIn = 75;  // two in 75 of the eligible 3/4 of slots: ~2% overall
constexpr std::uint64_t kGapsPerDraw = 2;
constexpr int kSlotsPerDay = static_cast<int>(kDay / kSlotLength);

double rounded(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

int rain_tips(double millimetres) {
  return static_cast<int>(std::lround(millimetres / 0.2));
}

// Everything a field's value may be computed from.
struct RecordContext {
  const Dataset& dataset;
  const Field& field;
  const Reading& reading;
  Seconds at;
  CivilTime utc;
  CivilTime paris;
  int paris_offset;
  const std::string& data;
};

std::string two_digits(int value) {
  char text[8];
  std::snprintf(text, sizeof text, "%02d", value % 100);
  return text;
}

std::string day_month_year(const CivilTime& c) {
  return two_digits(c.day) + "/" + two_digits(c.month) + "/" + two_digits(c.year);
}

std::string hour_minute(const CivilTime& c) {
  return two_digits(c.hour) + ":" + two_digits(c.minute);
}

std::string iso_date(const CivilTime& c) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", c.year, c.month, c.day);
  return text;
}

int message_number(const CivilTime& utc) {
  return 1 + (utc.hour * 60 + utc.minute) / 15;
}

using ValueOf = ordered_json (*)(const RecordContext&);

// The fields of Toulouse's station datasets that carry a measurement or a decoded piece of the
// raw message. The 15-field schema uses the first block; the 39-field one adds the rest.
const std::map<std::string_view, ValueOf>& known_fields() {
  static const std::map<std::string_view, ValueOf> fields{
      {"data", [](const RecordContext& c) { return ordered_json(c.data); }},
      {"id", [](const RecordContext& c) { return ordered_json(c.dataset.station_number); }},
      {"humidite", [](const RecordContext& c) { return ordered_json(c.reading.humidity_percent); }},
      {"direction_du_vecteur_de_vent_max",
       [](const RecordContext& c) { return ordered_json(c.reading.gust_sector); }},
      {"pluie_intensite_max",
       [](const RecordContext& c) { return ordered_json(c.reading.rain_peak_mm); }},
      {"pression", [](const RecordContext& c) { return ordered_json(c.reading.pressure_pa); }},
      {"pression_en_hpa",
       [](const RecordContext& c) { return ordered_json(c.reading.pressure_pa); }},
      {"direction_du_vecteur_vent_moyen",
       [](const RecordContext& c) { return ordered_json(c.reading.wind_direction_deg); }},
      {"type_de_station",
       [](const RecordContext& c) { return ordered_json(c.dataset.station_type); }},
      {"pluie",
       [](const RecordContext& c) {
         // The odd schema counts bucket tips (0.2 mm each) in an int field.
         return c.field.type == "int" ? ordered_json(rain_tips(c.reading.rain_mm))
                                      : ordered_json(c.reading.rain_mm);
       }},
      {"direction_du_vecteur_de_vent_max_en_degres",
       [](const RecordContext& c) { return ordered_json(c.reading.gust_sector * 22.5); }},
      {"force_moyenne_du_vecteur_vent",
       [](const RecordContext& c) { return ordered_json(c.reading.wind_mean_kmh); }},
      {"force_rafale_max", [](const RecordContext& c) { return ordered_json(c.reading.gust_kmh); }},
      {"temperature_en_degre_c",
       [](const RecordContext& c) { return ordered_json(c.reading.temperature_c); }},
      {"heure_de_paris",
       [](const RecordContext& c) { return ordered_json(format_iso8601(c.at, c.paris_offset)); }},
      {"heure_utc", [](const RecordContext& c) { return ordered_json(format_iso8601(c.at, 0)); }},

      {"mois", [](const RecordContext& c) { return ordered_json(two_digits(c.utc.month)); }},
      {"jour", [](const RecordContext& c) { return ordered_json(c.utc.day); }},
      {"annee", [](const RecordContext& c) { return ordered_json(c.utc.year - 2019); }},
      {"annee_reelle",
       [](const RecordContext& c) { return ordered_json(std::to_string(c.utc.year)); }},
      {"numero_de_message",
       [](const RecordContext& c) { return ordered_json(message_number(c.utc)); }},
      {"heure", [](const RecordContext& c) { return ordered_json(c.utc.hour); }},
      {"minute", [](const RecordContext& c) { return ordered_json(c.utc.minute); }},
      {"temperature_partie_entiere",
       [](const RecordContext& c) {
         return ordered_json(static_cast<int>(std::floor(c.reading.temperature_c)) + 50);
       }},
      {"temperature_partie_decimale",
       [](const RecordContext& c) {
         const double t = c.reading.temperature_c;
         return ordered_json(static_cast<int>(std::lround((t - std::floor(t)) * 10)) % 10);
       }},
      {"temperature_decodee",
       [](const RecordContext& c) { return ordered_json(std::lround(c.reading.temperature_c)); }},
      {"pluie_en_augets",
       [](const RecordContext& c) { return ordered_json(rain_tips(c.reading.rain_mm)); }},
      {"pluie_la_plus_intense_durant_1_min",
       [](const RecordContext& c) { return ordered_json(rain_tips(c.reading.rain_peak_mm)); }},
      {"pluie_en_mm",
       [](const RecordContext& c) { return ordered_json(std::lround(c.reading.rain_mm)); }},
      {"direction_du_vecteur_moyen_de_vent",
       [](const RecordContext& c) {
         return ordered_json((c.reading.wind_direction_deg + 180) % 360 / 2);
       }},
      {"force_moyenne_du_vecteur_de_vent",
       [](const RecordContext& c) { return ordered_json(c.reading.wind_mean_kmh); }},
      {"force_du_vecteur_de_vent_max",
       [](const RecordContext& c) { return ordered_json(c.reading.gust_kmh); }},
      {"pression_a_decoder",
       [](const RecordContext& c) { return ordered_json(c.reading.pressure_pa / 100 - 900); }},
      {"type_station", [](const RecordContext&) { return ordered_json(0); }},
      {"jour_mois",
       [](const RecordContext& c) {
         return ordered_json(two_digits(c.utc.day) + "/" + two_digits(c.utc.month));
       }},
      {"dd_mm_yy_utc", [](const RecordContext& c) { return ordered_json(day_month_year(c.utc)); }},
      {"hh_mm_utc", [](const RecordContext& c) { return ordered_json(hour_minute(c.utc)); }},
      {"dd_mm_yy_hh_mm",
       [](const RecordContext& c) {
         return ordered_json(day_month_year(c.paris) + " " + hour_minute(c.paris));
       }},
      {"dd_mm_yy_hh_mm_utc",
       [](const RecordContext& c) {
         return ordered_json(day_month_year(c.utc) + " " + hour_minute(c.utc));
       }},
      {"heure_paris_dd_mm_yy_hh_mm",
       [](const RecordContext& c) {
         return ordered_json(day_month_year(c.paris) + " " + hour_minute(c.paris));
       }},
      {"false_message", [](const RecordContext&) { return ordered_json("0"); }},
  };
  return fields;
}

// Fields nobody documents (most of the odd schema): plausible values of the declared type.
ordered_json generic_value(const RecordContext& c) {
  const std::uint64_t bits =
      hash_of(c.dataset.key, hash_text(c.field.name), static_cast<std::uint64_t>(c.at),
              static_cast<std::uint64_t>(Channel::generic_field));
  if (c.field.type == "datetime") return format_iso8601(c.at, 0);
  if (c.field.type == "date") return iso_date(c.utc);
  if (c.field.type == "int") return static_cast<int>(bits % 100);
  if (c.field.type == "double") return rounded(unit_interval(bits) * 100, 1);
  if (c.field.type == "text") {
    char text[16];
    std::snprintf(text, sizeof text, "%08llx", static_cast<unsigned long long>(bits >> 32));
    return text;
  }
  return nullptr;
}

ordered_json field_value(const RecordContext& context) {
  const auto& known = known_fields();
  const auto it = known.find(context.field.name);
  return it != known.end() ? it->second(context) : generic_value(context);
}

// The station's raw radio message, as hex: what the decoded fields were read from.
std::string raw_message(int station, const CivilTime& utc, const Reading& r) {
  const int temperature = static_cast<int>(std::lround((r.temperature_c + 50) * 10));
  const int pressure = r.pressure_pa / 10 - 9000;
  const unsigned char bytes[] = {
      static_cast<unsigned char>(station),
      static_cast<unsigned char>(message_number(utc)),
      static_cast<unsigned char>(temperature >> 8),
      static_cast<unsigned char>(temperature),
      static_cast<unsigned char>(r.humidity_percent),
      static_cast<unsigned char>(pressure >> 8),
      static_cast<unsigned char>(pressure),
      static_cast<unsigned char>(r.wind_mean_kmh),
      static_cast<unsigned char>(r.gust_kmh),
      static_cast<unsigned char>(r.wind_direction_deg / 2),
      static_cast<unsigned char>(rain_tips(r.rain_mm)),
  };
  std::string hex;
  char pair[3];
  for (const unsigned char b : bytes) {
    std::snprintf(pair, sizeof pair, "%02x", b);
    hex += pair;
  }
  return hex;
}

}  // namespace

RecordSeries::RecordSeries(const Dataset& dataset, const WeatherModel& weather,
                           const SeriesOptions& options)
    : dataset_(dataset), weather_(weather), options_(options) {
  for (const auto& field : dataset_.fields)
    quoted_names_.push_back(ordered_json(field.name).dump());
  corrected_ = corrected_slot();
  if (options_.overflow_row) overflowed_ = overflowed_slot();
}

bool RecordSeries::is_duplicated(Seconds slot) const {
  const Seconds day_start = slot - ((slot % kDay) + kDay) % kDay;
  const Seconds phase = ((options_.from % kSlotLength) + kSlotLength) % kSlotLength;
  const Seconds index = (slot - day_start - phase) / kSlotLength;
  const std::uint64_t chosen =
      hash_of(options_.seed, dataset_.key, static_cast<std::uint64_t>(day_start),
              static_cast<std::uint64_t>(Channel::duplicate)) %
      kSlotsPerDay;
  return index == static_cast<Seconds>(chosen);
}

bool RecordSeries::is_gap(Seconds slot) const {
  if (slot == options_.from || slot % kHour == 0 || is_duplicated(slot)) return false;
  return hash_of(options_.seed, dataset_.key, static_cast<std::uint64_t>(slot),
                 static_cast<std::uint64_t>(Channel::gap)) %
             kGapOneIn <
         kGapsPerDraw;
}

std::optional<Seconds> RecordSeries::corrected_slot() const {
  const Seconds target = options_.now - kHour;
  if (target < options_.from) return std::nullopt;
  Seconds slot = options_.from + (target - options_.from) / kSlotLength * kSlotLength;
  while (slot >= options_.from && is_gap(slot)) slot -= kSlotLength;
  return slot >= options_.from ? std::optional<Seconds>(slot) : std::nullopt;
}

std::optional<Seconds> RecordSeries::overflowed_slot() const {
  const Seconds target = options_.now - 2 * kHour;
  if (target < options_.from) return std::nullopt;
  Seconds slot = options_.from + (target - options_.from) / kSlotLength * kSlotLength;
  while (slot >= options_.from && (is_gap(slot) || is_duplicated(slot))) slot -= kSlotLength;
  return slot >= options_.from ? std::optional<Seconds>(slot) : std::nullopt;
}

std::vector<Seconds> RecordSeries::record_times(const std::function<bool(Seconds)>& keep) const {
  std::vector<Seconds> times;
  for (Seconds slot = options_.from; slot < options_.now; slot += kSlotLength) {
    if (is_gap(slot) || !keep(slot)) continue;
    times.push_back(slot);
    if (is_duplicated(slot)) times.push_back(slot);
  }
  const Seconds future = options_.now + kFutureLead;
  if (options_.future_row && keep(future)) times.push_back(future);
  return times;
}

std::size_t RecordSeries::record_count() const {
  return record_times([](Seconds) { return true; }).size();
}

std::vector<std::size_t> RecordSeries::all_columns() const {
  std::vector<std::size_t> columns(dataset_.fields.size());
  for (std::size_t i = 0; i < columns.size(); ++i) columns[i] = i;
  return columns;
}

std::string RecordSeries::render(Seconds at, const std::vector<std::size_t>& columns) const {
  Reading reading = weather_.reading(dataset_.key, dataset_.site, at);
  apply_planted_events(options_.events, dataset_.id, at, reading);
  const CivilTime utc = civil_from_seconds(at);
  const int offset = paris_offset_seconds(at);
  // The raw message predates the correction: only the published temperature changes.
  const std::string data = raw_message(dataset_.station_number, utc, reading);
  if (options_.revision >= 1 && corrected_ == at) {
    reading.temperature_c = rounded(reading.temperature_c + 0.5, 1);
  }
  const CivilTime paris = civil_from_seconds(at + offset);
  std::string text = "{";
  for (const std::size_t column : columns) {
    const Field& field = dataset_.fields[column];
    const RecordContext context{dataset_, field, reading, at, utc, paris, offset, data};
    if (text.size() > 1) text += ',';
    text += quoted_names_[column];
    text += ':';
    if (overflowed_ == at && field.name == "temperature_en_degre_c") {
      text += "1e309";  // no double holds it, so it is written as text
      continue;
    }
    text += field_value(context).dump();
  }
  return text + "}";
}

}  // namespace portal_sim
