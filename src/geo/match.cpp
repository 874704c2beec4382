#include "meteo/geo/match.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>
#include <utility>

#include "meteo/geo/regions.hpp"

namespace meteo::geo {
namespace {

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool is_home_label(const std::string& label, const std::vector<std::string>& home_labels) {
  return std::any_of(home_labels.begin(), home_labels.end(),
                     [&](const std::string& home) { return equals_ignoring_case(label, home); });
}

// The label is not trusted, only compared: an empty or missing label says nothing.
bool label_disagrees(const std::optional<std::string>& label, bool inside,
                     const std::vector<std::string>& home_labels) {
  if (!label || label->empty()) return false;
  return is_home_label(*label, home_labels) != inside;
}

}  // namespace

MatchSummary match_readings(std::vector<SensorReading> readings,
                            std::span<const RegionMatcher* const> matchers,
                            const std::vector<std::string>& home_labels) {
  MatchSummary summary;
  summary.outside.assign(matchers.size(), 0);
  summary.disagreements.assign(matchers.size(), 0);
  summary.readings.reserve(readings.size());
  for (auto& reading : readings) {
    MatchedReading matched{std::move(reading), {}};
    matched.region_index.reserve(matchers.size());
    for (std::size_t set = 0; set < matchers.size(); ++set) {
      const auto region = matchers[set]->match(matched.reading.longitude, matched.reading.latitude);
      summary.outside[set] += region ? 0 : 1;
      summary.disagreements[set] +=
          label_disagrees(matched.reading.country, region.has_value(), home_labels) ? 1 : 0;
      matched.region_index.push_back(region);
    }
    summary.readings.push_back(std::move(matched));
  }
  return summary;
}

std::vector<MatchedStation> match_stations(std::vector<WeatherStation> stations,
                                           std::span<const RegionMatcher* const> matchers) {
  std::vector<MatchedStation> matched;
  for (auto& station : stations) {
    MatchedStation entry{std::move(station), {}};
    for (const auto* matcher : matchers) {
      entry.region_index.push_back(matcher->match(entry.station.longitude, entry.station.latitude));
    }
    matched.push_back(std::move(entry));
  }
  return matched;
}

}  // namespace meteo::geo
