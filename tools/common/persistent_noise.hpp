// The judges' random weather: a first-order autoregressive state, so that a value remembers the
// last one as weather and pollution do.
#pragma once

#include <cmath>
#include <random>

namespace judge {

// Persistence `phi` in [0, 1), stationary spread `sigma`.
class Persistent {
 public:
  Persistent(double phi, double sigma) : phi_(phi), shock_(sigma * std::sqrt(1 - phi * phi)) {}
  double next(std::mt19937_64& random) {
    state_ = phi_ * state_ + shock_ * normal_(random);
    return state_;
  }

 private:
  double phi_;
  double shock_;
  double state_ = 0;
  std::normal_distribution<double> normal_{0, 1};
};

}  // namespace judge
