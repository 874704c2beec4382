#include "meteo/pipeline/station_job.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>

#include "meteo/archive.hpp"
#include "meteo/errors.hpp"
#include "meteo/geo.hpp"
#include "meteo/geo/match.hpp"
#include "meteo/http.hpp"
#include "meteo/pipeline/progress.hpp"
#include "meteo/pipeline/source_regions.hpp"
#include "meteo/station_store.hpp"
#include "payload_landing.hpp"
#include "run_failure.hpp"
#include "run_log_fields.hpp"
#include "verify_after_run.hpp"

namespace meteo::pipeline {
namespace {

std::vector<std::string> station_datasets(const StationNetworkConfig& network,
                                          PortalClient& portal) {
  std::vector<std::string> ids = network.datasets;
  if (ids.empty()) ids = portal.list_datasets(network.dataset_pattern);
  // The stations list itself is never a measurement dataset, whatever the pattern matches.
  ids.erase(std::remove(ids.begin(), ids.end(), network.stations_dataset), ids.end());
  return ids;
}

std::string describe(const TimeWindow& window) {
  return "[" + to_iso8601(window.from) + ", " + to_iso8601(window.to) + ")";
}

struct DatasetPlan {
  std::string dataset_id;
  std::vector<TimeWindow> windows;
};

std::vector<DatasetPlan> plan(Database& db, const SourceConfig& source,
                              const std::vector<std::string>& datasets, const StationJob& job) {
  const StationNetworkConfig& network = *source.stations;
  std::vector<DatasetPlan> plans;
  for (const auto& id : datasets) {
    DatasetPlan entry{id, {}};
    if (job.window) {
      entry.windows = split_window(*job.window, network.export_window);
    } else {
      const TimeWindow window =
          incremental_window(network, read_watermark(db, source.name, id), job.now);
      if (window.from < window.to) entry.windows.push_back(window);
    }
    plans.push_back(std::move(entry));
  }
  return plans;
}

void print_plan(std::ostream& out, const SourceConfig& source,
                const std::vector<DatasetPlan>& plans,
                const std::vector<std::pair<std::string, std::string>>& skipped) {
  std::size_t windows = 0;
  for (const auto& entry : plans) {
    out << source.name << " " << entry.dataset_id << ": " << entry.windows.size() << " window(s)";
    for (const auto& window : entry.windows) out << " " << describe(window);
    out << "\n";
    windows += entry.windows.size();
  }
  for (const auto& [id, reason] : skipped) {
    out << source.name << " " << id << ": skipped (" << reason << ")\n";
  }
  // A window costs one counting request plus its pages or one export.
  out << source.name << ": " << plans.size() << " dataset(s), " << windows
      << " window(s), at least " << 2 * windows << " request(s); dry run, nothing changed\n";
}

}  // namespace

TimeWindow incremental_window(const StationNetworkConfig& network,
                              std::optional<UtcSeconds> watermark, UtcSeconds now) {
  const UtcSeconds read_through = watermark.value_or(network.start);
  const UtcSeconds from =
      watermark ? std::max(network.start, read_through - network.lookback) : network.start;
  const UtcSeconds to = std::min(now, read_through + network.max_catch_up);
  return {from, std::max(from, to)};
}

RunCounts run_station_source(Database& db, const Config& config, const SourceConfig& source,
                             const StationJob& job, spdlog::logger& log, std::ostream& out) {
  const StationNetworkConfig& network = *source.stations;
  auto lock = SourceLock::try_acquire(db, source.name);
  if (!lock) {
    throw Error(ExitCode::temporary,
                "source " + source.name + ": another run holds its lock; try again later");
  }
  if (!job.dry_run) recover_abandoned_runs(db, source.name, log);
  HttpClient http(source.http, log);
  PortalClient portal(network.base_url, http);
  const SourceRegions regions = load_source_regions(db, config, source, log);
  // Every failure past this point, the portal's included, leaves a failed ledger row.
  const std::int64_t run_id = job.dry_run ? 0 : begin_run(db, source.name, job.run_hour);
  const RawArchive archive(config.archive);
  int sequence = 0;
  if (!job.dry_run) {
    portal.set_payload_sink([&](const std::string& url, const HttpResponse& response) {
      land_payload(
          db, archive,
          {source.name, job.run_hour, run_id, sequence++, now_micros(), url, response.status},
          response.body);
    });
  }
  RunCounts total;
  std::optional<HourSpan> observed;  // the measurement hours of what this run wrote
  try {
    std::vector<std::string> supported;
    std::vector<std::pair<std::string, std::string>> skipped;
    for (const auto& id : station_datasets(network, portal)) {
      const DatasetSchema schema = portal.dataset_schema(id, network.fields);
      if (schema.supported) {
        supported.push_back(id);
      } else {
        skipped.emplace_back(id, schema.reason);
      }
    }
    const std::vector<DatasetPlan> plans = plan(db, source, supported, job);
    if (job.dry_run) {
      print_plan(out, source, plans, skipped);
      return {};
    }
    std::vector<std::string> station_problems;
    sync_stations(db, source.name, regions.set_pointers(),
                  geo::match_stations(portal.stations(network.stations_dataset,
                                                      network.station_fields, &station_problems),
                                      regions.matcher_pointers()));
    for (const auto& problem : station_problems) log.warn("source {}: {}", source.name, problem);
    for (const auto& [id, reason] : skipped) {
      log.warn("source {}: dataset {} skipped: {}", source.name, id, reason);
      record_skipped_dataset(db, source.name, id, reason);
    }
    std::size_t steps = 0;
    for (const auto& entry : plans) steps += entry.windows.size();
    const auto progress = start_progress(job.progress, steps, "windows");
    const LogFields run = run_fields(source.name, run_id, job.run_hour);
    for (const auto& entry : plans) {
      for (const auto& window : entry.windows) {
        ParsedObservations parsed =
            portal.observations(entry.dataset_id, window, network.fields, job.now);
        for (const auto& observation : parsed.observations)
          widen(observed, observation.observed_at);
        StationBatch batch;
        batch.run_id = run_id;
        batch.source = source.name;
        batch.dataset_id = entry.dataset_id;
        batch.run_hour = job.run_hour;
        batch.region_sets = regions.set_pointers();
        batch.fetched = parsed.record_count;
        batch.observations = std::move(parsed.observations);
        batch.rejected = std::move(parsed.rejected);
        total.duplicates += parsed.duplicates;
        // Read through the last full hour: re-runs within an hour leave the same state, and
        // what came since is re-read anyway. A backfill never moves the watermark.
        if (!job.window) batch.watermark = floor_to_hour(window.to);
        const RunCounts counts = load_station_batch(db, batch);
        total += counts;
        const std::string what = source.name + " " + entry.dataset_id + " " + describe(window);
        progress->step(what);
        log_with(log, progress->step_level(),
                 LogFields(run)
                     .add("dataset", entry.dataset_id)
                     .add(counts_fields(counts, CountsScope::unit)),
                 "{}: fetched {}, stored {}, corrections {}, unchanged {}, rejected {}", what,
                 counts.fetched, counts.stored, counts.corrections, counts.unchanged,
                 counts.rejected);
      }
    }
    finish_run(db, run_id, total);
    log_with(log, spdlog::level::info,
             LogFields(run)
                 .add("datasets", plans.size())
                 .add(counts_fields(total))
                 .add("skipped_datasets", skipped.size())
                 .add("requests", portal.requests_made()),
             "source {}: run {} succeeded: {} dataset(s), fetched {}, stored {}, corrections {}, "
             "unchanged {}, rejected {}, duplicates {}, {} skipped dataset(s), {} request(s)",
             source.name, run_id, plans.size(), total.fetched, total.stored, total.corrections,
             total.unchanged, total.rejected, total.duplicates, skipped.size(),
             portal.requests_made());
  } catch (const std::exception& error) {
    if (!job.dry_run) record_run_failure(db, run_id, source.name, error, log);
    throw;
  }
  // Under the source's lock, as for a sensor run; a backfill is not the hourly job.
  if (!job.window) verify_after_station_run(db, config, source.name, job.run_hour, observed, log);
  return total;
}

}  // namespace meteo::pipeline
