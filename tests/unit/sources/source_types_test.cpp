// Where a source's past is, known from its type alone (replay or backfill is chosen before any
// source, with its HTTP client, is built).
#include "meteo/sources/source_types.hpp"

#include <gtest/gtest.h>

#include "meteo/core/errors.hpp"

namespace meteo::sources {
namespace {

SourceConfig source_of_type(const std::string& type) {
  SourceConfig config;
  config.name = "source";
  config.type = type;
  return config;
}

TEST(HistoryOf, ASensorFeedsPastIsItsArchive) {
  EXPECT_EQ(history_of(source_of_type("sensor-api")), History::archive);
}

TEST(HistoryOf, AStationNetworksPastIsItsPortal) {
  SourceConfig config = source_of_type("opendatasoft-stations");
  config.stations.emplace();
  EXPECT_EQ(history_of(config), History::portal);
}

TEST(HistoryOf, ATypeNoSourceImplementsIsABug) {
  try {
    history_of(source_of_type("carrier-pigeon"));
    FAIL() << "expected an Error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::software);
  }
}

}  // namespace
}  // namespace meteo::sources
