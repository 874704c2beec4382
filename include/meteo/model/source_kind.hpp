// The kinds of source (one per record family), for the stages that treat them differently but must
// not see the configuration (its `type` text is the configuration's business).
#pragma once

#include <string_view>

namespace meteo {

enum class SourceKind { sensor_feed, station_network, air_quality };

// The `type` a source of this kind has in the configuration, as the dashboard's meta.json shows it.
constexpr std::string_view source_type_name(SourceKind kind) {
  switch (kind) {
    case SourceKind::station_network:
      return "opendatasoft-stations";
    case SourceKind::air_quality:
      return "arcgis-air-quality";
    case SourceKind::sensor_feed:
      break;
  }
  return "sensor-api";
}

}  // namespace meteo
