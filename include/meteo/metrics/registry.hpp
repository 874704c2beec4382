// Prometheus metrics in the text exposition format, written as a node_exporter textfile (*.prom).
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace meteo::metrics {

enum class MetricType { counter, gauge };

// Label name and value, in the order they are rendered.
using Labels = std::vector<std::pair<std::string, std::string>>;

// The samples of one run, grouped in families. Names and label names are checked when a family
// is described or a sample added (Error(software): a bad name is a bug, not an operator mistake).
class Registry {
 public:
  // Declares a family; its HELP and TYPE lines are rendered once, before its samples.
  void describe(std::string name, MetricType type, std::string help);
  // Gauges: the sample takes the value. Counters: the value is added (it must not be negative).
  void set(std::string_view name, const Labels& labels, double value);
  void add(std::string_view name, const Labels& labels, double value);

  // The whole exposition, families in the order they were described, samples in insertion order.
  std::string render() const;

 private:
  struct Sample {
    Labels labels;
    double value = 0;
  };
  struct Family {
    std::string name, help;
    MetricType type;
    std::vector<Sample> samples;
  };
  Family& family(std::string_view name);
  Sample& sample(Family& family, const Labels& labels);

  std::vector<Family> families_;
};

// The escapes of the exposition format: label values escape \, " and newline; HELP text \ and
// newline. Numbers render as Prometheus parses them (NaN, +Inf, -Inf, shortest round-trip).
std::string escape_label_value(std::string_view value);
std::string escape_help(std::string_view help);
std::string format_value(double value);

// Writes `text` so a reader (node_exporter) sees the old file or the new one, never a part: a
// temporary file in the same directory, fsync, mode 0644, rename, fsync of the directory.
// Throws Error(io) naming the file.
void write_file_atomically(const std::filesystem::path& path, std::string_view text);

// Sets meteo_etl_stage_duration_seconds{source, stage} to the time between construction and
// destruction, also when the stage throws: a slow failure is what one wants to see.
inline constexpr std::string_view kStageDuration = "meteo_etl_stage_duration_seconds";
void describe_stage_duration(Registry& registry);
// Sets the stage's duration directly: for a stage whose time is summed over interleaved parts.
void set_stage_duration(Registry& registry, const std::string& source, const std::string& stage,
                        std::chrono::duration<double> elapsed);

class StageTimer {
 public:
  StageTimer(Registry& registry, std::string source, std::string stage);
  ~StageTimer();
  StageTimer(const StageTimer&) = delete;
  StageTimer& operator=(const StageTimer&) = delete;

 private:
  Registry& registry_;
  std::string source_, stage_;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace meteo::metrics
