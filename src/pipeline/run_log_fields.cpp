#include "run_log_fields.hpp"

namespace meteo::pipeline {

LogFields run_fields(const std::string& source, std::int64_t run_id, UtcSeconds hour) {
  return LogFields().add("source", source).add("run_id", run_id).add("hour", to_iso8601(hour));
}

LogFields counts_fields(const RunCounts& counts, CountsScope scope) {
  LogFields fields;
  fields.add("fetched", counts.fetched)
      .add("stored", counts.stored)
      .add("corrections", counts.corrections)
      .add("unchanged", counts.unchanged)
      .add("rejected", counts.rejected);
  if (scope == CountsScope::unit) return fields;
  return fields.add("duplicates", counts.duplicates)
      .add("outside", counts.outside)
      .add("disagreements", counts.disagreements)
      .add("other_shards", counts.other_shards);
}

}  // namespace meteo::pipeline
