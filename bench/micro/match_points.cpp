// meteo_match_points: our region matchers on a given file of points, so that bench/peers.sh can
// put other tools (geopandas, PostGIS, MariaDB) beside them on exactly the same points.
//
//   meteo_match_points REGIONS.geojson POINTS.csv [--repeat N] [--matcher indexed|geos|both]
//                      [--answers FILE] [--geos-answers FILE]
//
// POINTS.csv: a header line, then `id,lon,lat` per line (WGS84 degrees). The regions are read as
// `regions load` reads a GeoJSON set (properties `code` and `nom`). Both matchers of
// include/meteo/geo.hpp match every point: the region index (what the tool uses) and the GEOS
// prepared-geometry baseline; --matcher runs only one of them, so that bench/peers.sh can time
// each in its own process, interleaved with the peers. Prints `key value...` lines: points/s of
// each, how often they disagree (both run), the number of points per region (the index run).
// --answers / --geos-answers write each point's region code (`id,code`, code empty when outside)
// for comparing answers point by point.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "meteo/geo/regions.hpp"
#include "text_file.hpp"

namespace {

struct Point {
  std::string id;
  double lon = 0, lat = 0;
};

using Answers = std::vector<std::optional<std::size_t>>;

double parse_double(std::string_view text, std::size_t line) {
  // from_chars rounds correctly, as the peers' parsers do: every tool sees the same doubles.
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    throw std::runtime_error("line " + std::to_string(line) +
                             ": not a number: " + std::string(text));
  }
  return value;
}

std::vector<Point> read_points(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::vector<Point> points;
  std::string line;
  std::getline(in, line);  // the header
  for (std::size_t number = 2; std::getline(in, line); ++number) {
    const std::size_t first = line.find(',');
    const std::size_t second = line.find(',', first + 1);
    if (first == std::string::npos || second == std::string::npos) {
      throw std::runtime_error(path + " line " + std::to_string(number) + ": not id,lon,lat");
    }
    const std::string_view text(line);
    points.push_back({line.substr(0, first),
                      parse_double(text.substr(first + 1, second - first - 1), number),
                      parse_double(text.substr(second + 1), number)});
  }
  return points;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// One untimed pass records the answers (and lets GEOS prepare its geometries, which it does on
// first use), then `repeat` timed passes; the median pass is reported, as the machine is shared.
double time_matcher(const meteo::RegionMatcher& matcher, const std::vector<Point>& points,
                    int repeat, Answers& answers) {
  answers.clear();
  answers.reserve(points.size());
  for (const Point& point : points) answers.push_back(matcher.match(point.lon, point.lat));
  std::vector<double> passes;
  for (int pass = 0; pass < repeat; ++pass) {
    std::size_t inside = 0;
    const auto start = std::chrono::steady_clock::now();
    for (const Point& point : points) inside += matcher.match(point.lon, point.lat) ? 1 : 0;
    passes.push_back(seconds_since(start));
    // Using the result keeps the compiler from dropping the loop.
    if (inside > points.size()) throw std::logic_error("more points inside than points");
  }
  std::sort(passes.begin(), passes.end());
  return passes[passes.size() / 2];
}

void write_answers(const std::string& path, const std::vector<Point>& points,
                   const Answers& answers, const std::vector<meteo::Region>& regions) {
  std::ofstream out(path);
  out << "id,code\n";
  for (std::size_t i = 0; i < points.size(); ++i) {
    out << points[i].id << ',' << (answers[i] ? regions[*answers[i]].code : "") << '\n';
  }
  if (!out.flush()) throw std::runtime_error("cannot write " + path);
}

void report(const char* name, std::size_t points, double seconds) {
  std::printf("seconds %s %.6f\n", name, seconds);
  std::printf("points_per_second %s %.0f\n", name, static_cast<double>(points) / seconds);
}

constexpr const char* kUsage =
    "usage: meteo_match_points REGIONS.geojson POINTS.csv [--repeat N] "
    "[--matcher indexed|geos|both] [--answers FILE] [--geos-answers FILE]\n";

void report_counts(const std::vector<meteo::Region>& regions, const Answers& answers) {
  std::vector<std::size_t> counts(regions.size(), 0);
  std::size_t outside = 0;
  for (const auto& answer : answers) {
    if (answer) {
      ++counts[*answer];
    } else {
      ++outside;
    }
  }
  for (std::size_t r = 0; r < regions.size(); ++r) {
    std::printf("count %s %zu %s\n", regions[r].code.c_str(), counts[r], regions[r].name.c_str());
  }
  std::printf("outside %zu\n", outside);
}

int run(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string answers_path, geos_answers_path, which = "both";
  int repeat = 3;
  std::vector<std::string> files;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const bool has_value = i + 1 < args.size();
    if (args[i] == "--repeat" && has_value) {
      repeat = std::max(1, std::stoi(args[++i]));
    } else if (args[i] == "--matcher" && has_value) {
      which = args[++i];
    } else if (args[i] == "--answers" && has_value) {
      answers_path = args[++i];
    } else if (args[i] == "--geos-answers" && has_value) {
      geos_answers_path = args[++i];
    } else {
      files.push_back(args[i]);
    }
  }
  const bool run_indexed = which == "indexed" || which == "both";
  const bool run_geos = which == "geos" || which == "both";
  if (files.size() != 2 || !(run_indexed || run_geos) || (!answers_path.empty() && !run_indexed) ||
      (!geos_answers_path.empty() && !run_geos)) {
    std::cerr << kUsage;
    return 64;
  }

  meteo::RegionSetConfig spec;  // GeoJSON with `code` and `nom`, the defaults of a region set
  spec.name = "peers";
  const std::vector<meteo::Region> regions =
      meteo::parse_region_document(meteo::bench::read_text(files[0]), spec);
  const std::vector<Point> points = read_points(files[1]);
  if (points.empty()) throw std::runtime_error(files[1] + " has no points");
  std::printf("regions %zu\npoints %zu\nrepeat %d\n", regions.size(), points.size(), repeat);

  Answers indexed_answers, geos_answers;
  if (run_indexed) {
    // No cache directory: the index is built from the contours, and its build time reported
    // apart (the tool builds it once per region set version and caches it).
    const auto indexed = meteo::make_indexed_matcher(regions);
    const double seconds = time_matcher(*indexed, points, repeat, indexed_answers);
    std::printf("index_build_seconds %.3f\n", indexed->stats().build_seconds);
    report("indexed", points.size(), seconds);
    report_counts(regions, indexed_answers);
  }
  if (run_geos) {
    const auto geos = meteo::make_geos_matcher(regions);
    report("geos", points.size(), time_matcher(*geos, points, repeat, geos_answers));
  }
  if (run_indexed && run_geos) {
    std::size_t disagreements = 0;
    for (std::size_t i = 0; i < points.size(); ++i) {
      disagreements += indexed_answers[i] != geos_answers[i] ? 1 : 0;
    }
    std::printf("disagreements_indexed_geos %zu\n", disagreements);
  }

  if (!answers_path.empty()) write_answers(answers_path, points, indexed_answers, regions);
  if (!geos_answers_path.empty()) write_answers(geos_answers_path, points, geos_answers, regions);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& error) {
    std::cerr << "meteo_match_points: " << error.what() << '\n';
    return 1;
  }
}
