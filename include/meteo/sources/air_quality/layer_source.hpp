// ArcGIS air-quality layers (`arcgis-air-quality`, ATMO Occitanie's by default): a unit per layer
// and time window, each answer (description, count, pages) landed raw before it is parsed; the
// stations come with the records. A landed query page or hub CSV is read by `adopt`
// (`ingest --file`).
#pragma once

#include <memory>

#include "meteo/sources/source.hpp"

namespace spdlog {
class logger;
}

namespace meteo::sources {

// A layer keeps 72 hours or 30 days: a backfill reads a window again from it (older history comes
// from hub CSVs through `ingest --file`).
inline constexpr History kAirQualityHistory = History::portal;

// Features per query page at most, whatever the layer's maxRecordCount allows.
inline constexpr std::size_t kMaxArcGisPageSize = 2000;

std::unique_ptr<Source<AirQualityMeasurement>> make_air_quality_source(const SourceConfig& config,
                                                                       spdlog::logger& log);

// How far an incremental run reads each layer: from the watermark minus the lookback.
WindowPolicy window_policy(const AirQualityConfig& air_quality);

}  // namespace meteo::sources
