// A whole file as text, for the benchmarks' inputs (region documents).
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace meteo::bench {

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace meteo::bench
