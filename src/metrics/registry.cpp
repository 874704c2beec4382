#include "meteo/metrics/registry.hpp"

#include <algorithm>
#include <cmath>

#include "meteo/core/errors.hpp"

namespace meteo::metrics {
namespace {

bool is_name_start(char c, bool colon_allowed) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         (colon_allowed && c == ':');
}

bool is_name_char(char c, bool colon_allowed) {
  return is_name_start(c, colon_allowed) || (c >= '0' && c <= '9');
}

// Metric names may hold ':', label names may not; "__" label names are reserved to Prometheus.
bool is_valid_name(std::string_view name, bool colon_allowed) {
  if (name.empty() || !is_name_start(name.front(), colon_allowed)) return false;
  return std::all_of(name.begin(), name.end(),
                     [&](char c) { return is_name_char(c, colon_allowed); });
}

void check_labels(std::string_view metric, const Labels& labels) {
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const std::string& name = labels[i].first;
    if (!is_valid_name(name, false) || name.rfind("__", 0) == 0) {
      throw Error(ExitCode::software,
                  "metric " + std::string(metric) + ": invalid label name \"" + name + "\"");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (labels[j].first == name) {
        throw Error(ExitCode::software,
                    "metric " + std::string(metric) + ": label \"" + name + "\" given twice");
      }
    }
  }
}

}  // namespace

void Registry::describe(std::string name, MetricType type, std::string help) {
  if (!is_valid_name(name, true)) {
    throw Error(ExitCode::software, "invalid metric name \"" + name + "\"");
  }
  for (const Family& known : families_) {
    if (known.name != name) continue;
    if (known.type != type) {
      throw Error(ExitCode::software, "metric " + name + " described twice with other types");
    }
    return;  // describing again is harmless: timers describe their family themselves
  }
  families_.push_back({std::move(name), std::move(help), type, {}});
}

Registry::Family& Registry::family(std::string_view name) {
  for (Family& known : families_) {
    if (known.name == name) return known;
  }
  throw Error(ExitCode::software, "metric " + std::string(name) + " was never described");
}

Registry::Sample& Registry::sample(Family& family, const Labels& labels) {
  check_labels(family.name, labels);
  for (Sample& known : family.samples) {
    if (known.labels == labels) return known;
  }
  return family.samples.emplace_back(Sample{labels, 0});
}

void Registry::set(std::string_view name, const Labels& labels, double value) {
  Family& target = family(name);
  if (target.type != MetricType::gauge) {
    throw Error(ExitCode::software, "metric " + target.name + " is a counter: add to it");
  }
  sample(target, labels).value = value;
}

void Registry::add(std::string_view name, const Labels& labels, double value) {
  Family& target = family(name);
  if (target.type != MetricType::counter) {
    throw Error(ExitCode::software, "metric " + target.name + " is a gauge: set it");
  }
  if (!(value >= 0)) {
    throw Error(ExitCode::software, "metric " + target.name + ": a counter only goes up");
  }
  sample(target, labels).value += value;
}

std::string Registry::render() const {
  std::string out;
  for (const Family& family : families_) {
    if (family.samples.empty()) continue;  // HELP and TYPE alone would announce nothing
    out += "# HELP " + family.name + ' ' + escape_help(family.help) + '\n';
    out +=
        "# TYPE " + family.name + (family.type == MetricType::counter ? " counter\n" : " gauge\n");
    for (const Sample& sample : family.samples) {
      out += family.name;
      if (!sample.labels.empty()) {
        out += '{';
        for (std::size_t i = 0; i < sample.labels.size(); ++i) {
          if (i > 0) out += ',';
          out += sample.labels[i].first + "=\"" + escape_label_value(sample.labels[i].second) + '"';
        }
        out += '}';
      }
      out += ' ' + format_value(sample.value) + '\n';
    }
  }
  return out;
}

}  // namespace meteo::metrics
