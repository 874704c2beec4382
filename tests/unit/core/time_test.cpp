#include "meteo/core/time.hpp"

#include <gtest/gtest.h>

#include "meteo/core/errors.hpp"

namespace meteo {
namespace {

using namespace std::chrono;

TEST(ParseHour, AcceptsTheThreeDocumentedForms) {
  const UtcSeconds expected = sys_days{2026y / November / 22} + hours{6};
  EXPECT_EQ(parse_hour("2026-11-22T06"), expected);
  EXPECT_EQ(parse_hour("2026-11-22T06:00"), expected);
  EXPECT_EQ(parse_hour("2026-11-22T06:00:00Z"), expected);
  EXPECT_EQ(parse_hour("2026-11-22 06:00:00"), expected);
}

TEST(ParseHour, RejectsAnythingThatIsNotTheStartOfAnHour) {
  for (const char* text :
       {"2026-11-22T06:30", "2026-11-22T06:00:01Z", "2026-11-22", "2026-11-22T6", "2026-13-01T00",
        "2026-02-30T00", "2026-11-22T24", "yesterday", "2026-11-22T06+01:00", ""}) {
    try {
      parse_hour(text);
      ADD_FAILURE() << "accepted " << text;
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), ExitCode::usage) << text;
      EXPECT_NE(std::string(error.what()).find("\"" + std::string(text) + "\""), std::string::npos)
          << "message should quote the input: " << error.what();
    }
  }
}

TEST(FloorToHour, DropsMinutesAndSeconds) {
  const auto moment = sys_days{2026y / November / 22} + hours{6} + minutes{59} + seconds{59};
  EXPECT_EQ(floor_to_hour(moment), sys_days{2026y / November / 22} + hours{6});
  // An hour's first second is its own hour, and the next hour starts one second later.
  const UtcSeconds six = sys_days{2026y / November / 22} + hours{6};
  EXPECT_EQ(floor_to_hour(six), six);
  EXPECT_EQ(floor_to_hour(six + hours{1}), six + hours{1});
}

TEST(SqlDatetime, RoundTripsAndAcceptsFractions) {
  const UtcSeconds moment = sys_days{2024y / February / 29} + hours{23} + minutes{5} + seconds{7};
  EXPECT_EQ(to_sql_datetime(moment), "2024-02-29 23:05:07");
  EXPECT_EQ(to_iso8601(moment), "2024-02-29T23:05:07Z");
  EXPECT_EQ(parse_sql_datetime("2024-02-29 23:05:07"), moment);
  EXPECT_EQ(parse_sql_datetime("2024-02-29 23:05:07.123"), moment);
  EXPECT_THROW(parse_sql_datetime("2024-02-29"), Error);
}

}  // namespace
}  // namespace meteo
