// meteo-portal-sim: Toulouse Métropole's Opendatasoft portal (Explore API v2.1) as a real HTTP
// server on loopback, for tests, the demo and benchmarks. The catalogue and the station list are
// the real reference files; the measurement series are generated, deterministic from the seed:
// the same options always give byte-identical answers.
//
// Series conventions (see record_series.hpp): one record per 15 minutes for every slot in
// [--from, --now) (--now exclusive); ~2% of slots missing, never the first one nor one on the
// full hour; one record a UTC day repeated; --revision >= 1 adds 0.5 °C to the record at
// --now - 1 h; --future-row adds a record at --now + 2 days; --overflow-row gives the record at
// --now - 2 h a temperature of 1e309 (valid JSON, past a double's range); --events FILE overrides
// the generated values of one dataset's records in a time range (planted_events.hpp); --now-file
// FILE moves the present from outside while the server runs (a live test's new record).
//
// --synop adds Météo-France's SYNOP dataset, donnees-synop-essentielles-omm (many stations, one
// record each every 3 hours; conventions in synop_dataset.hpp). With --synop, --stations and
// --catalog may both be left out: the portal then serves SYNOP alone.
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>

#include "civil_time.hpp"
#include "planted_events.hpp"
#include "portal_catalogue.hpp"
#include "portal_server.hpp"

namespace {

using portal_sim::Seconds;

constexpr int kUsageError = 64;
constexpr int kInputError = 66;

struct Options {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string port_file;
  std::string stations_file;
  std::string catalog_file;
  std::string now = "2026-11-22T06:00:00Z";
  std::string from = "2026-11-20T00:00:00Z";
  int datasets = 0;
  bool include_odd_schema = true;
  std::uint64_t seed = 1;
  int revision = 0;
  int rate_limit_first = 0;
  int retry_after = 1;
  int rate_limit_exports = 0;
  bool cut_exports = false;
  bool future_row = true;
  bool overflow_row = false;
  std::string events_file;
  std::string now_file;
  bool synop = false;
  int daily_quota = 5000;
};

void define_command_line(CLI::App& app, Options& o) {
  app.add_option("--host", o.host, "Address to listen on")->capture_default_str();
  app.add_option("--port", o.port, "Port, 0 for an ephemeral one")->check(CLI::Range(0, 65535));
  app.add_option("--port-file", o.port_file, "Write the bound port here once listening");
  app.add_option("--stations", o.stations_file,
                 "The stations export (a JSON array); required unless --synop")
      ->check(CLI::ExistingFile);
  app.add_option("--catalog", o.catalog_file,
                 "The saved v1 catalogue search (JSON); required unless --synop")
      ->check(CLI::ExistingFile);
  app.add_option("--now", o.now, "The portal's present (ISO 8601); series stop before it")
      ->capture_default_str();
  app.add_option("--from", o.from, "The first record of every series (ISO 8601)")
      ->capture_default_str();
  app.add_option("--datasets", o.datasets, "Serve the first N measurement datasets, 0 = all")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_flag("--include-odd-schema,!--no-odd-schema", o.include_odd_schema,
               "Keep the catalogue's datasets without heure_de_paris (default on)");
  app.add_option("--seed", o.seed, "Same seed, same series")->capture_default_str();
  app.add_option("--revision", o.revision, ">= 1: the record at now - 1 h is corrected (+0.5 °C)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--rate-limit-first", o.rate_limit_first, "Answer 429 to the first N API requests")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--retry-after", o.retry_after, "Retry-After seconds sent with those 429s")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--rate-limit-exports", o.rate_limit_exports,
                 "Answer 429 to the first N exports of a measurement dataset")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_flag("--cut-exports", o.cut_exports,
               "Drop the connection of every measurement dataset's export after its first chunk");
  app.add_flag("--future-row,!--no-future-row", o.future_row,
               "Each series also holds one record dated now + 2 days (default on)");
  app.add_flag("--overflow-row", o.overflow_row,
               "The record at now - 2 h gives its temperature as 1e309, past a double's range");
  app.add_option("--events", o.events_file,
                 "A JSON array of events overriding generated values: each "
                 "{\"dataset\": ID, \"from\": ISO, \"to\": ISO (exclusive), \"field\": "
                 "\"gust\"|\"wind\"|\"temperature\"|\"rain\", \"value\": N} sets that "
                 "field of every record of the dataset in [from, to) (km/h, °C, mm per "
                 "quarter-hour); a temperature may give \"daily_min\" and \"daily_max\" "
                 "instead: a daily curve, lowest at 05:00 UTC, highest at 15:00 UTC")
      ->check(CLI::ExistingFile);
  app.add_flag("--synop", o.synop,
               "Also serve Météo-France's SYNOP dataset donnees-synop-essentielles-omm: 26 "
               "French stations, one record each at 00, 03, ..., 21 UTC in [--from, --now), by "
               "date then station; records, exports/json and exports/csv (';'-separated, a "
               "header of field names); where/order_by on `date`. t/tn12/tx12/tn24/tx24 in K "
               "(t = tc + 273.15), pmer/pres in Pa, ff/raf10 in m/s (raf10 >= ff), rr1..rr24 "
               "in mm over the hours ending at the record (rr6 = rr3 + the previous rr3; -0.1 "
               "is a trace); rr12/tn12/tx12 only at 06 and 18 UTC, rr24/tn24/tx24 only at 06 "
               "UTC; ~1 record in 250 missing (never a station's first); 07558 MILLAU starts "
               "at the first 3-hourly slot at or after --from + 14 days. --revision, "
               "--future-row, --overflow-row and --events do not apply to it. With --synop, "
               "--stations and --catalog may be left out: SYNOP alone");
  app.add_option("--daily-quota", o.daily_quota,
                 "X-RateLimit-Limit sent on every API answer, X-RateLimit-Remaining counting "
                 "down per request, X-RateLimit-Reset the next UTC midnight (Unix seconds); "
                 "informational: only --rate-limit-first answers 429")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--now-file", o.now_file,
                 "Re-read on every request: its ISO 8601 instant replaces --now, so records "
                 "appear when a test moves it (absent or unreadable: --now)");
}

