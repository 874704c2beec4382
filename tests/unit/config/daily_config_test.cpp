// [sources.daily]: the time zone of a station network's local days and its heavy-rain threshold.
#include "config_text.hpp"

namespace meteo::config_test {
namespace {

const std::string kNetwork =
    "[[region_sets]]\nname = \"c\"\nlocation = \"x\"\n[[sources]]\nname = \"t\"\n"
    "type = \"opendatasoft-stations\"\nregion_sets = [\"c\"]\nbase_url = \"https://p\"\n"
    "start = \"2026-11-01T00\"\ndatasets = [\"a\"]\n";

TEST(DailyConfig, DefaultsToParisAndTenMillimetres) {
  const Config config = parse(kNetwork);
  const auto daily = config.daily_settings("t");
  EXPECT_EQ(daily.time_zone, "Europe/Paris");
  EXPECT_EQ(daily.heavy_rain_mm, 10.0);
  EXPECT_EQ(config.station_daily.count("t"), 1u);
}

TEST(DailyConfig, ReadsTheZoneAndTheThreshold) {
  const Config config =
      parse(kNetwork + "[sources.daily]\ntime_zone = \"UTC\"\nheavy_rain_mm = 20.5\n");
  EXPECT_EQ(config.daily_settings("t").time_zone, "UTC");
  EXPECT_EQ(config.daily_settings("t").heavy_rain_mm, 20.5);
}

TEST(DailyConfig, MistakesAreNamedByKey) {
  expect_config_error(kNetwork + "[sources.daily]\ntime_zone = \"Europe/Atlantis\"\n",
                      "sources[0].daily.time_zone: unknown time zone \"Europe/Atlantis\"");
  expect_config_error(kNetwork + "[sources.daily]\nheavy_rain_mm = 0\n",
                      "sources[0].daily.heavy_rain_mm");
  expect_config_error(kNetwork + "[sources.daily]\nzone = \"UTC\"\n",
                      "sources[0].daily.zone: unknown key");
  expect_config_error(
      "[[region_sets]]\nname = \"c\"\nlocation = \"x\"\n[[sources]]\nname = \"s\"\n"
      "type = \"sensor-api\"\nurl = \"https://api\"\nregion_sets = [\"c\"]\n"
      "[sources.daily]\ntime_zone = \"UTC\"\n",
      "sources[0].daily: only an opendatasoft-stations source has daily aggregates");
}

}  // namespace
}  // namespace meteo::config_test
