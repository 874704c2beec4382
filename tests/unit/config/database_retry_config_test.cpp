// [database] keys of the load transaction's re-runs and lock waits.
#include <gtest/gtest.h>

#include "meteo/config/config.hpp"
#include "meteo/core/errors.hpp"

namespace meteo {
namespace {

const std::string kSources = R"(
[[region_sets]]
name = "fr-regions"
location = "/srv/regions.geojson"

[[sources]]
name = "sensors"
type = "sensor-api"
url = "https://sensors.example/temperatures"
region_sets = ["fr-regions"]
)";

Config parse(const std::string& database_table) {
  return parse_config(database_table + kSources, "test.toml",
                      [](const std::string&) { return std::nullopt; });
}

TEST(DatabaseRetryConfig, DefaultsRetryThreeTimesAndKeepTheServersLockWait) {
  const Config config = parse("");
  EXPECT_EQ(config.database.transaction_retries, 3);
  EXPECT_EQ(config.database.transaction_retry_backoff, std::chrono::milliseconds(250));
  EXPECT_FALSE(config.database.lock_wait_timeout_seconds.has_value());
}

TEST(DatabaseRetryConfig, ReadsTheKeys) {
  const Config config = parse(
      "[database]\ntransaction_retries = 0\ntransaction_retry_backoff_ms = 10\n"
      "lock_wait_timeout_seconds = 5\n");
  EXPECT_EQ(config.database.transaction_retries, 0);
  EXPECT_EQ(config.database.transaction_retry_backoff, std::chrono::milliseconds(10));
  EXPECT_EQ(config.database.lock_wait_timeout_seconds, 5);
}

TEST(DatabaseRetryConfig, RefusesOutOfRangeValuesNamingTheKey) {
  for (const std::string bad :
       {"transaction_retries = -1", "transaction_retries = 21", "transaction_retry_backoff_ms = -5",
        "lock_wait_timeout_seconds = 0", "lock_wait_timeout_seconds = \"10\""}) {
    try {
      parse("[database]\n" + bad + "\n");
      ADD_FAILURE() << "accepted " << bad;
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), ExitCode::config);
      EXPECT_NE(std::string(error.what()).find("database." + bad.substr(0, bad.find(' '))),
                std::string::npos)
          << error.what();
    }
  }
}

}  // namespace
}  // namespace meteo
