#include "database_run_store.hpp"

#include "meteo/store/air_quality.hpp"
#include "meteo/store/ledger.hpp"
#include "meteo/store/stations.hpp"

namespace meteo::pipeline {
namespace {

class HeldSourceLock final : public RunStore::Lock {
 public:
  explicit HeldSourceLock(SourceLock lock) : lock_(std::move(lock)) {}

 private:
  SourceLock lock_;
};

}  // namespace

std::unique_ptr<RunStore::Lock> DatabaseRunStore::try_lock(const std::string& key) {
  auto lock = SourceLock::try_acquire(db_, key);
  if (!lock) return nullptr;
  return std::make_unique<HeldSourceLock>(std::move(*lock));
}

std::size_t DatabaseRunStore::close_abandoned_runs(const std::string& source) {
  return meteo::close_abandoned_runs(db_, source);
}

std::int64_t DatabaseRunStore::begin_run(const std::string& source, UtcSeconds hour) {
  return meteo::begin_run(db_, source, hour);
}

std::optional<UtcSeconds> DatabaseRunStore::read_watermark(SourceKind kind,
                                                           const std::string& source,
                                                           const std::string& partition) {
  if (kind == SourceKind::air_quality) return read_air_quality_watermark(db_, source, partition);
  return meteo::read_watermark(db_, source, partition);
}

void DatabaseRunStore::sync_stations(const std::string& source,
                                     const std::vector<const RegionSet*>& region_sets,
                                     const std::vector<MatchedStation>& stations) {
  meteo::sync_stations(db_, source, region_sets, stations);
}

void DatabaseRunStore::record_skipped_dataset(const std::string& source, const std::string& dataset,
                                              const std::string& reason) {
  meteo::record_skipped_dataset(db_, source, dataset, reason);
}

void DatabaseRunStore::finish_run(std::int64_t run_id, const RunCounts& counts) {
  meteo::finish_run(db_, run_id, counts);
}

void DatabaseRunStore::fail_run(std::int64_t run_id, const std::string& message) {
  meteo::fail_run(db_, run_id, message);
}

}  // namespace meteo::pipeline
