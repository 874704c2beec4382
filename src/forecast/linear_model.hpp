// The linear model: least squares (Eigen) on an origin's recent temperatures, the target hour's
// harmonics and the pressure tendency, one fit per horizon; and its daily cousin for tomorrow's
// maximum. Features of an origin read no hour after it.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "history.hpp"

namespace meteo::forecast {

// Whether the pressure columns are used: a station without a barometer gets the model without
// them rather than no model.
enum class Pressure { with, without };

int hourly_columns(Pressure pressure);
// Writes the hourly model's inputs at `origin` for `horizon_h` into row[0..hourly_columns);
// false when one of them is missing.
bool hourly_features(const History& history, HourIndex origin, int horizon_h, Pressure pressure,
                     double* row);
// What the hourly model predicts: the change from the origin's temperature to the target's.
double hourly_target(const History& history, HourIndex origin, int horizon_h);

int daily_columns(Pressure pressure);
// The daily model's inputs at `origin` for tomorrow's maximum (the last 24 hours' maximum against
// the last complete day's, the change since the same hour yesterday, the pressure tendency);
// false when one is missing.
bool daily_features(const History& history, HourIndex origin, Pressure pressure, double* row);
// What the daily model predicts: tomorrow's maximum against the last complete day's.
double daily_target(const History& history, HourIndex origin, HourIndex seen);

// Rows of a design matrix, row-major, with their targets. A row left out (missing inputs) is all
// zeros with a zero target: it adds nothing to the normal equations.
struct Design {
  int columns = 0;
  std::vector<double> rows;
  std::vector<double> targets;
  std::vector<char> used;  // 1 where the row holds a case

  std::size_t size() const { return targets.size(); }
  void add(const double* row, double target);
  void skip();
};

// The least-squares coefficients on rows [first, last) of the design; nothing when fewer than
// kMinRowsPerColumn used rows per column are there or the system is singular. A ridge > 0 pulls
// every coefficient but the first (the intercept) towards zero, by ridge times the used rows.
inline constexpr std::size_t kMinRowsPerColumn = 3;
std::optional<std::vector<double>> fit_least_squares(const Design& design, std::size_t first,
                                                     std::size_t last, double ridge = 0);

double predict(const std::vector<double>& coefficients, const double* row);

}  // namespace meteo::forecast
