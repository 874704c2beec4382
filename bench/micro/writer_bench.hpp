// The batch writer benchmarks keep one scratch database for the whole process.
#pragma once

namespace meteo::bench {

// Drops the scratch database and closes its connections; main calls it after the last benchmark,
// while the connector's own statics are still alive.
void release_writer_database();

}  // namespace meteo::bench
