// One shape for every source: what to fetch (a plan of units), each unit fetched and landed raw
// before anything parses it, then its records checked whole and handed over in batches. The
// pipeline drives every source through the same stages (src/pipeline/source_run.cpp); what
// depends on the record type is a template parameter, so no record pays a virtual call.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "meteo/archive/raw_archive.hpp"
#include "meteo/core/time.hpp"
#include "meteo/model/air_quality.hpp"
#include "meteo/model/records.hpp"
#include "meteo/model/run_counts.hpp"
#include "meteo/sources/file_format.hpp"
#include "meteo/sources/sensor/payload.hpp"
#include "meteo/sources/settings.hpp"
#include "meteo/sources/windows.hpp"

namespace meteo {
struct HttpResponse;
struct BodyStream;
}  // namespace meteo

namespace meteo::sources {

// Fetched, parsed and loaded together: one transaction.
struct FetchUnit {
  std::string partition;                // the dataset; empty for a feed served whole
  std::optional<TimeWindow> window;     // what it covers; none: the feed as it is now
  std::optional<UtcSeconds> watermark;  // moved in the unit's transaction (incremental runs)
  std::string label;                    // "toulouse 42-station-meteo [from, to)", for messages
  UtcSeconds now{};                     // the present when planned: nothing after it is accepted
};

struct RunPlan {
  std::vector<std::string> partitions;  // planned, in order, whether they have units or not
  std::vector<FetchUnit> units;
  // Present for sources whose records carry a station, not a point: matched and stored first.
  std::optional<std::vector<WeatherStation>> stations;
  std::vector<std::pair<std::string, std::string>> skipped;  // partition, why
  std::vector<std::string> problems;                         // worth a warning, not a failure
};

// An archived payload as the pipeline knows it: its file, and a fresh checked stream of it.
struct LandedPayload {
  ArchivedPayload archived;
  std::function<ArchiveReader()> open;
  // The format its sender declared (`serve`: the request's Content-Type); none: told by the
  // extension of its url, as `ingest --file` and a replay tell it.
  std::optional<FileFormat> format;
};

// What stores an answer as it came (the raw archive and its ledger row) before it is parsed.
class Lander {
 public:
  virtual ~Lander() = default;
  // A body to stream into the archive as it arrives, then land_stream once its status is known.
  virtual BodyStream open_stream(const std::string& url) = 0;
  virtual LandedPayload land_stream(long http_status) = 0;
  // A body already whole in memory.
  virtual void land(const std::string& url, const HttpResponse& response) = 0;
  // A local file (`ingest --file`), streamed in as a body would be: url "file:<absolute path>",
  // status 0. Throws Error(usage) naming the path when it cannot be read.
  virtual LandedPayload land_file(const std::filesystem::path& path) = 0;
};

// The newest committed state of a partition (the watermark), for incremental plans.
using WatermarkReader = std::function<std::optional<UtcSeconds>(const std::string& partition)>;

struct PlanRequest {
  UtcSeconds now;
  std::optional<TimeWindow> window;  // backfill: re-read this window; else incremental
  WatermarkReader watermark;
};

// How many records (and rejects) go to the sink at once: per-batch costs are noise at this size.
struct BatchLimits {
  std::size_t records = 16384;
  std::size_t rejects = 1024;
};

// The station a record names, for sources whose stations are learnt from their records (the
// stations' attributes repeated in each record) rather than listed with the plan. A record that
// carries its own point, as a sensor reading does, names none.
struct NoStation {};
template <class Record>
struct StationOf {
  using type = NoStation;
};
template <>
struct StationOf<WeatherObservation> {
  using type = WeatherStation;
};
template <>
struct StationOf<AirQualityMeasurement> {
  using type = AirQualityStation;
};

template <class Record>
class BatchSink {
 public:
  using Station = typename StationOf<Record>::type;
  virtual ~BatchSink() = default;
  // Each station once per unit, before the first record that names it.
  virtual void stations(std::vector<Station>&& batch) = 0;
  virtual void records(std::vector<Record>&& batch) = 0;  // valid, deduplicated, of the shard
  virtual void rejected(std::vector<RejectedRecord>&& batch) = 0;
};

// The records of one fetched unit: checked whole first, then handed over in batches.
template <class Record>
class UnitRecords {
 public:
  explicit UnitRecords(UtcMicros fetched_at) : fetched_at_(fetched_at) {}
  virtual ~UnitRecords() = default;
  UnitRecords(const UnitRecords&) = delete;
  UnitRecords& operator=(const UnitRecords&) = delete;

  UtcMicros fetched_at() const { return fetched_at_; }  // orders payloads: the newest wins
  // Before any transaction, once: checks the unit whole (a malformed payload fails here), logs
  // each reject once, and counts what loading does not learn again (fetched, other_shards,
  // rejected, duplicates).
  virtual RunCounts census() = 0;
  // After census, inside the load's transaction, again when it is retried: the same batches
  // every time.
  virtual void produce(const BatchLimits& limits, BatchSink<Record>& sink) = 0;

 private:
  UtcMicros fetched_at_;
};

enum class History {
  archive,  // a past window is replayed from the raw archive
  portal,   // a past window is read again from the source
};

template <class Record>
class Source {
 public:
  using record_type = Record;
  virtual ~Source() = default;

  virtual const SourceConfig& config() const = 0;
  virtual History history() const = 0;
  // What to fetch. The answers it needs (catalogue, schemas, station list) land through `lander`;
  // a dry run passes none and lands nothing.
  virtual RunPlan plan(const PlanRequest& request, Lander* lander) = 0;
  virtual void print_plan(const RunPlan& plan, std::ostream& out) const = 0;
  // Fetches a unit and lands every answer before anything parses it.
  virtual std::unique_ptr<UnitRecords<Record>> fetch(const FetchUnit& unit, Lander& lander,
                                                     const Shard& shard) = 0;
  // A payload landed earlier (replay), read as if just fetched. Throws Error(usage)
  // when the source's history is not its archive.
  virtual std::unique_ptr<UnitRecords<Record>> adopt(const LandedPayload& payload,
                                                     const Shard& shard) = 0;
  virtual std::size_t requests_made() const = 0;
};

}  // namespace meteo::sources
