#include <spdlog/spdlog.h>
#include <unistd.h>

#include <iostream>

#include "command_line.hpp"
#include "commands.hpp"
#include "logging.hpp"
#include "manual.hpp"
#include "meteo/cli/run_cli.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/http/client.hpp"

namespace meteo {
namespace {

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
    const std::filesystem::path path = config_path(options, environment);
    const Config config =
        load_config(path, environment, [&](const std::string& warning) { log->warn(warning); });
    // The command line wins over the configuration file.
    log = make_logger(err, options.log_format.empty() ? config.logging.format : options.log_format,
                      options.log_level.empty() ? config.logging.level : options.log_level,
                      destination);
    const CurlGlobal curl;
    CommandContext context{config, *log, out, [&, path] {
                             return load_config(path, environment, [&](const std::string& warning) {
                               log->warn(warning);
                             });
                           }};
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

// Help, --version and the generated documents end the parse early with success; a mistake gets
// CLI11's message, or ours when it is about the command itself.
int finish_early(const CommandLine& line, const CLI::ParseError& error, std::ostream& out,
                 std::ostream& err) {
  if (error.get_exit_code() == 0) {
    if (line.options().print_man_page) {
      print_man_page(line.app(), out);
    } else if (line.options().print_bash_completion) {
      print_bash_completion(line.app(), out);
    } else {
      line.app().exit(error, out, err);
    }
    return 0;
  }
  if (const auto mistake = command_mistake(line.app(), error)) {
    err << *mistake << "\nRun with --help for more information.\n";
  } else {
    line.app().exit(error, out, err);
  }
  return static_cast<int>(ExitCode::usage);
}

}  // namespace

int run_cli(int argc, const char* const* argv, const EnvironmentLookup& environment,
            std::ostream& out, std::ostream& err) {
  CommandLine line;
  try {
    line.app().parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return finish_early(line, error, out, err);
  }
  const CommandAction* action = line.chosen_action();
  if (action == nullptr) return static_cast<int>(ExitCode::usage);
  return run_action(*action, line.options(), environment, out, err);
}

}  // namespace meteo
