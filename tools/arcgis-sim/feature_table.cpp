#include "feature_table.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace arcgis_sim {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

// The layer's attributes in the file's order, after X and Y.
std::vector<Field> layer_fields() {
  using T = FieldType;
  return {{"nom_dept", T::text},    {"nom_com", T::text},      {"insee_com", T::text},
          {"nom_station", T::text}, {"code_station", T::text}, {"typologie", T::text},
          {"influence", T::text},   {"nom_poll", T::text},     {"id_poll_ue", T::integer},
          {"valeur", T::real},      {"unite", T::text},        {"metrique", T::text},
          {"date_debut", T::date},  {"date_fin", T::date},     {"statut_valid", T::text},
          {"x_l93", T::integer},    {"y_l93", T::integer},     {"ObjectId", T::object_id}};
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// RFC 4180 records: fields split on commas, `"` quotes a field (`""` inside is one quote, a
// comma or a line end inside is data); CR before LF dropped; a last empty line is no record.
std::vector<std::vector<std::string>> parse_csv(std::string_view text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false;
  const auto end_record = [&] {
    record.push_back(std::move(field));
    field.clear();
    if (!(record.size() == 1 && record[0].empty())) records.push_back(std::move(record));
    record.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c != '"') {
        field += c;
      } else if (i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else {
        quoted = false;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      end_record();
    } else if (c != '\r') {
      field += c;
    }
  }
  if (quoted) throw std::runtime_error("unterminated quoted field");
  if (!field.empty() || !record.empty()) end_record();
  return records;
}

std::string csv_field(const std::string& value) {
  if (value.find_first_of(",\"\n\r") == std::string::npos) return value;
  std::string quoted = "\"";
  for (const char c : value) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char p, char q) {
           return std::tolower(static_cast<unsigned char>(p)) ==
                  std::tolower(static_cast<unsigned char>(q));
         });
}

// Floor division, so that a --now before the file shifts by a negative number of days.
Millis floor_div(Millis a, Millis b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

// Two decimals at most, as the file writes values; no "-0".
std::string decimal_text(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.2f", value);
  std::string out(text);
  while (out.back() == '0') out.pop_back();
  if (out.back() == '.') out.pop_back();
  return out == "-0" ? "0" : out;
}

bool is_number(const std::string& text, FieldType type) {
  std::size_t used = 0;
  try {
    if (type == FieldType::real) {
      std::stod(text, &used);
    } else {
      std::stoll(text, &used);
    }
  } catch (const std::logic_error&) {
    return false;
  }
  return used == text.size();
}

// Numbers where the layer has numbers (x_l93 may carry decimals), so serving never meets a bad one.
void check_numbers(const std::vector<Field>& fields, const Feature& feature, std::size_t line) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const FieldType type = fields[i].type;
    if (type == FieldType::text || type == FieldType::date) continue;
    const FieldType wanted = type == FieldType::object_id ? type : FieldType::real;
    if (!is_number(feature.values[i], wanted)) {
      throw std::runtime_error("line " + std::to_string(line) + ": " + fields[i].name +
                               " is not a number: " + feature.values[i]);
    }
  }
  if (!is_number(feature.x, FieldType::real) || !is_number(feature.y, FieldType::real)) {
    throw std::runtime_error("line " + std::to_string(line) + ": X or Y is not a number");
  }
}

Millis parse_date_or_throw(const std::string& text, std::size_t line) {
  const auto at = parse_iso8601_utc(text);
  if (!at) throw std::runtime_error("line " + std::to_string(line) + ": not a date: " + text);
  return *at;
}

}  // namespace

ValueOverride parse_value_override(const std::string& text, bool provisional) {
  const std::string option = provisional ? "--provisional-set" : "--set";
  const auto parts = parse_csv(text);
  if (parts.size() != 1 || parts[0].size() != 4) {
    throw std::invalid_argument(option + " wants STATION,POLL,HOURS_BEFORE_NOW,VALUE: " + text);
  }
  const auto& p = parts[0];
  ValueOverride change{p[0], p[1], 0, p[3], provisional};
  try {
    std::size_t used = 0;
    change.hours_before_now = std::stoi(p[2], &used);
    if (used != p[2].size()) throw std::invalid_argument(p[2]);
    std::stod(p[3], &used);
    if (used != p[3].size()) throw std::invalid_argument(p[3]);
  } catch (const std::logic_error&) {
    throw std::invalid_argument(option + ": HOURS_BEFORE_NOW and VALUE must be numbers: " + text);
  }
  return change;
}

FeatureTable FeatureTable::load(const std::string& csv_path, const TableOptions& options) {
  std::string text = read_file(csv_path);
  if (text.compare(0, kByteOrderMark.size(), kByteOrderMark) == 0) {
    text.erase(0, kByteOrderMark.size());
  }
  auto records = parse_csv(text);
  FeatureTable table;
  table.fields_ = layer_fields();
  std::vector<std::string> expected{"X", "Y"};
  for (const auto& field : table.fields_) expected.push_back(field.name);
  if (records.empty() || records[0] != expected) {
    throw std::runtime_error(csv_path + ": not the ATMO layer's columns (X,Y,nom_dept,...)");
  }
  table.object_id_field_ = table.required_field("ObjectId");
  for (std::size_t line = 1; line < records.size(); ++line) {
    auto& record = records[line];
    if (record.size() != expected.size()) {
      throw std::runtime_error(csv_path + ": line " + std::to_string(line + 1) + " has " +
                               std::to_string(record.size()) + " fields");
    }
    Feature feature{std::move(record[0]), std::move(record[1]), {}};
    feature.values.assign(std::make_move_iterator(record.begin() + 2),
                          std::make_move_iterator(record.end()));
    check_numbers(table.fields_, feature, line + 1);
    table.features_.push_back(std::move(feature));
  }
  table.shift_before(options.now);
  if (options.provisional_hours > 0) {
    table.mark_provisional(options.now - options.provisional_hours * kMillisPerHour);
  }
  for (const auto& change : options.overrides) table.apply_override(change, options);
  table.drop_from(options.now);
  return table;
}

