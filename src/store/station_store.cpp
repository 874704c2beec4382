// Placeholder until the station store lands: every entry point refuses.
#include "meteo/station_store.hpp"

#include "meteo/errors.hpp"

namespace meteo {
namespace {
[[noreturn]] void not_yet() { throw Error(ExitCode::software, "station store not implemented"); }
}  // namespace
void sync_stations(Database&, const std::string&, const std::vector<const RegionSet*>&,
                   const std::vector<MatchedStation>&) { not_yet(); }
void record_skipped_dataset(Database&, const std::string&, const std::string&, const std::string&) {
  not_yet();
}
std::optional<UtcSeconds> read_watermark(Database&, const std::string&, const std::string&) {
  not_yet();
}
StationLoadCounts load_station_batch(Database&, const StationBatch&) { not_yet(); }
void finish_run(Database&, std::int64_t, const RunCounts&) { not_yet(); }
}  // namespace meteo
