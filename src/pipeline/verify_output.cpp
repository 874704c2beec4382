#include "meteo/pipeline/verify_output.hpp"

#include "meteo/store/verify.hpp"

namespace meteo::pipeline {

std::string describe_window(const VerifyWindow& window) {
  return "[" + (window.from ? to_iso8601(*window.from) : std::string("..")) + ", " +
         (window.to ? to_iso8601(*window.to) : std::string("..")) + ")";
}

void print_verify_report(std::ostream& out, const VerifyReport& report) {
  out << "window " << describe_window(report.window) << '\n';
  for (const auto& check : report.checks) {
    if (check.passed()) {
      out << check.name << ": ok\n";
      continue;
    }
    out << check.name << ": FAILED (" << check.violation_count << ")\n";
    for (const auto& violation : check.violations) out << "    " << violation << '\n';
    if (check.violation_count > check.violations.size()) {
      out << "    ... and " << check.violation_count - check.violations.size() << " more\n";
    }
  }
}

}  // namespace meteo::pipeline
