#include "meteo/sources/air_quality/layer_source.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <functional>
#include <iterator>
#include <map>
#include <ostream>

#include "../landed_body.hpp"
#include "arcgis_client.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/http/client.hpp"
#include "meteo/sources/air_quality/parse.hpp"

namespace meteo::sources {
namespace {

std::string describe(const TimeWindow& window) {
  return "[" + to_iso8601(window.from) + ", " + to_iso8601(window.to) + ")";
}

// Whole hours only: the layer's records start on the hour.
TimeWindow whole_hours(TimeWindow window) {
  window.from = floor_to_hour(window.from);
  window.to = floor_to_hour(window.to);
  return window;
}

template <class T>
void hand_over_in_batches(std::vector<T> all, std::size_t limit,
                          const std::function<void(std::vector<T>&&)>& to) {
  limit = std::max<std::size_t>(limit, 1);
  for (std::size_t first = 0; first < all.size(); first += limit) {
    const auto begin = all.begin() + static_cast<std::ptrdiff_t>(first);
    const auto end = all.begin() + static_cast<std::ptrdiff_t>(std::min(all.size(), first + limit));
    to(std::vector<T>(std::make_move_iterator(begin), std::make_move_iterator(end)));
  }
}

// The records of one unit (a window read page by page, or an adopted payload), parsed once.
class UnitMeasurements final : public UnitRecords<AirQualityMeasurement> {
 public:
  UnitMeasurements(ParsedAirQuality&& parsed, std::string label, spdlog::logger& log)
      : UnitRecords(UtcMicros{}), parsed_(std::move(parsed)), label_(std::move(label)), log_(log) {}

  RunCounts census() override {
    for (const auto& reject : parsed_.rejected) {
      log_.warn("{}: record {} rejected: {}", label_, reject.position, reject.reason);
    }
    RunCounts counts;
    counts.fetched = parsed_.record_count;
    counts.rejected = parsed_.rejected.size();
    counts.duplicates = parsed_.duplicates;
    counts.kept_negative = parsed_.kept_negative;
    return counts;
  }

  // Stations first, then the measurements, then the rejects; copies, so that a retried
  // transaction gets the same batches.
  void produce(const BatchLimits& limits, BatchSink<AirQualityMeasurement>& sink) override {
    sink.stations(std::vector<AirQualityStation>(parsed_.stations));
    hand_over_in_batches<AirQualityMeasurement>(
        parsed_.measurements, limits.records,
        [&](std::vector<AirQualityMeasurement>&& batch) { sink.records(std::move(batch)); });
    hand_over_in_batches<RejectedRecord>(
        parsed_.rejected, limits.rejects,
        [&](std::vector<RejectedRecord>&& batch) { sink.rejected(std::move(batch)); });
  }

 private:
  ParsedAirQuality parsed_;
  std::string label_;
  spdlog::logger& log_;
};

// The first byte after an optional BOM: '{' a query page, else a hub CSV.
bool is_json_page(std::string_view body) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (body.substr(0, kBom.size()) == kBom) body.remove_prefix(kBom.size());
  const auto first = body.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && body[first] == '{';
}

class AirQualitySource final : public Source<AirQualityMeasurement> {
 public:
  AirQualitySource(const SourceConfig& config, spdlog::logger& log)
      : config_(config),
        aq_(*config.air_quality),
        log_(log),
        http_(config.http, log),
        client_(http_, config.http.retry) {}

  const SourceConfig& config() const override { return config_; }
  History history() const override { return kAirQualityHistory; }

  RunPlan plan(const PlanRequest& request, Lander* lander) override {
    land_through(lander);
    RunPlan plan;
    for (const auto& layer : aq_.layers) {
      const ArcGisLayerInfo info = client_.layer_info(layer.url);
      if (!info.supports_pagination) {
        throw Error(ExitCode::data, "source " + config_.name + ": layer " + layer.key + " (" +
                                        displayable_url(layer.url) +
                                        ") does not support pagination: it cannot be read whole");
      }
      page_size_[layer.key] = std::min(info.max_record_count, kMaxArcGisPageSize);
      plan.partitions.push_back(layer.key);
      for (const auto& window : windows(layer.key, request)) {
        std::optional<UtcSeconds> watermark;
        // A backfill never moves the watermark.
        if (!request.window) watermark = floor_to_hour(window.to);
        plan.units.push_back({layer.key, window, watermark,
                              config_.name + " " + layer.key + " " + describe(window),
                              request.now});
      }
    }
    return plan;
  }

