// The command line: parses argv, sets up logging and dispatches to one command per file.
#pragma once

#include <iosfwd>

#include "meteo/config/config.hpp"

namespace meteo {

// Runs the tool as main() would and returns the process exit code. Output goes to `out`, logs to
// `err`; the environment is injected so tests control it.
int run_cli(int argc, const char* const* argv, const EnvironmentLookup& environment,
            std::ostream& out, std::ostream& err);

}  // namespace meteo