Seconds parse_instant(const std::string& option, const std::string& text) {
  const auto parsed = portal_sim::parse_iso8601(text);
  if (!parsed) throw std::invalid_argument(option + ": not an ISO 8601 timestamp: " + text);
  return *parsed;
}

portal_sim::ServerOptions server_options(const Options& o) {
  portal_sim::ServerOptions options;
  options.series.seed = o.seed;
  options.series.from = parse_instant("--from", o.from);
  options.series.now = parse_instant("--now", o.now);
  if (options.series.from > options.series.now) {
    throw std::invalid_argument("--from must not be after --now");
  }
  options.series.revision = o.revision;
  options.series.future_row = o.future_row;
  options.series.overflow_row = o.overflow_row;
  if (!o.events_file.empty()) {
    try {
      options.series.events = portal_sim::load_planted_events(o.events_file);
    } catch (const std::runtime_error& error) {
      throw std::invalid_argument(error.what());
    }
  }
  options.rate_limit_first = o.rate_limit_first;
  options.retry_after_seconds = o.retry_after;
  options.rate_limit_exports = o.rate_limit_exports;
  options.cut_exports = o.cut_exports;
  options.now_file = o.now_file;
  options.daily_quota = o.daily_quota;
  return options;
}

// Toulouse's reference files are required unless SYNOP alone is asked for.
void require_toulouse_files(const Options& o) {
  if (o.synop && o.stations_file.empty() && o.catalog_file.empty()) return;
  if (o.stations_file.empty()) throw CLI::RequiredError("--stations");
  if (o.catalog_file.empty()) throw CLI::RequiredError("--catalog");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "meteo-portal-sim: a deterministic stand-in for Toulouse Métropole's Opendatasoft portal"};
  Options options;
  define_command_line(app, options);
  try {
    app.parse(argc, argv);
    require_toulouse_files(options);
  } catch (const CLI::ParseError& error) {
    return app.exit(error);
  }

  loopback::block_stop_signals();  // before any thread exists: all inherit it
  signal(SIGPIPE, SIG_IGN);        // a client hanging up must not kill the server

  portal_sim::ServerOptions settings;
  try {
    settings = server_options(options);
  } catch (const std::invalid_argument& error) {
    std::fprintf(stderr, "portal-sim: %s\n", error.what());
    return kUsageError;
  }
  std::optional<portal_sim::PortalServer> portal;
  try {
    portal.emplace(
        portal_sim::Catalogue::load(options.stations_file, options.catalog_file,
                                    {options.datasets, options.include_odd_schema, options.synop}),
        settings);
  } catch (const std::runtime_error& error) {
    std::fprintf(stderr, "portal-sim: %s\n", error.what());
    return kInputError;
  }
  return loopback::serve(portal->http(), {options.host, options.port, options.port_file},
                         "portal-sim");
}
