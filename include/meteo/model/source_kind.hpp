// The two kinds of source, for the stages that treat them differently but must not see the
// configuration (its `type` text is the configuration's business).
#pragma once

#include <string_view>

namespace meteo {

enum class SourceKind { sensor_feed, station_network };

// The `type` a source of this kind has in the configuration, as the dashboard's meta.json shows it.
constexpr std::string_view source_type_name(SourceKind kind) {
  return kind == SourceKind::station_network ? "opendatasoft-stations" : "sensor-api";
}

}  // namespace meteo
