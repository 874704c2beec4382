// Exit codes (sysexits.h) and the one exception type that carries them to main.
#pragma once

#include <stdexcept>
#include <string>

namespace meteo {

enum class ExitCode : int {
  ok = 0,
  verify_failed = 1,   // `verify` (or `run` with [verify] after_run) found violations
  usage = 64,          // bad command line
  data = 65,           // unparseable payload or reference document
  unavailable = 69,    // source unavailable after retries
  software = 70,       // internal error (a bug)
  no_permission = 77,  // the source (401/403) or the database (login) refused our credentials
  io = 74,             // the raw archive could not be written: nothing was loaded
  temporary = 75,      // lock busy, database unreachable: try again later
  config = 78,         // configuration, schema not migrated, regions not loaded
};

// Every failure that should end a command is an Error: the message names the record, file or URL
// and the code is what the process exits with.
class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ExitCode code() const noexcept { return code_; }

 private:
  ExitCode code_;
};

}  // namespace meteo
