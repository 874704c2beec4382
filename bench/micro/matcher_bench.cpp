// Point-in-region matching on the real contours: GEOS's exact matcher (the baseline), the region
// index that replaces it, and the bounding-box rule for reference, on the same points.
#include <benchmark/benchmark.h>

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_scale.hpp"
#include "meteo/geo/regions.hpp"
#include "paths.hpp"
#include "text_file.hpp"

namespace meteo::bench {

namespace {

constexpr std::uint64_t kPointSeed = 7;

struct Point {
  double lon = 0, lat = 0;
};

enum class RegionFile { regions, departements, communes };

// Metropolitan France with its sea margins, Corsica included.
constexpr BoundingBox kFranceBox{-5.5, 41.0, 10.0, 51.5};

struct RegionFileData {
  std::vector<Region> regions;
  std::vector<Point> points;  // uniform over the file's area of interest, fixed seed
};

BoundingBox envelope_of(const std::vector<Region>& regions) {
  BoundingBox envelope = bounding_box_of(regions.front());
  for (const auto& region : regions) {
    const BoundingBox box = bounding_box_of(region);
    envelope = {std::min(envelope.min_lon, box.min_lon), std::min(envelope.min_lat, box.min_lat),
                std::max(envelope.max_lon, box.max_lon), std::max(envelope.max_lat, box.max_lat)};
  }
  return envelope;
}

std::vector<Point> uniform_points(const BoundingBox& area, std::size_t count) {
  std::mt19937_64 random(kPointSeed);
  std::uniform_real_distribution<double> lon(area.min_lon, area.max_lon);
  std::uniform_real_distribution<double> lat(area.min_lat, area.max_lat);
  std::vector<Point> points(count);
  for (auto& point : points) point = {lon(random), lat(random)};
  return points;
}

RegionFileData load_region_file(RegionFile file) {
  static const std::map<RegionFile, std::string> kPaths{
      {RegionFile::regions, "geo/regions.geojson"},
      {RegionFile::departements, "geo/departements.geojson"},
      {RegionFile::communes, "geo/communes-31-haute-garonne.geojson"}};
  RegionSetConfig spec;
  spec.name = "bench";
  spec.format = RegionFormat::geojson;
  spec.code_field = "code";
  spec.name_field = "nom";
  RegionFileData data;
  data.regions = parse_region_document(read_text(testing::shared_data(kPaths.at(file))), spec);
  // Communes cover one département: points over France would almost all fall outside it.
  const BoundingBox area = file == RegionFile::communes ? envelope_of(data.regions) : kFranceBox;
  data.points = uniform_points(area, bench_scale().match_points);
  return data;
}

// Each file is read and its points drawn once per process.
const RegionFileData& region_file(RegionFile file) {
  static std::map<RegionFile, RegionFileData> loaded;
  auto found = loaded.find(file);
  if (found == loaded.end()) found = loaded.emplace(file, load_region_file(file)).first;
  return found->second;
}

enum class MatcherKind { geos, indexed, bbox };

RegionIndexOptions index_options() {
  RegionIndexOptions options;  // no cache directory: built from the contours every time
  if (bench_scale().index_max_depth) options.max_depth = *bench_scale().index_max_depth;
  return options;
}

std::unique_ptr<RegionMatcher> build_matcher(const std::vector<Region>& regions, MatcherKind kind) {
  switch (kind) {
    case MatcherKind::geos:
      return make_geos_matcher(regions);
    case MatcherKind::indexed:
      return make_indexed_matcher(regions, index_options());
    case MatcherKind::bbox:
      return make_region_matcher(regions, MatchingMode::bbox);
  }
  throw std::logic_error("unknown matcher kind");
}

// Matchers are built once per file and kind: the benchmark function is called several times
// while Google Benchmark settles on an iteration count, and building is not what it measures.
// Only the current file's are kept (an index over the communes takes a lot of memory).
const RegionMatcher& matcher(RegionFile file, MatcherKind kind) {
  static std::optional<RegionFile> current_file;
  static std::map<MatcherKind, std::unique_ptr<RegionMatcher>> built;
  if (current_file != file) {
    built.clear();
    current_file = file;
  }
  auto& slot = built[kind];
  if (!slot) {
    const RegionFileData& data = region_file(file);
    slot = build_matcher(data.regions, kind);
    // GEOS prepares each geometry on its first test: one untimed pass keeps that out of the
    // first measurement, for every kind alike.
    std::size_t inside = 0;
    for (const Point& point : data.points) inside += slot->match(point.lon, point.lat) ? 1 : 0;
    benchmark::DoNotOptimize(inside);
  }
  return *slot;
}

void report_index_stats(benchmark::State& state, const RegionIndexStats& stats) {
  state.counters["index_build_seconds"] = stats.build_seconds;
  state.counters["index_memory_bytes"] =
      benchmark::Counter(static_cast<double>(stats.memory_bytes), benchmark::Counter::kDefaults,
                         benchmark::Counter::kIs1024);
  state.counters["index_border_leaves"] = static_cast<double>(stats.border_leaves);
  state.counters["index_nodes"] = static_cast<double>(stats.nodes);
  state.counters["index_depth"] = stats.depth;
}

void BM_Match(benchmark::State& state, RegionFile file, MatcherKind kind) {
  const RegionFileData* data = nullptr;
  const RegionMatcher* region_matcher = nullptr;
  try {
    data = &region_file(file);
    region_matcher = &matcher(file, kind);
  } catch (const std::exception& error) {
    state.SkipWithError(error.what());
    return;
  }
  std::size_t inside = 0;
  for (auto _ : state) {
    inside = 0;
    for (const Point& point : data->points) {
      inside += region_matcher->match(point.lon, point.lat).has_value() ? 1 : 0;
    }
    benchmark::DoNotOptimize(inside);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * data->points.size()));
  state.counters["regions"] = static_cast<double>(data->regions.size());
  // Equal for geos and indexed when they agree on how many points lie in some region.
  state.counters["inside_share"] =
      static_cast<double>(inside) / static_cast<double>(data->points.size());
  if (kind == MatcherKind::indexed) {
    report_index_stats(state, static_cast<const IndexedRegionMatcher*>(region_matcher)->stats());
  }
}

void BM_IndexBuild(benchmark::State& state, RegionFile file) {
  const std::vector<Region>* regions = nullptr;
  try {
    regions = &region_file(file).regions;
  } catch (const std::exception& error) {
    state.SkipWithError(error.what());
    return;
  }
  RegionIndexStats stats;
  for (auto _ : state) {
    try {
      const auto index = make_indexed_matcher(*regions, index_options());
      stats = index->stats();
    } catch (const std::exception& error) {
      state.SkipWithError(error.what());
      break;
    }
  }
  report_index_stats(state, stats);
}

// Registered in file order, each file's three matchers side by side: BM_Match/<kind>/<file>.
const bool kMatcherBenchmarksRegistered = [] {
  const std::array<std::pair<RegionFile, const char*>, 3> files{
      {{RegionFile::regions, "regions"},
       {RegionFile::departements, "departements"},
       {RegionFile::communes, "communes"}}};
  const std::array<std::pair<MatcherKind, const char*>, 3> kinds{{{MatcherKind::geos, "geos"},
                                                                  {MatcherKind::indexed, "indexed"},
                                                                  {MatcherKind::bbox, "bbox"}}};
  for (const auto& [file, file_name] : files) {
    for (const auto& [kind, kind_name] : kinds) {
      benchmark::RegisterBenchmark((std::string("BM_Match/") + kind_name + "/" + file_name).c_str(),
                                   BM_Match, file, kind)
          ->Unit(benchmark::kMillisecond);
    }
    benchmark::RegisterBenchmark((std::string("BM_IndexBuild/") + file_name).c_str(), BM_IndexBuild,
                                 file)
        ->Unit(benchmark::kMillisecond);
  }
  return true;
}();

}  // namespace

}  // namespace meteo::bench
