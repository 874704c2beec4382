// The command line in the test's own process, for the unit tests of src/cli (meteo_test_cli):
// run_cli as main calls it, and the definitions' tree walked.
#pragma once

#include <CLI/CLI.hpp>
#include <map>
#include <string>
#include <vector>

namespace meteo::testing {

struct CliResult {
  int exit_code;
  std::string out, err;
};

// meteo-etl with `args` (argv[0] added), with `environment` as its whole environment.
CliResult run_in_process(std::vector<const char*> args,
                         std::map<std::string, std::string> environment = {});

// Every command and subcommand of `app`, depth first.
std::vector<const CLI::App*> all_commands(const CLI::App& app);

}  // namespace meteo::testing
