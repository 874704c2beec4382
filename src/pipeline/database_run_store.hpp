// The run ledger in the database: each call is the store function of the same name.
#pragma once

#include "meteo/pipeline/run_store.hpp"
#include "meteo/store/database.hpp"

namespace meteo::pipeline {

class DatabaseRunStore final : public RunStore {
 public:
  explicit DatabaseRunStore(Database& db) : db_(db) {}

  std::unique_ptr<Lock> try_lock(const std::string& key) override;
  std::size_t close_abandoned_runs(const std::string& source) override;
  std::int64_t begin_run(const std::string& source, UtcSeconds hour) override;
  std::optional<UtcSeconds> read_watermark(SourceKind kind, const std::string& source,
                                           const std::string& partition) override;
  void sync_stations(const std::string& source, const std::vector<const RegionSet*>& region_sets,
                     const std::vector<MatchedStation>& stations) override;
  void record_skipped_dataset(const std::string& source, const std::string& dataset,
                              const std::string& reason) override;
  void finish_run(std::int64_t run_id, const RunCounts& counts) override;
  void fail_run(std::int64_t run_id, const std::string& message) override;

 private:
  Database& db_;
};

}  // namespace meteo::pipeline
