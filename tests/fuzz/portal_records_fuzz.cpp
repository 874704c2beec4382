// libFuzzer target: an Opendatasoft answer (records page or export) read as station observations
// and as the station list. Refusals are meteo::Error; anything else is a bug.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "meteo/core/errors.hpp"
#include "meteo/sources/stations/portal.hpp"

namespace {

// A fixed "now" keeps every run reproducible: 2026-11-22T10:00:00Z.
constexpr meteo::UtcSeconds kNow{std::chrono::seconds{1795341600}};

void read_observations(std::string_view body) {
  const meteo::ObservationFields fields;  // Toulouse's names, as the seeds use
  const meteo::ParsedObservations parsed =
      meteo::parse_observations(body, "fuzz-station", fields, kNow, "fuzz://records");
  const auto& kept = parsed.observations;
  if (kept.size() + parsed.duplicates + parsed.rejected.size() != parsed.record_count) {
    std::abort();
  }
  // One observation per time, in time order, none in the future.
  for (std::size_t i = 0; i < kept.size(); ++i) {
    if (kept[i].observed_at > kNow) std::abort();
    if (i > 0 && !(kept[i - 1].observed_at < kept[i].observed_at)) std::abort();
  }
}

void read_station_list(std::string_view body) {
  const meteo::StationListFields fields;
  std::vector<std::string> skipped;
  meteo::parse_station_list(body, fields, "fuzz://stations", &skipped);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  try {
    read_observations(body);
  } catch (const meteo::Error&) {
    // Expected: not a records page or an export.
  }
  try {
    read_station_list(body);
  } catch (const meteo::Error&) {
    // Expected: not a station list.
  }
  return 0;
}
