#include "linear_model.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <numbers>

#include "candidates.hpp"

namespace meteo::forecast {
namespace {

bool all_observed(const double* row, int columns) {
  return std::none_of(row, row + columns, [](double value) { return std::isnan(value); });
}

}  // namespace

int hourly_columns(Pressure pressure) {
  return pressure == Pressure::with ? 11 : 9;
}

bool hourly_features(const History& history, HourIndex origin, int horizon_h, Pressure pressure,
                     double* row) {
  const double now = history.temperature_at(origin);
  const HourIndex target = origin + horizon_h;
  const double angle = 2 * std::numbers::pi * history.hour_of_day(target) / 24.0;
  row[0] = 1;
  row[1] = now;
  row[2] = now - history.temperature_at(origin - 1);
  row[3] = now - history.temperature_at(origin - 3);
  // Yesterday's change over the same hours: the day's shape and the sky's (a clear day's cycle
  // is wider than a cloudy one's).
  row[4] = diurnal_persistence(history, origin, horizon_h) - history.temperature_at(origin - 24);
  row[5] = std::sin(angle);
  row[6] = std::cos(angle);
  row[7] = std::sin(2 * angle);
  row[8] = std::cos(2 * angle);
  if (pressure == Pressure::with) {
    // Fronts: the pressure moves before the temperature does.
    const double pressure_now = history.pressure_at(origin);
    row[9] = pressure_now - history.pressure_at(origin - 3);
    row[10] = pressure_now - history.pressure_at(origin - 12);
  }
  return all_observed(row, hourly_columns(pressure));
}

double hourly_target(const History& history, HourIndex origin, int horizon_h) {
  return history.temperature_at(origin + horizon_h) - history.temperature_at(origin);
}

int daily_columns(Pressure pressure) {
  return pressure == Pressure::with ? 5 : 3;
}

double last_day_maximum(const History& history, HourIndex origin) {
  double maximum = kMissing;
  int observed = 0;
  for (HourIndex hour = origin - 23; hour <= origin; ++hour) {
    const double value = history.temperature_at(hour);
    if (!std::isnan(value)) {
      maximum = observed == 0 ? value : std::max(maximum, value);
      ++observed;
    }
  }
  return observed >= kMinDayHours ? maximum : kMissing;
}

bool daily_features(const History& history, HourIndex origin, Pressure pressure, double* row) {
  row[0] = 1;
  // Today's afternoon once it is past: a newer maximum than the last complete day's.
  row[1] = last_day_maximum(history, origin) - persistence_day_maximum(history, origin);
  row[2] = history.temperature_at(origin) - history.temperature_at(origin - 24);
  if (pressure == Pressure::with) {
    const double pressure_now = history.pressure_at(origin);
    row[3] = pressure_now - history.pressure_at(origin - 6);
    row[4] = pressure_now - history.pressure_at(origin - 24);
  }
  return all_observed(row, daily_columns(pressure));
}

double daily_target(const History& history, HourIndex origin, HourIndex seen) {
  return day_maximum(history, tomorrow_start(history, origin), seen) -
         persistence_day_maximum(history, origin);
}

void Design::add(const double* row, double target) {
  rows.insert(rows.end(), row, row + columns);
  targets.push_back(target);
  used.push_back(1);
}

void Design::skip() {
  rows.insert(rows.end(), static_cast<std::size_t>(columns), 0.0);
  targets.push_back(0);
  used.push_back(0);
}

std::optional<std::vector<double>> fit_least_squares(const Design& design, std::size_t first,
                                                     std::size_t last, double ridge) {
  last = std::min(last, design.size());
  if (first >= last) {
    return std::nullopt;
  }
  const auto used_rows =
      static_cast<std::size_t>(std::count(design.used.begin() + static_cast<long>(first),
                                          design.used.begin() + static_cast<long>(last), 1));
  const auto columns = static_cast<Eigen::Index>(design.columns);
  if (used_rows < kMinRowsPerColumn * static_cast<std::size_t>(columns)) {
    return std::nullopt;
  }
  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const auto count = static_cast<Eigen::Index>(last - first);
  const Eigen::Map<const RowMajor> x(design.rows.data() + first * design.columns, count, columns);
  const Eigen::Map<const Eigen::VectorXd> y(design.targets.data() + first, count);
  // The normal equations (a handful of columns, hundreds of rows): cheap, and a skipped row is a
  // zero row. A vanishing ridge keeps a constant column (a pressure that never moved) solvable.
  Eigen::MatrixXd gram = x.transpose() * x;
  const double guard = 1e-10 * std::max(1.0, gram.trace() / static_cast<double>(columns));
  gram.diagonal().array() += guard;
  gram.diagonal().tail(columns - 1).array() += ridge * static_cast<double>(used_rows);
  const Eigen::LDLT<Eigen::MatrixXd> solver(gram);
  if (solver.info() != Eigen::Success) {
    return std::nullopt;
  }
  const Eigen::VectorXd solution = solver.solve(x.transpose() * y);
  if (!solution.allFinite()) {
    return std::nullopt;
  }
  return std::vector<double>(solution.data(), solution.data() + solution.size());
}

double predict(const std::vector<double>& coefficients, const double* row) {
  double sum = 0;
  for (std::size_t i = 0; i < coefficients.size(); ++i) {
    sum += coefficients[i] * row[i];
  }
  return sum;
}

}  // namespace meteo::forecast
