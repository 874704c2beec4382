// --now-file: the portal's present moved from outside while the server runs, so a live test can
// make a new record appear at a moment it chooses.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "paths.hpp"
#include "portal_client.hpp"
#include "portal_sim.hpp"

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;
using portal::get;
using portal::kMeteopole;

// The newest record's instant (heure_utc) of a dataset, as the portal serves it now.
std::int64_t newest_record(const PortalSim& sim) {
  const auto answer =
      get(sim.base_url(),
          portal::dataset_path(kMeteopole, "records", "order_by=heure_de_paris%20desc&limit=1"));
  if (answer.status != 200) throw std::runtime_error("records failed: " + answer.body);
  return portal::unix_seconds(answer.json().at("results").at(0).at("heure_utc").get<std::string>());
}

// Replaces the file by rename, as a test moving the present does.
void write_now(const fs::path& file, const std::string& instant) {
  const fs::path temporary = file.string() + ".tmp";
  std::ofstream(temporary) << instant << "\n";
  fs::rename(temporary, file);
}

TEST(PortalSimNowFile, MovingThePresentPublishesTheNextRecordWithoutARestart) {
  METEO_SKIP_WITHOUT_SHARED_DATA("toulouse/stations-meteo-en-place.exports.json",
                                 "toulouse/catalog-v1-search-q-meteo.json");
  const fs::path now_file =
      fs::temp_directory_path() / ("meteo-portal-now-" + std::to_string(::getpid()));
  fs::remove(now_file);
  PortalSimOptions options;
  options.now = "2026-11-22T06:00:00Z";
  options.future_row = false;
  options.now_file = now_file.string();
  PortalSim sim(options);

  EXPECT_EQ(newest_record(sim), portal::unix_seconds("2026-11-22T05:45:00Z"))
      << "no file yet: --now";
  write_now(now_file, "2026-11-22T06:00:01Z");
  EXPECT_EQ(newest_record(sim), portal::unix_seconds("2026-11-22T06:00:00Z"))
      << "the full hour appeared";
  write_now(now_file, "not a time");
  EXPECT_EQ(newest_record(sim), portal::unix_seconds("2026-11-22T05:45:00Z"))
      << "unreadable: back to --now";
  fs::remove(now_file);
}

}  // namespace
}  // namespace meteo::testing
