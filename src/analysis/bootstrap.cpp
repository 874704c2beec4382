#include "bootstrap.hpp"

#include <algorithm>
#include <cmath>

#include "meteo/core/errors.hpp"

namespace meteo::analysis {

DayTotal sum_days(const std::vector<DayTotal>& days) {
  DayTotal total;
  for (const DayTotal& day : days) {
    total.numerator += day.numerator;
    total.denominator += day.denominator;
  }
  return total;
}

DayTotal resample_blocks(const std::vector<DayTotal>& days, int block_days,
                         std::mt19937_64& random) {
  const std::size_t count = days.size();
  if (count == 0) return {};
  const std::size_t block = std::clamp<std::size_t>(static_cast<std::size_t>(block_days), 1, count);
  std::uniform_int_distribution<std::size_t> start(0, count - block);
  DayTotal total;
  for (std::size_t taken = 0; taken < count;) {
    const std::size_t first = start(random);
    for (std::size_t i = 0; i < block && taken < count; ++i, ++taken) {
      total.numerator += days[first + i].numerator;
      total.denominator += days[first + i].denominator;
    }
  }
  return total;
}

std::pair<double, double> percentile_interval(std::vector<double> samples, double level) {
  if (samples.empty()) throw Error(ExitCode::software, "percentile_interval: no samples");
  std::sort(samples.begin(), samples.end());
  const auto quantile = [&](double p) {
    const double position = p * static_cast<double>(samples.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, samples.size() - 1);
    const double weight = position - static_cast<double>(below);
    return samples[below] * (1 - weight) + samples[above] * weight;
  };
  const double tail = (1 - level) / 2;
  return {quantile(tail), quantile(1 - tail)};
}

}  // namespace meteo::analysis
