// meteo-arcgis-sim: ATMO Occitanie's hourly air-quality layer (an ArcGIS FeatureServer) as a
// real HTTP server on loopback, for tests. The features are the hub's CSV download, moved by
// whole days so that its newest hour is just before --now: the same options always give
// byte-identical answers.
//
// Routes: GET /arcgis/rest/services/<service>/FeatureServer/0?f=json (the layer),
// .../FeatureServer/0/query (pages, counts), /stats, /healthz. Errors come as ArcGIS sends them:
// {"error": {...}} inside an HTTP 200; only the injected rate limit answers 429.
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "arcgis_server.hpp"
#include "feature_table.hpp"

namespace {

constexpr int kUsageError = 64;
constexpr int kInputError = 66;
constexpr int kCannotCreate = 73;

struct Options {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string port_file;
  std::string csv_file;
  std::string now = "2026-11-22T09:00:00Z";
  arcgis_sim::ServerOptions server;
  int provisional_hours = 0;
  int revision = 0;
  std::vector<std::string> sets;
  std::vector<std::string> provisional_sets;
  std::string dump_csv;
};

void define_listening(CLI::App& app, Options& o) {
  app.add_option("--host", o.host, "Address to listen on")->capture_default_str();
  app.add_option("--port", o.port, "Port, 0 for an ephemeral one")->check(CLI::Range(0, 65535));
  app.add_option("--port-file", o.port_file, "Write the bound port here once listening");
  app.add_option("--service", o.server.service, "The FeatureServer's service name")
      ->capture_default_str();
}

void define_data(CLI::App& app, Options& o) {
  app.add_option("--csv", o.csv_file, "The hub's CSV download of the layer")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("--now", o.now, "The layer's present (ISO 8601 UTC); no row starts at or after it")
      ->capture_default_str();
  app.add_option("--provisional-hours", o.provisional_hours,
                 "Rows of the last N hours: statut_valid 'f', value x 1.1")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--revision", o.revision,
                 "1: the provisional rows come back validated (originals); 2: provisional again")
      ->check(CLI::Range(0, 2));
  app.add_option("--set", o.sets,
                 "STATION,POLL,HOURS_BEFORE_NOW,VALUE: set (or add) one measure; repeatable");
  app.add_option("--provisional-set", o.provisional_sets,
                 "As --set, the measure provisional (statut_valid 'f'); gone in revision 1");
  app.add_option("--dump-csv", o.dump_csv, "Write what is served, as the hub's CSV, then serve");
}

void define_behaviour(CLI::App& app, Options& o) {
  auto& s = o.server;
  app.add_option("--max-record-count", s.max_record_count, "The most features a page holds")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_flag("--no-pagination{false}", s.pagination,
               "supportsPagination false; resultOffset and resultRecordCount refused");
  app.add_option("--error-at-offset", s.error_at_offset,
                 "The first page query at this resultOffset gets an ArcGIS error")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--error-code", s.error_code, "The code of that error")->capture_default_str();
  app.add_flag("--rewrite-after-first-page", s.rewrite_after_first_page,
               "Once a first page is answered, renumber the ObjectIds and bump lastEditDate");
  app.add_option("--rate-limit-first", s.rate_limit_first,
                 "Answer HTTP 429 to the first N layer requests")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--retry-after", s.retry_after_seconds, "Retry-After seconds sent with those 429s")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
}

arcgis_sim::TableOptions table_options(const Options& o) {
  arcgis_sim::TableOptions table;
  const auto now = arcgis_sim::parse_iso8601_utc(o.now);
  if (!now) throw std::invalid_argument("--now: not an ISO 8601 UTC timestamp: " + o.now);
  table.now = *now;
  // Revision 1 is the later answer in which the hub has validated the provisional measures: the
  // originals come back.
  const bool validated = o.revision == 1;
  table.provisional_hours = validated ? 0 : o.provisional_hours;
  for (const auto& text : o.sets) {
    table.overrides.push_back(arcgis_sim::parse_value_override(text, false));
  }
  if (validated) return table;
  for (const auto& text : o.provisional_sets) {
    table.overrides.push_back(arcgis_sim::parse_value_override(text, true));
  }
  return table;
}

bool dump(const arcgis_sim::FeatureTable& table, const std::string& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  table.write_csv(out);
  return static_cast<bool>(out.flush());
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"meteo-arcgis-sim: a deterministic stand-in for ATMO Occitanie's ArcGIS layer"};
  Options options;
  define_listening(app, options);
  define_data(app, options);
  define_behaviour(app, options);
  CLI11_PARSE(app, argc, argv);

  loopback::block_stop_signals();  // before any thread exists: all inherit it
  signal(SIGPIPE, SIG_IGN);        // a client hanging up must not kill the server

  arcgis_sim::TableOptions table;
  try {
    table = table_options(options);
  } catch (const std::invalid_argument& error) {
    std::fprintf(stderr, "arcgis-sim: %s\n", error.what());
    return kUsageError;
  }
  std::optional<arcgis_sim::ArcGisServer> layer;
  try {
    auto features = arcgis_sim::FeatureTable::load(options.csv_file, table);
    if (!options.dump_csv.empty() && !dump(features, options.dump_csv)) {
      std::fprintf(stderr, "arcgis-sim: cannot write %s\n", options.dump_csv.c_str());
      return kCannotCreate;
    }
    layer.emplace(std::move(features), options.server);
  } catch (const std::runtime_error& error) {
    std::fprintf(stderr, "arcgis-sim: %s\n", error.what());
    return kInputError;
  }
  return loopback::serve(layer->http(), {options.host, options.port, options.port_file},
                         "arcgis-sim");
}
