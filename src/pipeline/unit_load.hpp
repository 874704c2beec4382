// Loading one fetched unit: the stages after land raw (parse/validate -> match -> aggregate ->
// load), one overload per record family. The hourly run, a backfill and a replay all load here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "meteo/aggregate/settings.hpp"
#include "meteo/alerts/settings.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/metrics/registry.hpp"
#include "meteo/pipeline/source_regions.hpp"
#include "meteo/sources/source.hpp"
#include "meteo/store/database.hpp"
#include "verify_after_run.hpp"

namespace spdlog {
class logger;
}

namespace meteo::pipeline {

// What every unit of a run loads with.
struct UnitLoad {
  Database& db;
  const SourceConfig& source;
  const SourceRegions& regions;
  std::int64_t run_id;  // the ledger run, already begun
  UtcSeconds run_hour;
  metrics::Registry* metrics;  // stage timings when given
  spdlog::logger& log;
  const alerts::AlertSettings* alerts = nullptr;  // re-detect alerts in the load; none: do not
  UtcSeconds now{};                               // the run's clock, for the alerts' outbox
  aggregate::DailySettings daily{};  // a station source's local days (Config::daily_settings)
};

// A sensor payload: the census ("parse") checks it whole before the transaction; then a thread
// parses and matches it batch by batch ("match") while this one loads ("load"). The transaction
// closes the ledger run. Throws Error on bad data or a failed load; the caller records the failure.
RunCounts load_unit(const UnitLoad& load, const sources::FetchUnit& unit,
                    sources::UnitRecords<SensorReading>& records,
                    std::optional<HourSpan>& observed);

// A station window: one transaction with its watermark; the run is closed after the last unit.
// Widens `observed` by the hours of its observations (verify after run checks them).
RunCounts load_unit(const UnitLoad& load, const sources::FetchUnit& unit,
                    sources::UnitRecords<WeatherObservation>& records,
                    std::optional<HourSpan>& observed);

// An air-quality window (or file): stations matched to the source's region sets, then one
// transaction with its watermark (store::load_air_quality_batch); the run is closed after the
// last unit. Widens `observed` by the hours of its measurements.
RunCounts load_unit(const UnitLoad& load, const sources::FetchUnit& unit,
                    sources::UnitRecords<AirQualityMeasurement>& records,
                    std::optional<HourSpan>& observed);

// "fetched 200, stored 180, ..." for the log line that closes a run.
std::string describe_counts(const RunCounts& counts);

// The name a run of `source` locks: the source's own for the whole feed, one per shard otherwise,
// so the N workers of a source run side by side while two runs of the same shard do not.
std::string source_lock_key(const std::string& source, const Shard& shard);

// "source sensors" or "source sensors shard 1/3", for messages.
std::string describe_worker(const std::string& source, const Shard& shard);

// Error(temporary): another run of the same source (or shard) holds its lock.
Error lock_held_error(const std::string& source, const Shard& shard);

}  // namespace meteo::pipeline
