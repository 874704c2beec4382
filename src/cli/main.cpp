#include <iostream>

#include "meteo/cli.hpp"

int main(int argc, char** argv) {
  return meteo::run_cli(argc, argv, meteo::process_environment(), std::cout, std::cerr);
}
