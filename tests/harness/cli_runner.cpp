#include "cli_runner.hpp"

#include <sstream>

#include "meteo/cli/run_cli.hpp"
#include "test_support.hpp"

namespace meteo::testing {

CliResult run_in_process(std::vector<const char*> args,
                         std::map<std::string, std::string> environment) {
  args.insert(args.begin(), "meteo-etl");
  std::ostringstream out, err;
  const int code = run_cli(static_cast<int>(args.size()), args.data(),
                           environment_of(std::move(environment)), out, err);
  return {code, out.str(), err.str()};
}

std::vector<const CLI::App*> all_commands(const CLI::App& app) {
  std::vector<const CLI::App*> commands;
  for (const CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; })) {
    commands.push_back(command);
    for (const CLI::App* below : all_commands(*command)) commands.push_back(below);
  }
  return commands;
}

}  // namespace meteo::testing
