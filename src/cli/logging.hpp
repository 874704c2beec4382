// Loggers that write to a stream as text or as JSON lines, UTC timestamps.
#pragma once

#include <spdlog/spdlog.h>

#include <memory>
#include <ostream>
#include <string>

namespace meteo {

// format: "text" or "json"; level: spdlog level names. Throws Error(usage) on an unknown level.
std::shared_ptr<spdlog::logger> make_logger(std::ostream& stream, const std::string& format,
                                            const std::string& level);

}  // namespace meteo
