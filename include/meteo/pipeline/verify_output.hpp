// The text form of a verify report: what `verify` prints and what `run` logs after a run.
#pragma once

#include <ostream>

#include "meteo/store/verify.hpp"

namespace meteo::pipeline {

// "window: ...", then one line per check, "<name>: ok" or "<name>: FAILED (n)" with the listed
// violations indented beneath.
void print_verify_report(std::ostream& out, const VerifyReport& report);

// "[2026-11-22T03:00:00Z, 2026-11-22T06:00:00Z)", an open end shown as "..".
std::string describe_window(const VerifyWindow& window);

}  // namespace meteo::pipeline
