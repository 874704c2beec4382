// Internal to the sources module: one record of the sensor feed read with simdjson's on-demand
// API, when it is a valid reading whose every byte simdjson and nlohmann read alike.
#pragma once

#include <simdjson.h>

#include "meteo/model/records.hpp"

namespace meteo::sensor_feed {

// What the fast path made of one element.
enum class FastOutcome {
  reading,  // a valid record, read
  exact,    // anything else: left to the exact reader (a reject, an escape, a nested value...)
  broken,   // simdjson failed mid-element: the batch goes to the exact reader
};

// Reads `element` into `reading` when it is a valid record of plain fields. Any doubt (a record
// to reject, a string with an escape or a control character, a nested value, a key given twice)
// is `exact`: the caller hands the element to nlohmann's reader, which words rejects and errors.
FastOutcome read_fast(simdjson::ondemand::value& element, SensorReading& reading);

}  // namespace meteo::sensor_feed
