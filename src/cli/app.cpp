#include <spdlog/spdlog.h>
#include <unistd.h>

#include <iostream>
#include <vector>

#include "commands.hpp"
#include "logging.hpp"
#include "meteo/cli.hpp"
#include "meteo/errors.hpp"
#include "meteo/hashing.hpp"
#include "meteo/http.hpp"
#include "meteo/version.hpp"

namespace meteo {
namespace {

struct GlobalOptions {
  std::string config_path;
  std::string log_level;   // empty: the config's, else info
  std::string log_format;  // empty: the config's, else text
};

// --config wins over $METEO_ETL_CONFIG; there is no implicit default path.
std::filesystem::path config_path(const GlobalOptions& options,
                                  const EnvironmentLookup& environment) {
  if (!options.config_path.empty()) return options.config_path;
  if (auto from_environment = environment("METEO_ETL_CONFIG")) return *from_environment;
  throw Error(ExitCode::usage, "no configuration: pass --config FILE or set METEO_ETL_CONFIG");
}

// Only the process's own stderr can be the journal's stream or a terminal; a test's string stream
// never is.
LogDestination log_destination(const EnvironmentLookup& environment, const std::ostream& err) {
  if (&err != &std::cerr) return {};
  return {is_journal_stream(environment, STDERR_FILENO), ::isatty(STDERR_FILENO) == 1};
}

int run_action(const CommandAction& action, const GlobalOptions& options,
               const EnvironmentLookup& environment, std::ostream& out, std::ostream& err) {
  const LogDestination destination = log_destination(environment, err);
  // Until the configuration is read, log with the command line's choices (or the defaults).
  auto log = make_logger(err, options.log_format.empty() ? "text" : options.log_format,
                         options.log_level.empty() ? "info" : options.log_level, destination);
  try {
    const Config config = load_config(config_path(options, environment), environment,
                                      [&](const std::string& warning) { log->warn(warning); });
    // The command line wins over the configuration file.
    log = make_logger(err, options.log_format.empty() ? config.logging.format : options.log_format,
                      options.log_level.empty() ? config.logging.level : options.log_level,
                      destination);
    const CurlGlobal curl;
    CommandContext context{config, *log, out};
    return action(context);
  } catch (const Error& error) {
    const int code = static_cast<int>(error.code());
    log_with(*log, spdlog::level::err, LogFields().add("exit_code", code), "{}", error.what());
    return code;
  } catch (const std::exception& error) {
    const int code = static_cast<int>(ExitCode::software);
    log_with(*log, spdlog::level::critical, LogFields().add("exit_code", code),
             "internal error: {}", error.what());
    return code;
  }
}

}  // namespace

int run_cli(int argc, const char* const* argv, const EnvironmentLookup& environment,
            std::ostream& out, std::ostream& err) {
  CLI::App app{"meteo-etl: hourly weather ETL (sensor feed -> regions -> MySQL)", "meteo-etl"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("meteo-etl ") + kVersion);
  GlobalOptions options;
  app.add_option("--config", options.config_path,
                 "configuration file (TOML); default: $METEO_ETL_CONFIG");
  app.add_option("--log-level", options.log_level,
                 "trace, debug, info, warning (or warn), error, critical or off (default: the "
                 "config's)")
      ->check(CLI::IsMember(log_level_spellings()));
  app.add_option("--log-format", options.log_format, "text or json lines (default: the config's)")
      ->check(CLI::IsMember({"text", "json"}));

  const std::vector<CommandRegistration> commands{
      register_migrate(app), register_regions(app), register_run(app),    register_backfill(app),
      register_replay(app),  register_query(app),   register_status(app), register_dashboard(app),
      register_export(app),  register_verify(app)};
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error, out, err);
    return code == 0 ? 0 : static_cast<int>(ExitCode::usage);
  }
  for (const auto& command : commands) {
    if (command.app->parsed()) return run_action(command.action, options, environment, out, err);
  }
  return static_cast<int>(ExitCode::usage);
}

std::string fingerprint(std::string_view content) {
  return fnv1a64_hex(content);
}

}  // namespace meteo
