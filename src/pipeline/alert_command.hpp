// Private to the pipeline: the city's [alerts] command, run with a notification on its stdin.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace meteo::pipeline {

struct CommandResult {
  std::optional<int> exit_code;  // 128 + the signal when one ended it; nothing: never exited
  std::string output;            // the last bytes it wrote (stdout and stderr), for the record
  bool timed_out = false;        // killed (with its process group) after the timeout
  std::string error;             // why it could not start, if it did not
};

// Runs `/bin/sh -c command` in its own process group with `input` on stdin. Never throws for
// what the command does; the run goes on whatever it returns.
CommandResult run_command_with_input(const std::string& command, const std::string& input,
                                     std::chrono::seconds timeout);

}  // namespace meteo::pipeline
