// Plausible sensor readings over metropolitan France, the same for a given seed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "meteo/model/records.hpp"

namespace meteo::bench {

// UUID-like ids, ISO 8601 timestamps within one hour, coordinates rounded to 5 decimals and
// temperatures to 2, as the partner's feed sends them; country mostly "France", sometimes "FR".
std::vector<SensorReading> synthetic_readings(std::size_t count, std::uint64_t seed);

// The readings as the partner's JSON array, one compact object per record.
std::string sensor_payload_json(const std::vector<SensorReading>& readings);

}  // namespace meteo::bench
