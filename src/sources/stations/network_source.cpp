#include "meteo/sources/stations/network_source.hpp"

#include <algorithm>
#include <chrono>
#include <ostream>

#include "../landed_body.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/http/client.hpp"
#include "meteo/sources/stations/portal.hpp"

namespace meteo::sources {
namespace {

std::string describe(const TimeWindow& window) {
  return "[" + to_iso8601(window.from) + ", " + to_iso8601(window.to) + ")";
}

// The load counts the rejects it stores again; a dry run (`ingest --dry-run`) has only these.
RunCounts census_of(const ParsedObservations& parsed) {
  RunCounts counts;
  counts.fetched = parsed.record_count;
  counts.rejected = parsed.rejected.size();
  counts.duplicates = parsed.duplicates;
  return counts;
}

// The observations of one window, parsed page by page as they landed: never parsed twice.
class WindowRecords final : public UnitRecords<WeatherObservation> {
 public:
  explicit WindowRecords(ParsedObservations&& parsed)
      : UnitRecords(UtcMicros{}), parsed_(std::move(parsed)) {}

  RunCounts census() override { return census_of(parsed_); }

  // One batch of each: a window fits in memory. Copies, so that a second call hands over the same
  // batches. The stations its records named (a dataset of many stations) come first.
  void produce(const BatchLimits&, BatchSink<WeatherObservation>& sink) override {
    if (!parsed_.stations.empty()) sink.stations(std::vector<WeatherStation>(parsed_.stations));
    sink.records(std::vector<WeatherObservation>(parsed_.observations));
    sink.rejected(std::vector<RejectedRecord>(parsed_.rejected));
  }

 private:
  ParsedObservations parsed_;
};

class StationNetworkSource final : public Source<WeatherObservation> {
 public:
  StationNetworkSource(const SourceConfig& config, spdlog::logger& log)
      : config_(config),
        network_(*config.stations),
        keying_(station_keying(network_)),
        http_(config.http, log),
        portal_(network_.base_url, http_, network_.export_threshold_pages) {}

  const SourceConfig& config() const override { return config_; }
  History history() const override { return kStationNetworkHistory; }

  RunPlan plan(const PlanRequest& request, Lander* lander) override {
    land_through(lander);
    RunPlan plan;
    for (const auto& id : datasets()) {
      const DatasetSchema schema = portal_.dataset_schema(id, network_.fields);
      if (!schema.supported) {
        plan.skipped.emplace_back(id, schema.reason);
        continue;
      }
      plan.partitions.push_back(id);
      for (const auto& window : windows(id, request)) {
        std::optional<UtcSeconds> watermark;
        // Read through the last full hour: re-runs within an hour leave the same state, and what
        // came since is re-read anyway. A backfill never moves the watermark.
        if (!request.window) watermark = floor_to_hour(window.to);
        plan.units.push_back(
            {id, window, watermark, config_.name + " " + id + " " + describe(window), request.now});
      }
    }
    // A dry run stops at the plan: the station list is fetched only to be stored. A dataset of
    // many stations has no list: its records name them.
    if (lander != nullptr && !many_stations_per_dataset()) {
      plan.stations =
          portal_.stations(network_.stations_dataset, network_.station_fields, &plan.problems);
    }
    return plan;
  }

  void print_plan(const RunPlan& plan, std::ostream& out) const override {
    for (const auto& id : plan.partitions) {
      std::size_t windows = 0;
      std::string listed;
      for (const auto& unit : plan.units) {
        if (unit.partition != id) continue;
        ++windows;
        listed += " " + describe(*unit.window);
      }
      out << config_.name << " " << id << ": " << windows << " window(s)" << listed << "\n";
    }
    for (const auto& [id, reason] : plan.skipped) {
      out << config_.name << " " << id << ": skipped (" << reason << ")\n";
    }
    // A window costs one counting request plus its pages or one export.
    out << config_.name << ": " << plan.partitions.size() << " dataset(s), " << plan.units.size()
        << " window(s), at least " << 2 * plan.units.size()
        << " request(s); dry run, nothing changed\n";
  }

  std::unique_ptr<UnitRecords<WeatherObservation>> fetch(const FetchUnit& unit, Lander& lander,
                                                         const Shard&) override {
    land_through(&lander);
    return std::make_unique<WindowRecords>(
        portal_.observations(unit.partition, *unit.window, network_.fields, unit.now, keying_));
  }

  // A page of a dataset of one station names it only in its URL: a past window is read again
  // from the portal. A file of a dataset of many stations names each record's station; its format
  // is the one its sender declared, else its url's extension.
  std::unique_ptr<UnitRecords<WeatherObservation>> adopt(const LandedPayload& payload,
                                                         const Shard&) override {
    if (!many_stations_per_dataset()) {
      throw Error(ExitCode::usage, "source " + config_.name +
                                       ": a station network is read again from its portal "
                                       "(backfill); it takes no archived payload or file, unless "
                                       "its records name their station (station_field)");
    }
    const std::string body = read_whole(payload);
    const std::string& name = payload.archived.origin.url;
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    return std::make_unique<WindowRecords>(parse_observation_file(
        body, name, payload.format, kFileDataset, network_.fields, now, keying_));
  }

  std::size_t requests_made() const override { return portal_.requests_made(); }

 private:
  // The dataset of a file's records that name no station: none does, each is rejected.
  static constexpr const char* kFileDataset = "file";

  bool many_stations_per_dataset() const { return !keying_.field.empty(); }

  void land_through(Lander* lander) {
    if (lander == nullptr) {
      portal_.set_payload_sink({});
      portal_.set_payload_streamer({});
      return;
    }
    portal_.set_payload_sink([lander](const std::string& url, const HttpResponse& response) {
      lander->land(url, response);
    });
    // An export goes to the archive as it arrives; the parser reads it back from there.
    portal_.set_payload_streamer(
        {[lander](const std::string& url) { return lander->open_stream(url); },
         [lander](long status) { return read_whole(lander->land_stream(status)); }});
  }

  std::vector<std::string> datasets() {
    std::vector<std::string> ids = network_.datasets;
    if (ids.empty()) ids = portal_.list_datasets(network_.dataset_pattern);
    // The stations list itself is never a measurement dataset, whatever the pattern matches.
    ids.erase(std::remove(ids.begin(), ids.end(), network_.stations_dataset), ids.end());
    return ids;
  }

  std::vector<TimeWindow> windows(const std::string& id, const PlanRequest& request) const {
    if (request.window) return split_window(*request.window, network_.export_window);
    const TimeWindow window =
        incremental_window(window_policy(network_), request.watermark(id), request.now);
    if (window.from < window.to) return {window};
    return {};
  }

  const SourceConfig& config_;
  const StationNetworkConfig& network_;
  const StationKeying keying_;
  HttpClient http_;
  PortalClient portal_;
};

}  // namespace

std::unique_ptr<Source<WeatherObservation>> make_station_network_source(const SourceConfig& config,
                                                                        spdlog::logger& log) {
  return std::make_unique<StationNetworkSource>(config, log);
}

WindowPolicy window_policy(const StationNetworkConfig& network) {
  return {network.start, network.lookback, network.max_catch_up};
}

}  // namespace meteo::sources
