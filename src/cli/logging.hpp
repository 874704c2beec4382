// Loggers that write to a stream as text or as JSON lines, UTC timestamps.
#pragma once

#include <spdlog/spdlog.h>

#include <memory>
#include <ostream>
#include <string>

#include "meteo/config.hpp"

namespace meteo {

// format: "text" or "json"; level: spdlog level names. Throws Error(usage) on an unknown level.
// For the journal, every line starts with its syslog priority ("<4>" for a warning) so journald
// records the level, and text lines carry no timestamp since the journal stamps each line.
std::shared_ptr<spdlog::logger> make_logger(std::ostream& stream, const std::string& format,
                                            const std::string& level, bool for_journal = false);

// True when `fd` is the stream systemd connected to the journal: $JOURNAL_STREAM holds its
// "device:inode" (systemd.exec(5)); a child whose stderr was redirected inherits the variable
// but not the stream, hence the comparison.
bool is_journal_stream(const EnvironmentLookup& environment, int fd);

}  // namespace meteo
