#include "synop_dataset.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <optional>

#include "weather_model.hpp"

namespace portal_sim {
namespace {

constexpr double kTwoPi = 2 * std::numbers::pi;
constexpr double kZeroCelsius = 273.15;
constexpr std::uint64_t kGapOneIn = 250;
constexpr std::uint64_t kSynopChannel = 0x5E0;  // apart from the Toulouse streams

struct SynopStation {
  const char* id;  // WMO index, text with its leading zero
  const char* name;
  double latitude;
  double longitude;
  int altitude_m;
  const char* commune;
  const char* insee;
  const char* departement;
  const char* departement_code;
  const char* region;
  bool added_late = false;  // first record kSynopLateStart after --from
};

const std::array<SynopStation, 26>& stations() {
  static const std::array<SynopStation, 26> table{{
      {"07005", "ABBEVILLE", 50.136, 1.834, 69, "Abbeville", "80001", "Somme", "80",
       "Hauts-de-France"},
      {"07015", "LILLE-LESQUIN", 50.570, 3.098, 47, "Lesquin", "59343", "Nord", "59",
       "Hauts-de-France"},
      {"07020", "PTE DE LA HAGUE", 49.725, -1.940, 6, "La Hague", "50041", "Manche", "50",
       "Normandie"},
      {"07027", "CAEN-CARPIQUET", 49.180, -0.456, 67, "Carpiquet", "14137", "Calvados", "14",
       "Normandie"},
      {"07110", "BREST-GUIPAVAS", 48.444, -4.412, 94, "Guipavas", "29075", "Finistère", "29",
       "Bretagne"},
      {"07130", "RENNES-ST JACQUES", 48.069, -1.734, 36, "Saint-Jacques-de-la-Lande", "35281",
       "Ille-et-Vilaine", "35", "Bretagne"},
      {"07149", "ORLY", 48.717, 2.384, 89, "Athis-Mons", "91027", "Essonne", "91", "Île-de-France"},
      {"07190", "STRASBOURG-ENTZHEIM", 48.550, 7.640, 150, "Entzheim", "67124", "Bas-Rhin", "67",
       "Grand Est"},
      {"07222", "NANTES-BOUGUENAIS", 47.150, -1.609, 26, "Bouguenais", "44020", "Loire-Atlantique",
       "44", "Pays de la Loire"},
      {"07240", "TOURS", 47.445, 0.728, 108, "Parçay-Meslay", "37179", "Indre-et-Loire", "37",
       "Centre-Val de Loire"},
      {"07280", "DIJON-LONGVIC", 47.268, 5.088, 219, "Ouges", "21473", "Côte-d'Or", "21",
       "Bourgogne-Franche-Comté"},
      {"07335", "POITIERS-BIARD", 46.594, 0.314, 123, "Biard", "86027", "Vienne", "86",
       "Nouvelle-Aquitaine"},
      {"07434", "LIMOGES-BELLEGARDE", 45.861, 1.175, 402, "Limoges", "87085", "Haute-Vienne", "87",
       "Nouvelle-Aquitaine"},
      {"07460", "CLERMONT-FD", 45.787, 3.149, 331, "Clermont-Ferrand", "63113", "Puy-de-Dôme", "63",
       "Auvergne-Rhône-Alpes"},
      {"07481", "LYON-ST EXUPERY", 45.727, 5.078, 235, "Colombier-Saugnieu", "69299", "Rhône", "69",
       "Auvergne-Rhône-Alpes"},
      {"07486", "GRENOBLE-ST GEOIRS", 45.363, 5.313, 384, "Saint-Étienne-de-Saint-Geoirs", "38384",
       "Isère", "38", "Auvergne-Rhône-Alpes"},
      {"07510", "BORDEAUX-MERIGNAC", 44.831, -0.691, 47, "Mérignac", "33281", "Gironde", "33",
       "Nouvelle-Aquitaine"},
      {"07607", "MONT-DE-MARSAN", 43.909, -0.500, 59, "Mont-de-Marsan", "40192", "Landes", "40",
       "Nouvelle-Aquitaine"},
      {"07621", "TARBES-OSSUN", 43.188, -0.001, 360, "Ossun", "65344", "Hautes-Pyrénées", "65",
       "Occitanie"},
      {"07630", "TOULOUSE-BLAGNAC", 43.621, 1.379, 151, "Blagnac", "31069", "Haute-Garonne", "31",
       "Occitanie"},
      {"07643", "MONTPELLIER", 43.577, 3.963, 2, "Mauguio", "34154", "Hérault", "34", "Occitanie"},
      {"07650", "MARIGNANE", 43.438, 5.216, 9, "Marignane", "13054", "Bouches-du-Rhône", "13",
       "Provence-Alpes-Côte d'Azur"},
      {"07690", "NICE", 43.649, 7.209, 2, "Nice", "06088", "Alpes-Maritimes", "06",
       "Provence-Alpes-Côte d'Azur"},
      {"07747", "PERPIGNAN", 42.737, 2.873, 42, "Perpignan", "66136", "Pyrénées-Orientales", "66",
       "Occitanie"},
      {"07761", "AJACCIO", 41.918, 8.793, 5, "Ajaccio", "2A004", "Corse-du-Sud", "2A", "Corse"},
      {"07558", "MILLAU", 44.119, 3.020, 712, "Millau", "12145", "Aveyron", "12", "Occitanie",
       true},
  }};
  return table;
}

double rounded(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

int rounded_to_ten(double value) {
  return static_cast<int>(std::lround(value / 10) * 10);
}

Seconds first_synoptic_hour_at_or_after(Seconds t) {
  const Seconds into = ((t % kSynopInterval) + kSynopInterval) % kSynopInterval;
  return into == 0 ? t : t + kSynopInterval - into;
}

// Pure functions of (seed, station, instant), so every record can be computed on its own.
class SynopWeather {
 public:
  explicit SynopWeather(std::uint64_t seed) : seed_(seed) {}

  double phase(std::uint64_t index) const {
    return kTwoPi * unit_interval(hash_of(seed_, kSynopChannel, index));
  }
  double draw(const SynopStation& s, Seconds at, Channel channel) const {
    return unit_interval(hash_of(seed_, hash_text(s.id), static_cast<std::uint64_t>(at),
                                 static_cast<std::uint64_t>(channel)));
  }
  static double wave(Seconds at, double period_days, double phase) {
    return std::sin(kTwoPi * static_cast<double>(at) / (period_days * kDay) + phase);
  }

  // One decimal: cooler north and up high, a seasonal swing wider inland, a daily cycle
  // (coldest near 03 UTC, warmest near 15 UTC), fronts moving west to east.
  double temperature_c(const SynopStation& s, Seconds at) const {
    const CivilTime utc = civil_from_seconds(at);
    const double season = kTwoPi * (day_of_year(utc) - 18) / 365.25;
    const double mean = 12.8 - 0.55 * (s.latitude - 46) - 0.0065 * s.altitude_m;
    const double seasonal = -(6.5 + 0.3 * std::max(0.0, s.longitude)) * std::cos(season);
    const double daily = 4.0 * std::cos(kTwoPi * (utc.hour + utc.minute / 60.0 - 15) / 24);
    const double fronts = 3.0 * wave(at, 6.3, phase(0) - 0.12 * s.longitude) +
                          1.5 * wave(at, 13.1, phase(1) - 0.05 * s.latitude);
    const double noise = 0.6 * (draw(s, at, Channel::temperature) - 0.5);
    return rounded(mean + seasonal + daily + fronts + noise, 1);
  }

  int humidity_percent(const SynopStation& s, Seconds at) const {
    const CivilTime utc = civil_from_seconds(at);
    const double daily = std::cos(kTwoPi * (utc.hour - 15) / 24);
    const double value = 78 - 14 * daily + 9 * wave(at, 4.7, phase(2) - 0.1 * s.longitude) +
                         6 * (draw(s, at, Channel::humidity) - 0.5);
    return static_cast<int>(std::lround(std::clamp(value, 25.0, 100.0)));
  }

  // Sea-level pressure in Pa, a multiple of 10 as the portal gives it.
  int sea_level_pressure_pa(const SynopStation& s, Seconds at) const {
    const double value = 101325 + 1300 * wave(at, 5.1, phase(3) - 0.1 * s.longitude) +
                         600 * wave(at, 9.7, phase(4) + 0.1 * s.latitude) - 80 * (s.latitude - 46) +
                         60 * (draw(s, at, Channel::pressure) - 0.5);
    return rounded_to_ten(value);
  }

  static int station_pressure_pa(const SynopStation& s, int sea_level) {
    return rounded_to_ten(sea_level * std::exp(-s.altitude_m / 8434.0));
  }

  double wind_ms(const SynopStation& s, Seconds at) const {
    const double coast = s.altitude_m < 20 ? 1.5 : 0.0;
    const double value = 1.0 + coast + 3.5 * (0.5 + 0.5 * wave(at, 3.3, phase(5) + s.latitude)) +
                         2.0 * draw(s, at, Channel::wind) - 0.6;
    return value < 0.5 ? 0.0 : rounded(value, 1);
  }

  int wind_direction_deg(const SynopStation& s, Seconds at, double wind) const {
    if (wind == 0) return 0;
    const double value =
        250 + 80 * wave(at, 7.7, phase(6)) + 60 * (draw(s, at, Channel::direction) - 0.5);
    const int tens = static_cast<int>(std::lround(value / 10)) % 36;
    return tens <= 0 ? tens * 10 + 360 : tens * 10;
  }

  std::optional<double> gust_ms(const SynopStation& s, Seconds at, double wind) const {
    const double d = draw(s, at, Channel::gust);
    if (d < 0.2) return std::nullopt;
    return rounded(wind * (1.3 + 0.5 * d) + 1.0, 1);
  }

  // The rain of the hour ending at `hour_end`: tenths of a millimetre, or a trace.
  struct HourRain {
    int tenths = 0;
    bool trace = false;
  };
  HourRain hour_rain(const SynopStation& s, Seconds hour_end) const {
    const double wet =
        0.5 + 0.5 * wave(hour_end, 4.1, phase(7) - 0.35 * s.longitude + 0.2 * s.latitude);
    const double probability = wet > 0.7 ? (wet - 0.7) / 0.3 * 0.7 : 0.0;
    const double d = draw(s, hour_end, Channel::rain_cell);
    if (d < probability) {
      const double amount = draw(s, hour_end, Channel::rain_amount);
      return {2 * (1 + static_cast<int>(amount * amount * 10)), false};
    }
    return {0, d < probability + 0.04};
  }

  // The rain of the `hours` hours ending at `at`, in mm; -0.1 for a trace alone.
  double rain_mm(const SynopStation& s, Seconds at, int hours) const {
    int tenths = 0;
    bool trace = false;
    for (int h = 0; h < hours; ++h) {
      const HourRain rain = hour_rain(s, at - h * kHour);
      tenths += rain.tenths;
      trace = trace || rain.trace;
    }
    if (tenths > 0) return tenths / 10.0;
    return trace ? -0.1 : 0.0;
  }

 private:
  std::uint64_t seed_;
};

// Everything one record's fields are read from.
struct Observation {
  const SynopStation& station;
  Seconds at;
  int utc_hour;
  double tc;
  int humidity;
  int pmer;
  double ff;
  int dd;
  std::optional<double> raf10;
  ordered_json rain[5];  // rr1, rr3, rr6, rr12, rr24
  ordered_json tn12, tx12, tn24, tx24;
};

ordered_json kelvin(double celsius) {
  return rounded(celsius + kZeroCelsius, 2);
}

// The lowest and highest t of the synoptic records of the `hours` hours ending at `at`.
std::pair<ordered_json, ordered_json> extremes(const SynopWeather& weather, const SynopStation& s,
                                               Seconds at, int hours) {
  double low = weather.temperature_c(s, at);
  double high = low;
  for (Seconds t = at - kSynopInterval; t >= at - hours * kHour; t -= kSynopInterval) {
    low = std::min(low, weather.temperature_c(s, t));
    high = std::max(high, weather.temperature_c(s, t));
  }
  return {kelvin(low), kelvin(high)};
}

Observation observe(const SynopWeather& weather, const SynopStation& s, Seconds at) {
  const int hour = civil_from_seconds(at).hour;
  const double ff = weather.wind_ms(s, at);
  Observation o{s,
                at,
                hour,
                weather.temperature_c(s, at),
                weather.humidity_percent(s, at),
                weather.sea_level_pressure_pa(s, at),
                ff,
                weather.wind_direction_deg(s, at, ff),
                weather.gust_ms(s, at, ff),
                {},
                nullptr,
                nullptr,
                nullptr,
                nullptr};
  const int windows[5] = {1, 3, 6, 12, 24};
  for (int i = 0; i < 5; ++i) o.rain[i] = weather.rain_mm(s, at, windows[i]);
  if (hour != 6 && hour != 18) o.rain[3] = nullptr;
  if (hour != 6) o.rain[4] = nullptr;
  if (hour == 6 || hour == 18) std::tie(o.tn12, o.tx12) = extremes(weather, s, at, 12);
  if (hour == 6) std::tie(o.tn24, o.tx24) = extremes(weather, s, at, 24);
  return o;
}

struct SynopField {
  const char* name;
  const char* type;
  const char* label;
  const char* unit;  // empty: none
  ordered_json (*value)(const Observation&);
};

// The fields in the portal's order (a subset of the real dataset's 80-odd).
const std::vector<SynopField>& synop_fields() {
  using O = const Observation&;
  static const std::vector<SynopField> fields{
      {"numer_sta", "text", "ID OMM station", "", [](O o) { return ordered_json(o.station.id); }},
      {"date", "datetime", "Date", "", [](O o) { return ordered_json(format_iso8601(o.at, 0)); }},
      {"pmer", "int", "Pression au niveau mer", "Pa", [](O o) { return ordered_json(o.pmer); }},
      {"dd", "int", "Direction du vent moyen 10 mn", "°", [](O o) { return ordered_json(o.dd); }},
      {"ff", "double", "Vitesse du vent moyen 10 mn", "m/s",
       [](O o) { return ordered_json(o.ff); }},
      {"t", "double", "Température", "K", [](O o) { return kelvin(o.tc); }},
      {"u", "int", "Humidité", "%", [](O o) { return ordered_json(o.humidity); }},
      {"pres", "int", "Pression station", "Pa",
       [](O o) { return ordered_json(SynopWeather::station_pressure_pa(o.station, o.pmer)); }},
      {"tn12", "double", "Température minimale sur 12 heures", "K", [](O o) { return o.tn12; }},
      {"tn24", "double", "Température minimale sur 24 heures", "K", [](O o) { return o.tn24; }},
      {"tx12", "double", "Température maximale sur 12 heures", "K", [](O o) { return o.tx12; }},
      {"tx24", "double", "Température maximale sur 24 heures", "K", [](O o) { return o.tx24; }},
      {"raf10", "double", "Rafales sur les 10 dernières minutes", "m/s",
       [](O o) { return o.raf10 ? ordered_json(*o.raf10) : ordered_json(); }},
      {"rr1", "double", "Précipitations dans la dernière heure", "mm",
       [](O o) { return o.rain[0]; }},
      {"rr3", "double", "Précipitations dans les 3 dernières heures", "mm",
       [](O o) { return o.rain[1]; }},
      {"rr6", "double", "Précipitations dans les 6 dernières heures", "mm",
       [](O o) { return o.rain[2]; }},
      {"rr12", "double", "Précipitations dans les 12 dernières heures", "mm",
       [](O o) { return o.rain[3]; }},
      {"rr24", "double", "Précipitations dans les 24 dernières heures", "mm",
       [](O o) { return o.rain[4]; }},
      {"nom", "text", "Nom", "", [](O o) { return ordered_json(o.station.name); }},
      {"tc", "double", "Température (°C)", "°C", [](O o) { return ordered_json(o.tc); }},
      {"latitude", "double", "Latitude", "", [](O o) { return ordered_json(o.station.latitude); }},
      {"longitude", "double", "Longitude", "",
       [](O o) { return ordered_json(o.station.longitude); }},
      {"altitude", "int", "Altitude", "m", [](O o) { return ordered_json(o.station.altitude_m); }},
      {"libgeo", "text", "communes (name)", "",
       [](O o) { return ordered_json(o.station.commune); }},
      {"codegeo", "text", "communes (code)", "", [](O o) { return ordered_json(o.station.insee); }},
      {"nom_dept", "text", "department (name)", "",
       [](O o) { return ordered_json(o.station.departement); }},
      {"code_dep", "text", "department (code)", "",
       [](O o) { return ordered_json(o.station.departement_code); }},
      {"nom_reg", "text", "region (name)", "", [](O o) { return ordered_json(o.station.region); }},
  };
  return fields;
}

// The portal's CSV: values bare, quoted only when they hold the separator, a quote or a newline.
std::string csv_cell(const ordered_json& value) {
  if (value.is_null()) return {};
  if (!value.is_string()) return value.dump();
  const auto text = value.get<std::string>();
  if (text.find_first_of(";\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (const char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

}  // namespace

Dataset synop_dataset() {
  Dataset dataset;
  dataset.id = std::string(kSynopDatasetId);
  dataset.kind = DatasetKind::synop;
  dataset.time_field = "date";
  dataset.key = hash_text(dataset.id);
  dataset.field_objects = ordered_json::array();
  for (const auto& field : synop_fields()) {
    dataset.fields.push_back({field.name, field.type});
    ordered_json annotations = ordered_json::object();
    if (*field.unit != '\0') annotations["unit"] = field.unit;
    if (std::string_view(field.name) == "date") annotations["timeserie_precision"] = "hour";
    dataset.field_objects.push_back(ordered_json{{"name", field.name},
                                                 {"label", field.label},
                                                 {"type", field.type},
                                                 {"description", nullptr},
                                                 {"annotations", annotations}});
  }
  dataset.metas = ordered_json{{"title", "Données SYNOP essentielles OMM"},
                               {"publisher", "Météo-France"},
                               {"license", "Licence Ouverte v2.0 (Etalab)"},
                               {"language", "fr"}};
  dataset.features = ordered_json::array({"timeserie", "geo", "analyze"});
  return dataset;
}

SynopSeries::SynopSeries(const Dataset& dataset, const SeriesOptions& options)
    : dataset_(dataset), options_(options) {}

Seconds SynopSeries::first_record(std::size_t station) const {
  const Seconds start =
      stations()[station].added_late ? options_.from + kSynopLateStart : options_.from;
  return first_synoptic_hour_at_or_after(start);
}

bool SynopSeries::holds(std::size_t station, Seconds at) const {
  const Seconds first = first_record(station);
  if (at < first) return false;
  if (at == first) return true;
  return hash_of(options_.seed, hash_text(stations()[station].id), static_cast<std::uint64_t>(at),
                 static_cast<std::uint64_t>(Channel::gap)) %
             kGapOneIn !=
         0;
}

std::vector<SynopSeries::Record> SynopSeries::records(
    const std::function<bool(Seconds)>& keep) const {
  std::vector<Record> records;
  for (Seconds at = first_synoptic_hour_at_or_after(options_.from); at < options_.now;
       at += kSynopInterval) {
    if (!keep(at)) continue;
    for (std::size_t station = 0; station < stations().size(); ++station) {
      if (holds(station, at)) records.push_back({at, station});
    }
  }
  return records;
}

std::size_t SynopSeries::record_count() const {
  return records([](Seconds) { return true; }).size();
}

std::vector<ordered_json> SynopSeries::values(const Record& record) const {
  const SynopWeather weather(options_.seed);
  const Observation observation = observe(weather, stations()[record.station], record.at);
  std::vector<ordered_json> values;
  for (const auto& field : synop_fields()) values.push_back(field.value(observation));
  return values;
}

std::string SynopSeries::render_json(const Record& record,
                                     const std::vector<std::size_t>& columns) const {
  const auto all = values(record);
  ordered_json object = ordered_json::object();
  for (const std::size_t column : columns) object[dataset_.fields[column].name] = all[column];
  return object.dump();
}

std::string SynopSeries::render_csv(const Record& record,
                                    const std::vector<std::size_t>& columns) const {
  const auto all = values(record);
  std::string line;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) line += ';';
    line += csv_cell(all[columns[i]]);
  }
  return line;
}

std::string SynopSeries::csv_header(const std::vector<std::size_t>& columns) const {
  std::string line;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) line += ';';
    line += dataset_.fields[columns[i]].name;
  }
  return line;
}

}  // namespace portal_sim
