#include "planted_events.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numbers>
#include <stdexcept>

namespace portal_sim {
namespace {

constexpr double kMinimumHour = 5;   // UTC
constexpr double kMaximumHour = 15;  // UTC

double rounded(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

// -1 at 05:00 UTC, +1 at 15:00 UTC, a half cosine between them both ways.
double daily_shape(Seconds at) {
  const double hour = static_cast<double>(((at % kDay) + kDay) % kDay) / kHour;
  const double warming = kMaximumHour - kMinimumHour;
  if (hour >= kMinimumHour && hour < kMaximumHour) {
    return -std::cos(std::numbers::pi * (hour - kMinimumHour) / warming);
  }
  const double since_peak = std::fmod(hour - kMaximumHour + 24, 24.0);
  return std::cos(std::numbers::pi * since_peak / (24 - warming));
}

PlantedField field_of(const std::string& name) {
  if (name == "gust") return PlantedField::gust;
  if (name == "wind") return PlantedField::wind;
  if (name == "temperature") return PlantedField::temperature;
  if (name == "rain") return PlantedField::rain;
  throw std::runtime_error("unknown field \"" + name + "\" (gust, wind, temperature, rain)");
}

Seconds instant(const nlohmann::json& entry, const char* key) {
  const auto text = entry.at(key).get<std::string>();
  const auto parsed = parse_iso8601(text);
  if (!parsed) throw std::runtime_error(std::string(key) + ": not ISO 8601: " + text);
  return *parsed;
}

PlantedEvent event_of(const nlohmann::json& entry) {
  PlantedEvent event;
  event.dataset = entry.at("dataset").get<std::string>();
  event.from = instant(entry, "from");
  event.to = instant(entry, "to");
  if (event.to <= event.from) throw std::runtime_error("\"to\" must be after \"from\"");
  event.field = field_of(entry.at("field").get<std::string>());
  if (entry.contains("daily_min") || entry.contains("daily_max")) {
    if (event.field != PlantedField::temperature) {
      throw std::runtime_error("daily_min and daily_max are for the temperature only");
    }
    event.daily_curve = true;
    event.daily_min = entry.at("daily_min").get<double>();
    event.daily_max = entry.at("daily_max").get<double>();
  } else {
    event.value = entry.at("value").get<double>();
  }
  return event;
}

}  // namespace

std::vector<PlantedEvent> load_planted_events(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("--events: cannot read " + path);
  std::vector<PlantedEvent> events;
  try {
    const auto document = nlohmann::json::parse(in);
    if (!document.is_array()) throw std::runtime_error("not a JSON array");
    for (const auto& entry : document) {
      try {
        events.push_back(event_of(entry));
      } catch (const std::exception& error) {
        throw std::runtime_error("entry " + std::to_string(events.size()) + ": " + error.what());
      }
    }
  } catch (const std::exception& error) {
    throw std::runtime_error("--events " + path + ": " + error.what());
  }
  return events;
}

void apply_planted_events(const std::vector<PlantedEvent>& events, const std::string& dataset,
                          Seconds at, Reading& r) {
  for (const PlantedEvent& event : events) {
    if (event.dataset != dataset || at < event.from || at >= event.to) continue;
    switch (event.field) {
      case PlantedField::gust:
        r.gust_kmh = static_cast<int>(std::lround(event.value));
        break;
      case PlantedField::wind:
        r.wind_mean_kmh = static_cast<int>(std::lround(event.value));
        r.gust_kmh = std::max(r.gust_kmh, r.wind_mean_kmh);
        break;
      case PlantedField::temperature:
        if (event.daily_curve) {
          const double middle = (event.daily_min + event.daily_max) / 2;
          const double half_range = (event.daily_max - event.daily_min) / 2;
          r.temperature_c = rounded(middle + half_range * daily_shape(at), 1);
        } else {
          r.temperature_c = rounded(event.value, 1);
        }
        break;
      case PlantedField::rain:
        r.rain_mm = rounded(event.value, 1);
        r.rain_peak_mm = std::min(r.rain_peak_mm, r.rain_mm);
        break;
    }
  }
}

}  // namespace portal_sim
