// `verify`: checks what landed (aggregates, ledger, region matches, views, watermarks).
#include <memory>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "manual.hpp"
#include "meteo/core/errors.hpp"
#include "meteo/pipeline/config_views.hpp"
#include "meteo/pipeline/verify_output.hpp"
#include "meteo/store/migrations.hpp"
#include "meteo/store/verify.hpp"

namespace meteo {
namespace {

VerifyWindow parse_window(const std::string& from, const std::string& to) {
  VerifyWindow window;
  if (!from.empty()) window.from = parse_hour(from);
  if (!to.empty()) window.to = parse_hour(to);
  if (window.from && window.to && *window.from >= *window.to) {
    throw Error(ExitCode::usage, "--from " + from + " is not before --to " + to);
  }
  return window;
}

nlohmann::json optional_hour_json(const std::optional<UtcSeconds>& hour) {
  return hour ? nlohmann::json(to_iso8601(*hour)) : nlohmann::json(nullptr);
}

nlohmann::json report_json(const VerifyReport& report) {
  nlohmann::json checks = nlohmann::json::array();
  for (const auto& check : report.checks) {
    checks.push_back({{"name", check.name},
                      {"checked", check.checked},
                      {"passed", check.passed()},
                      {"violation_count", check.violation_count},
                      {"violations", check.violations}});
  }
  return {{"from", optional_hour_json(report.window.from)},
          {"to", optional_hour_json(report.window.to)},
          {"passed", report.passed()},
          {"checks", checks}};
}

}  // namespace

CommandRegistration register_verify(CLI::App& parent) {
  CLI::App* app = parent.add_subcommand(
      "verify", "check what landed: aggregates, ledger, region matches, views, watermarks");
  struct Options {
    std::string from, to;
    bool json = false;
  };
  auto options = std::make_shared<Options>();
  app->add_option("--from", options->from,
                  "first UTC hour to check, included (2026-11-22T00); default: the oldest")
      ->type_name("HOUR");
  app->add_option("--to", options->to,
                  "end UTC hour, exclusive: checks stop before it (2026-11-23T00); default: none")
      ->type_name("HOUR");
  app->add_flag("--json", options->json, "the report as JSON");
  set_examples(*app, {"meteo-etl verify --from 2026-11-22T00 --to 2026-11-23T00",
                      "meteo-etl verify --json"});
  return {app, [options](CommandContext& context) {
            const VerifyWindow window = parse_window(options->from, options->to);
            Database db = Database::connect(context.config.database, &context.log);
            require_current_schema(db, bundled_migrations());
            const auto now =
                std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
            const VerifyReport report =
                verify_stored_data(db, pipeline::verify_scope(context.config), window, now);
            if (options->json) {
              // Reading ids are bytes: a description need not be valid UTF-8.
              context.out << report_json(report).dump(2, ' ', false,
                                                      nlohmann::json::error_handler_t::replace)
                          << '\n';
            } else {
              pipeline::print_verify_report(context.out, report);
            }
            return static_cast<int>(report.passed() ? ExitCode::ok : ExitCode::verify_failed);
          }};
}

}  // namespace meteo
