#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "meteo/aggregate/temperature_sum.hpp"
#include "meteo/core/errors.hpp"

namespace meteo {
namespace {

TEST(TemperatureSum, ShardsMergeToTheWholeMean) {
  TemperatureSum whole, left, right;
  for (double v : {1.5, 2.5, -3.0}) whole.add(v), left.add(v);
  for (double v : {10.0, 0.25}) whole.add(v), right.add(v);
  left.merge(right);
  EXPECT_EQ(left.count(), whole.count());
  EXPECT_EQ(left, whole);
  EXPECT_EQ(*left.mean(), 11.25 / 5);
  EXPECT_FALSE(TemperatureSum{}.mean().has_value());
}

// Floating-point sums depend on their order; these must not, so that batches, shards and runs
// that add in any order store the same aggregate to the last bit.
TEST(TemperatureSum, AnyOrderAndAnySplitGiveTheSameBits) {
  std::mt19937_64 random(20261123);
  std::uniform_real_distribution<double> temperature(-90, 60);
  std::vector<double> values(10000);
  for (auto& value : values) value = temperature(random);
  values.insert(values.end(), {0.1, 0.2, 0.3, -0.0, 5e-324, -1e-300, 1e-20, -1e-20, 59.999999});

  TemperatureSum in_order;
  for (const double value : values) in_order.add(value);
  std::shuffle(values.begin(), values.end(), random);
  TemperatureSum first_part, second_part;
  for (std::size_t i = 0; i < values.size(); ++i) (i % 3 ? first_part : second_part).add(values[i]);
  second_part.merge(first_part);

  EXPECT_EQ(second_part, in_order);
  EXPECT_EQ(second_part.units_text(), in_order.units_text());
  EXPECT_EQ(*second_part.mean(), *in_order.mean());
  long double exact = 0;
  for (const double value : values) exact += value;
  EXPECT_NEAR(*in_order.mean(), static_cast<double>(exact / values.size()), 1e-12);
}

TEST(TemperatureSum, UnitsAreTwoToTheMinus80DegreesAndReadBack) {
  TemperatureSum one;
  one.add(1.0);
  EXPECT_EQ(one.units_text(), "1208925819614629174706176");  // 2^80
  TemperatureSum cold;
  cold.add(-0.5);
  cold.add(-89.75);
  EXPECT_EQ(cold.units_text(), "-109105555220220283017232384");  // -90.25 * 2^80
  EXPECT_EQ(TemperatureSum::from_units(cold.units_text(), 2), cold);
  EXPECT_EQ(*TemperatureSum::from_units("0", 3).mean(), 0.0);
  EXPECT_EQ(TemperatureSum{}.units_text(), "0");
  // Below 2^-80, a value is cut toward minus infinity.
  TemperatureSum tiny;
  tiny.add(1e-20);
  tiny.add(-1e-20);
  EXPECT_EQ(tiny.units_text(), "-1");
}

TEST(TemperatureSum, RefusesWhatItCannotSumExactly) {
  TemperatureSum sum;
  for (const double value : {4096.0, -1e300, std::numeric_limits<double>::infinity(),
                             std::numeric_limits<double>::quiet_NaN()}) {
    EXPECT_THROW(sum.add(value), Error) << value;
  }
  EXPECT_EQ(sum.count(), 0u);
  for (const char* text : {"", "-", "12a", "1e5", "999999999999999999999999999999999999999999"}) {
    EXPECT_THROW(TemperatureSum::from_units(text, 1), Error) << text;
  }
}

}  // namespace
}  // namespace meteo
