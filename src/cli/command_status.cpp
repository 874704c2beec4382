#include <memory>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "meteo/store.hpp"
#include "table_output.hpp"

namespace meteo {
namespace {

nlohmann::json counts_json(const RunCounts& c) {
  return {{"fetched", c.fetched},         {"stored", c.stored},
          {"corrections", c.corrections}, {"unchanged", c.unchanged},
          {"rejected", c.rejected},       {"duplicates", c.duplicates},
          {"outside", c.outside},         {"disagreements", c.disagreements}};
}

nlohmann::json optional_time_json(const std::optional<UtcSeconds>& moment) {
  return moment ? nlohmann::json(to_iso8601(*moment)) : nlohmann::json(nullptr);
}

nlohmann::json datasets_json(const std::vector<DatasetState>& datasets) {
  nlohmann::json array = nlohmann::json::array();
  for (const auto& dataset : datasets) {
    array.push_back({{"source", dataset.source},
                     {"dataset", dataset.dataset_id},
                     {"status", dataset.status},
                     {"read_through", optional_time_json(dataset.read_through)},
                     {"newest_observation", optional_time_json(dataset.newest_observation)},
                     {"reason", dataset.reason}});
  }
  return array;
}

nlohmann::json status_json(const StatusReport& report) {
  nlohmann::json runs = nlohmann::json::array(), sets = nlohmann::json::array();
  for (const auto& run : report.recent_runs) {
    runs.push_back({{"id", run.id},
                    {"source", run.source},
                    {"hour", to_iso8601(run.hour)},
                    {"started_at", run.started_at},
                    {"finished_at", run.finished_at},
                    {"status", run.status},
                    {"counts", counts_json(run.counts)},
                    {"message", run.message}});
  }
  for (const auto& set : report.region_sets) {
    sets.push_back({{"name", set.name},
                    {"version", set.checksum},
                    {"location", set.location},
                    {"regions", set.region_count},
                    {"loaded_at", set.loaded_at}});
  }
  return {{"schema_version", report.schema_version},
          {"bundled_schema_version", report.bundled_version},
          {"runs", runs},
          {"region_sets", sets},
          {"datasets", datasets_json(report.datasets)}};
}

std::string optional_time_text(const std::optional<UtcSeconds>& moment) {
  return moment ? to_iso8601(*moment) : "-";
}

// Station datasets only exist from schema version 2 on; a sensor-only install shows none.
void print_datasets_text(std::ostream& out, const std::vector<DatasetState>& datasets) {
  if (datasets.empty()) return;
  out << "\nstation datasets\n";
  std::vector<TextRow> rows;
  for (const auto& dataset : datasets) {
    rows.push_back({dataset.source, dataset.dataset_id, dataset.status,
                    optional_time_text(dataset.read_through),
                    optional_time_text(dataset.newest_observation), dataset.reason});
  }
  print_table(out, {"source", "dataset", "status", "read through", "newest observation", "reason"},
              rows);
}

void print_status_text(std::ostream& out, const StatusReport& report) {
  out << "schema version " << report.schema_version << " (this build expects "
      << report.bundled_version << ")"
      << (report.schema_version < report.bundled_version ? ": run `meteo-etl migrate`" : "")
      << "\n\nregion sets\n";
  std::vector<TextRow> sets;
  for (const auto& set : report.region_sets) {
    sets.push_back(
        {set.name, std::to_string(set.region_count), set.checksum, set.loaded_at, set.location});
  }
  print_table(out, {"name", "regions", "version", "loaded_at", "location"}, sets);
  out << "\nrecent runs\n";
  std::vector<TextRow> runs;
  for (const auto& run : report.recent_runs) {
    const auto& c = run.counts;
    runs.push_back({std::to_string(run.id), run.source, to_iso8601(run.hour), run.status,
                    std::to_string(c.fetched), std::to_string(c.stored),
                    std::to_string(c.corrections), std::to_string(c.rejected),
                    std::to_string(c.outside), run.started_at, run.message});
  }
  print_table(out,
              {"run", "source", "hour", "status", "fetched", "stored", "corrected", "rejected",
               "outside", "started_at", "message"},
              runs);
  print_datasets_text(out, report.datasets);
}

}  // namespace

CommandRegistration register_status(CLI::App& parent) {
  CLI::App* app = parent.add_subcommand("status", "last runs, schema version, loaded region sets");
  auto as_json = std::make_shared<bool>(false);
  app->add_flag("--json", *as_json, "machine-readable output");
  return {app, [as_json](CommandContext& context) {
            Database db = Database::connect(context.config.database);
            const StatusReport report = read_status(db);
            if (*as_json) {
              context.out << status_json(report).dump(2) << '\n';
            } else {
              print_status_text(context.out, report);
            }
            return 0;
          }};
}

}  // namespace meteo