  void print_plan(const RunPlan& plan, std::ostream& out) const override {
    for (const auto& key : plan.partitions) {
      std::size_t windows = 0;
      std::string listed;
      for (const auto& unit : plan.units) {
        if (unit.partition != key) continue;
        ++windows;
        listed += " " + describe(*unit.window);
      }
      const auto size = page_size_.find(key);
      out << config_.name << " " << key << ": " << windows << " window(s)" << listed
          << ", pages of " << (size == page_size_.end() ? 0 : size->second) << "\n";
    }
    // A window costs two descriptions, a count and at least one page.
    out << config_.name << ": " << plan.partitions.size() << " layer(s), " << plan.units.size()
        << " window(s), at least " << 4 * plan.units.size()
        << " request(s); dry run, nothing changed\n";
  }

  std::unique_ptr<UnitRecords<AirQualityMeasurement>> fetch(const FetchUnit& unit, Lander& lander,
                                                            const Shard& shard) override {
    require_whole(shard);
    land_through(&lander);
    const AirQualityLayer& layer = layer_of(unit.partition);
    const auto size = page_size_.find(layer.key);
    if (size == page_size_.end()) {
      throw Error(ExitCode::software, "source " + config_.name + ": layer " + layer.key +
                                          " fetched before it was planned");
    }
    air_quality::LayerWindow read = client_.read_window(
        layer.url, aq_.where, *unit.window, size->second, aq_.fields, aq_.rules, unit.now);
    log_.debug("{}: {} feature(s) in {} page(s)", unit.label, read.count, read.pages);
    return std::make_unique<UnitMeasurements>(std::move(read.parsed), unit.label, log_);
  }

  // A landed query page or hub CSV (`ingest --file`): every row it holds, the `where` unapplied.
  std::unique_ptr<UnitRecords<AirQualityMeasurement>> adopt(const LandedPayload& payload,
                                                            const Shard& shard) override {
    require_whole(shard);
    const std::string body = read_whole(payload);
    const std::string& origin = payload.archived.origin.url;
    const UtcSeconds now =
        std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    ParsedAirQuality parsed =
        is_json_page(body) ? parse_air_quality_page(body, aq_.fields, aq_.rules, now, origin).parsed
                           : parse_air_quality_csv(body, aq_.fields, aq_.rules, now, origin);
    return std::make_unique<UnitMeasurements>(std::move(parsed),
                                              "source " + config_.name + " " + origin, log_);
  }

  std::size_t requests_made() const override { return client_.requests_made(); }

 private:
  // A layer's window is small and loads in one transaction: there is nothing to split.
  void require_whole(const Shard& shard) const {
    if (shard.whole()) return;
    throw Error(ExitCode::usage, "--shard splits a sensor feed; source " + config_.name +
                                     " is an air-quality layer: name the sensor sources with "
                                     "--source");
  }

  void land_through(Lander* lander) {
    if (lander == nullptr) {
      client_.set_payload_sink({});
      return;
    }
    client_.set_payload_sink([lander](const std::string& url, const HttpResponse& response) {
      lander->land(url, response);
    });
  }

  const AirQualityLayer& layer_of(const std::string& key) const {
    for (const auto& layer : aq_.layers) {
      if (layer.key == key) return layer;
    }
    throw Error(ExitCode::software, "source " + config_.name + ": no layer " + key);
  }

  std::vector<TimeWindow> windows(const std::string& key, const PlanRequest& request) const {
    if (request.window) return split_window(whole_hours(*request.window), aq_.backfill_window);
    const TimeWindow window =
        whole_hours(incremental_window(window_policy(aq_), request.watermark(key), request.now));
    if (window.from < window.to) return {window};
    return {};
  }

  const SourceConfig& config_;
  const AirQualityConfig& aq_;
  spdlog::logger& log_;
  HttpClient http_;
  air_quality::ArcGisClient client_;
  std::map<std::string, std::size_t> page_size_;  // layer key -> features per page
};

}  // namespace

std::unique_ptr<Source<AirQualityMeasurement>> make_air_quality_source(const SourceConfig& config,
                                                                       spdlog::logger& log) {
  return std::make_unique<AirQualitySource>(config, log);
}

WindowPolicy window_policy(const AirQualityConfig& air_quality) {
  return {air_quality.start, air_quality.lookback, air_quality.max_catch_up};
}

}  // namespace meteo::sources
