// What every command receives, and the commands themselves (one file each).
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <ostream>
#include <string>

#include "meteo/config/config.hpp"
#include "meteo/core/hashing.hpp"  // fingerprint, which `regions` stamps on a set

namespace spdlog {
class logger;
}

namespace meteo {

class HttpClient;

struct CommandContext {
  const Config& config;
  spdlog::logger& log;
  std::ostream& out;  // results for the user or a pipe; logs go to the logger
  // Reads the configuration file again, as at start (`watch` on SIGHUP); throws Error.
  std::function<Config()> reload_config = {};
};

// Each command registers its subcommand and options, and returns the action to run once argv is
// parsed and the configuration loaded.
using CommandAction = std::function<int(CommandContext&)>;
struct CommandRegistration {
  CLI::App* app;
  CommandAction action;
};

CommandRegistration register_migrate(CLI::App& parent);
CommandRegistration register_regions(CLI::App& parent);
CommandRegistration register_run(CLI::App& parent);
CommandRegistration register_backfill(CLI::App& parent);
CommandRegistration register_replay(CLI::App& parent);
CommandRegistration register_ingest(CLI::App& parent);
CommandRegistration register_query(CLI::App& parent);
CommandRegistration register_status(CLI::App& parent);
CommandRegistration register_dashboard(CLI::App& parent);
CommandRegistration register_export(CLI::App& parent);
CommandRegistration register_verify(CLI::App& parent);
CommandRegistration register_analyze(CLI::App& parent);
CommandRegistration register_serve(CLI::App& parent);
CommandRegistration register_watch(CLI::App& parent);

}  // namespace meteo
