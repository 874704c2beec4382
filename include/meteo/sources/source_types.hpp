// The source types a config may name, each built on the Source interface. A new type of an
// existing record family adds a case here; a new family adds its record type to AnySource.
#pragma once

#include <memory>
#include <variant>

#include "meteo/sources/source.hpp"

namespace spdlog {
class logger;
}

namespace meteo::sources {

using AnySource = std::variant<std::unique_ptr<Source<SensorReading>>,
                               std::unique_ptr<Source<WeatherObservation>>,
                               std::unique_ptr<Source<AirQualityMeasurement>>>;

// The source `config.type` names; `config` must outlive it.
AnySource make_source(const SourceConfig& config, spdlog::logger& log);

// Where the past of a source is: its raw archive (replay) or the source itself (backfill). Answered
// by the type alone: no source is built.
History history_of(const SourceConfig& config);

}  // namespace meteo::sources
