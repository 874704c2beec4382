// meteo_micro_bench: Google Benchmark's runner, plus
//   --meteo_scale=full|tiny      input sizes (default: $METEO_BENCH_SCALE, else full)
//   --meteo_index_max_depth=N    the region index's max_depth (default: the scale's)
// and an exit status of 1 when any benchmark reported an error, so ctest can fail on it (a
// baseline the server does not allow is only reported: see unavailable.hpp).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "bench_scale.hpp"
#include "unavailable.hpp"
#include "writer_bench.hpp"

namespace {

constexpr std::string_view kScaleFlag = "--meteo_scale=";
constexpr std::string_view kIndexDepthFlag = "--meteo_index_max_depth=";

// Passes every report on to the usual display reporter and remembers the failed runs: Google
// Benchmark 1.7 exits 0 even when a benchmark called SkipWithError.
class FailureRecordingReporter final : public benchmark::BenchmarkReporter {
 public:
  explicit FailureRecordingReporter(benchmark::BenchmarkReporter* display) : display_(display) {}

  bool ReportContext(const Context& context) override { return display_->ReportContext(context); }
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (!run.error_occurred) continue;
      auto& list = meteo::bench::is_unavailable(run.error_message) ? unavailable_ : failures_;
      list.push_back(run.benchmark_name() + ": " + run.error_message);
    }
    display_->ReportRuns(runs);
  }
  void Finalize() override { display_->Finalize(); }

  const std::vector<std::string>& failures() const { return failures_; }
  const std::vector<std::string>& unavailable() const { return unavailable_; }

 private:
  benchmark::BenchmarkReporter* display_;
  std::vector<std::string> failures_, unavailable_;
};

}  // namespace

int main(int argc, char** argv) {
  const char* scale_from_environment = std::getenv("METEO_BENCH_SCALE");
  std::string scale = scale_from_environment != nullptr ? scale_from_environment : "full";
  std::optional<std::string> index_depth;
  // Google Benchmark rejects flags it does not know: ours are taken out first.
  std::vector<char*> arguments;
  for (int i = 0; i < argc; ++i) {
    const std::string_view argument = argv[i];
    if (argument.starts_with(kScaleFlag)) {
      scale = argument.substr(kScaleFlag.size());
    } else if (argument.starts_with(kIndexDepthFlag)) {
      index_depth = argument.substr(kIndexDepthFlag.size());
    } else {
      arguments.push_back(argv[i]);
    }
  }
  try {
    meteo::bench::select_bench_scale(scale);
    if (index_depth) meteo::bench::override_index_max_depth(std::stoi(*index_depth));
  } catch (const std::logic_error& error) {  // unknown scale, or a depth that is not a number
    std::cerr << "meteo_micro_bench: bad --meteo_ flag: " << error.what() << '\n';
    return 2;
  }
  int remaining = static_cast<int>(arguments.size());
  arguments.push_back(nullptr);
  benchmark::Initialize(&remaining, arguments.data());
  if (benchmark::ReportUnrecognizedArguments(remaining, arguments.data())) return 2;
  benchmark::AddCustomContext("meteo_scale", scale);
  // The input sizes, for the rows column of ratio_table.py's rows.
  const meteo::bench::BenchScale& sizes = meteo::bench::bench_scale();
  benchmark::AddCustomContext("meteo_match_points", std::to_string(sizes.match_points));
  benchmark::AddCustomContext("meteo_payload_readings", std::to_string(sizes.payload_readings));
  benchmark::AddCustomContext("meteo_batch_readings", std::to_string(sizes.batch_readings));
  if (index_depth) benchmark::AddCustomContext("meteo_index_max_depth", *index_depth);

  FailureRecordingReporter reporter(benchmark::CreateDefaultDisplayReporter());
  benchmark::RunSpecifiedBenchmarks(&reporter);
  meteo::bench::release_writer_database();
  benchmark::Shutdown();

  for (const auto& note : reporter.unavailable()) {
    std::cerr << "meteo_micro_bench: not measured here: " << note << '\n';
  }
  if (!reporter.failures().empty()) {
    std::cerr << "meteo_micro_bench: " << reporter.failures().size() << " benchmark(s) failed:\n";
    for (const auto& failure : reporter.failures()) std::cerr << "  " << failure << '\n';
    return 1;
  }
  return 0;
}
