#include <csignal>
#include <iostream>

#include "meteo/cli/run_cli.hpp"

int main(int argc, char** argv) {
  // Under a file-size limit (`ulimit -f`) a write past it must fail with EFBIG, which the run
  // reports and records like a full disk (74), instead of SIGXFSZ killing it silently mid-run.
  std::signal(SIGXFSZ, SIG_IGN);
  return meteo::run_cli(argc, argv, meteo::process_environment(), std::cout, std::cerr);
}
