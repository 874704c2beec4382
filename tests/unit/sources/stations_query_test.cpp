// The Explore API's paths and query strings: everything percent-encoded, '+' included.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

// A private header of the sources module: the URL building has no public entry point.
#include "../../../src/sources/stations/query.hpp"

namespace meteo::portal_query {
namespace {

UtcSeconds utc(int year, unsigned month, unsigned day, int hour) {
  return std::chrono::sys_days{std::chrono::year{year} / month / day} + std::chrono::hours{hour};
}

TEST(StationsQuery, EncodesAllButUnreservedCharacters) {
  EXPECT_EQ(percent_encode("AZaz09-_.~"), "AZaz09-_.~");
  EXPECT_EQ(percent_encode("2021-01-14T09:15:00+01:00"), "2021-01-14T09%3A15%3A00%2B01%3A00");
  EXPECT_EQ(percent_encode("a b'c&d=e/f?g#h%"), "a%20b%27c%26d%3De%2Ff%3Fg%23h%25");
  EXPECT_EQ(percent_encode("é"), "%C3%A9");
}

TEST(StationsQuery, BuildsTheWindowClause) {
  EXPECT_EQ(time_window_where("heure_de_paris", {utc(2026, 11, 20, 0), utc(2026, 11, 22, 6)}),
            "heure_de_paris >= date'2026-11-20T00:00:00Z' AND "
            "heure_de_paris < date'2026-11-22T06:00:00Z'");
}

TEST(StationsQuery, BuildsAnEncodedQueryString) {
  EXPECT_EQ(query_string({}), "");
  EXPECT_EQ(query_string({{"where", "t >= date'2026-11-20T00:00:00+01:00'"}, {"limit", "100"}}),
            "?where=t%20%3E%3D%20date%272026-11-20T00%3A00%3A00%2B01%3A00%27&limit=100");
}

TEST(StationsQuery, BuildsDatasetPaths) {
  EXPECT_EQ(catalog_path(), "/api/explore/v2.1/catalog/datasets");
  EXPECT_EQ(dataset_path("01-station-meteo-toulouse-meteopole", "records"),
            "/api/explore/v2.1/catalog/datasets/01-station-meteo-toulouse-meteopole/records");
  EXPECT_EQ(dataset_path("a b/c"), "/api/explore/v2.1/catalog/datasets/a%20b%2Fc");
}

}  // namespace
}  // namespace meteo::portal_query
