#include <algorithm>
#include <cmath>

#include "meteo/http/client.hpp"

namespace meteo {

std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retry, double unit_random) {
  const double initial =
      static_cast<double>(std::max<long long>(0, policy.initial_backoff.count()));
  const double cap = static_cast<double>(std::max<long long>(0, policy.max_backoff.count()));
  // Past 2^62 every realistic cap has long been reached; clamping keeps ldexp finite.
  const int doublings = std::clamp(retry - 1, 0, 62);
  const double ceiling = std::min(cap, std::ldexp(initial, doublings));
  // Full jitter: spreads the retries of many clients over the whole window.
  const double jitter = unit_random >= 0 ? std::min(unit_random, 1.0) : 0.0;  // NaN -> 0
  return std::chrono::milliseconds(static_cast<long long>(std::floor(ceiling * jitter)));
}

}  // namespace meteo