std::optional<std::size_t> FeatureTable::field_index(std::string_view name) const {
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    if (same_name(fields_[i].name, name)) return i;
  }
  return std::nullopt;
}

std::size_t FeatureTable::required_field(std::string_view name) const {
  const auto index = field_index(name);
  if (!index) throw std::logic_error("no field " + std::string(name));
  return *index;
}

Millis FeatureTable::start_of(const Feature& feature) const {
  return parse_date_or_throw(feature.values[required_field("date_debut")], 0);
}

// By whole days, so that UTC days and the hours in them stay those of the file.
void FeatureTable::shift_before(Millis now) {
  if (features_.empty()) return;
  Millis newest = start_of(features_.front());
  for (const auto& feature : features_) newest = std::max(newest, start_of(feature));
  const Millis shift = floor_div(now - 1 - newest, kMillisPerDay) * kMillisPerDay;
  for (std::size_t f = 0; f < fields_.size(); ++f) {
    if (fields_[f].type != FieldType::date) continue;
    for (std::size_t row = 0; row < features_.size(); ++row) {
      auto& value = features_[row].values[f];
      value = format_iso8601_utc(parse_date_or_throw(value, row + 2) + shift);
    }
  }
}

void FeatureTable::mark_provisional(Millis since) {
  const std::size_t status = required_field("statut_valid");
  const std::size_t value = required_field("valeur");
  for (auto& feature : features_) {
    if (start_of(feature) < since) continue;
    feature.values[status] = "f";
    feature.values[value] = decimal_text(std::stod(feature.values[value]) * 1.1);
  }
}

// Sets the value of an existing measure, or adds the measure as a copy of the station's row for
// that pollutant with the next ObjectId (a filled gap). The measure is provisional when asked
// (--provisional-set) or, for an added one, when it falls in the provisional hours.
void FeatureTable::apply_override(const ValueOverride& change, const TableOptions& options) {
  const Millis hour_of_now = floor_div(options.now, kMillisPerHour) * kMillisPerHour;
  const Millis start = hour_of_now - change.hours_before_now * kMillisPerHour;
  const std::size_t status = required_field("statut_valid");
  Feature* existing = find_measure(change.station, change.pollutant, start);
  if (existing != nullptr) {
    existing->values[required_field("valeur")] = change.value;
    if (change.provisional) existing->values[status] = "f";
    return;
  }
  const Feature* model = find_measure(change.station, change.pollutant, std::nullopt);
  if (model == nullptr) {
    throw std::runtime_error("--set: no series " + change.station + " " + change.pollutant);
  }
  Feature added = *model;
  added.values[required_field("date_debut")] = format_iso8601_utc(start);
  added.values[required_field("date_fin")] = format_iso8601_utc(start + kMillisPerHour);
  added.values[required_field("valeur")] = change.value;
  added.values[object_id_field_] = std::to_string(last_object_id() + 1);
  const bool in_provisional_hours =
      options.provisional_hours > 0 &&
      start >= options.now - options.provisional_hours * kMillisPerHour;
  added.values[status] = change.provisional || in_provisional_hours ? "f" : "t";
  features_.push_back(std::move(added));
}

// The measure of that station and pollutant starting at `start`, or any of theirs without one.
Feature* FeatureTable::find_measure(const std::string& station, const std::string& pollutant,
                                    std::optional<Millis> start) {
  const std::size_t station_field = required_field("code_station");
  const std::size_t pollutant_field = required_field("nom_poll");
  for (auto& feature : features_) {
    if (feature.values[station_field] == station && feature.values[pollutant_field] == pollutant &&
        (!start || start_of(feature) == *start)) {
      return &feature;
    }
  }
  return nullptr;
}

long long FeatureTable::last_object_id() const {
  long long last = 0;
  for (const auto& feature : features_) {
    last = std::max(last, std::stoll(feature.values[object_id_field_]));
  }
  return last;
}

void FeatureTable::drop_from(Millis now) {
  features_.erase(std::remove_if(features_.begin(), features_.end(),
                                 [&](const Feature& f) { return start_of(f) >= now; }),
                  features_.end());
  const std::size_t end = required_field("date_fin");
  last_edit_ = 0;
  for (const auto& feature : features_) {
    last_edit_ = std::max(last_edit_, parse_date_or_throw(feature.values[end], 0));
  }
}

FeatureTable FeatureTable::rewritten() const {
  constexpr Millis kRewriteTakes = 60'000;
  FeatureTable copy = *this;
  long long next_id = last_object_id();
  for (auto& feature : copy.features_) feature.values[object_id_field_] = std::to_string(++next_id);
  copy.last_edit_ += kRewriteTakes;
  return copy;
}

void FeatureTable::write_csv(std::ostream& out) const {
  out << kByteOrderMark << "X,Y";
  for (const auto& field : fields_) out << ',' << field.name;
  out << '\n';
  for (const auto& feature : features_) {
    out << csv_field(feature.x) << ',' << csv_field(feature.y);
    for (const auto& value : feature.values) out << ',' << csv_field(value);
    out << '\n';
  }
}

}  // namespace arcgis_sim
