#include <nlohmann/json.hpp>

#include <memory>

#include "commands.hpp"
#include "meteo/store.hpp"
#include "table_output.hpp"

namespace meteo {
namespace {

std::string format_temperature(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", value);
  return text;
}

void print_temperature_3h(std::ostream& out, const std::vector<Temperature3hRow>& rows,
                          const std::string& format) {
  if (format == "json") {
    nlohmann::json array = nlohmann::json::array();
    for (const auto& row : rows) {
      array.push_back({{"region_set", row.region_set},
                       {"region", row.region},
                       {"hour", to_iso8601(row.hour)},
                       {"temperature", row.temperature},
                       {"temperature_3h_before", row.temperature_3h_before
                                                     ? nlohmann::json(*row.temperature_3h_before)
                                                     : nlohmann::json(nullptr)}});
    }
    out << array.dump(2) << '\n';
    return;
  }
  std::vector<TextRow> text;
  for (const auto& row : rows) {
    text.push_back({row.region_set, row.region, to_iso8601(row.hour),
                    format_temperature(row.temperature),
                    row.temperature_3h_before ? format_temperature(*row.temperature_3h_before)
                                              : (format == "csv" ? "" : "NULL")});
  }
  const TextRow header{"RegionSet", "Region", "Hour", "Temperature", "Temperature3HoursBefore"};
  format == "csv" ? print_csv(out, header, text) : print_table(out, header, text);
}

}  // namespace

CommandRegistration register_query(CLI::App& parent) {
  CLI::App* app = parent.add_subcommand("query", "read results back");
  app->require_subcommand(1);
  CLI::App* three_hours = app->add_subcommand(
      "temperature-3h", "each region's hourly temperature beside the one 3 hours before");
  struct Options {
    std::string format = "table";
    std::size_t limit = 1000;
  };
  auto options = std::make_shared<Options>();
  three_hours->add_option("--format", options->format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}));
  three_hours->add_option("--limit", options->limit, "at most this many rows, newest first")
      ->check(CLI::Range(1, 1'000'000));
  return {app, [options](CommandContext& context) {
            Database db = Database::connect(context.config.database);
            require_current_schema(db, bundled_migrations());
            print_temperature_3h(context.out, query_temperature_3h(db, options->limit),
                                 options->format);
            return 0;
          }};
}

}  // namespace meteo
