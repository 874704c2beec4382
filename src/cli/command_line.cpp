#include "command_line.hpp"

#include <algorithm>
#include <numeric>

#include "manual.hpp"

namespace meteo {
namespace {

constexpr const char* kGlobalGroup = "Global options";
constexpr const char* kGlobalOptionsNote =
    "Global options (--config, --log-level, --log-format) may also follow the command: see "
    "meteo-etl --help.";

void add_global_options(CLI::App& app, GlobalOptions& options) {
  app.add_option("--config", options.config_path,
                 "configuration file (TOML); default: $METEO_ETL_CONFIG")
      ->type_name("FILE")
      ->group(kGlobalGroup);
  app.add_option("--log-level", options.log_level,
                 "trace, debug, info, warning (or warn), error, critical or off; default: "
                 "[logging] level, else info")
      ->check(CLI::IsMember(log_level_spellings()))
      ->group(kGlobalGroup);
  app.add_option("--log-format", options.log_format,
                 "text, or json lines for log shippers; default: [logging] format, else text")
      ->check(CLI::IsMember({"text", "json"}))
      ->group(kGlobalGroup);
  app.set_version_flag(
         "--version", [] { return version_text(); },
         "print the versions of the tool, its libraries and its schema, and exit")
      ->group(kGlobalGroup);
  // Hidden (group ""): the build runs them to produce meteo-etl.1 and the completion file.
  // Like --version they end the parse at once, so no command is required.
  app.add_flag_callback(
         "--print-man-page",
         [&options] {
           options.print_man_page = true;
           throw CLI::Success();
         },
         "print the man page meteo-etl(1) as roff")
      ->group("");
  app.add_flag_callback(
         "--print-bash-completion",
         [&options] {
           options.print_bash_completion = true;
           throw CLI::Success();
         },
         "print the bash completion script")
      ->group("");
}

// Every command and subcommand, depth first.
void for_each_command(CLI::App& app, const std::function<void(CLI::App&)>& visit) {
  for (CLI::App* command : app.get_subcommands([](CLI::App*) { return true; })) {
    visit(*command);
    for_each_command(*command, visit);
  }
}

std::string join(const std::vector<std::string>& words, const std::string& separator) {
  std::string text;
  for (const auto& word : words) text += (text.empty() ? "" : separator) + word;
  return text;
}

std::vector<std::string> command_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(command->get_name());
  }
  return names;
}

// "meteo-etl query" for the query command.
std::string command_path(const CLI::App& command) {
  const CLI::App* parent = command.get_parent();
  return parent == nullptr ? command.get_name() : command_path(*parent) + " " + command.get_name();
}

const CLI::App& deepest_parsed_command(const CLI::App& app) {
  const auto parsed = app.get_subcommands();
  return parsed.empty() ? app : deepest_parsed_command(*parsed.front());
}

// Words the parser could not place: with every command falling through to the root, a word
// that is not a command ends up there.
std::optional<std::string> first_unplaced_word(const CLI::App& app) {
  for (const std::string& word : app.remaining(true)) {
    if (!word.empty() && word.front() != '-') return word;
  }
  return std::nullopt;
}

}  // namespace

CommandLine::CommandLine()
    : app_("meteo-etl: hourly weather ETL (sensor feed -> regions -> MySQL)", "meteo-etl") {
  app_.require_subcommand(1);
  app_.fallthrough();  // inherited by every command registered below
  add_global_options(app_, options_);
  commands_ = {register_migrate(app_),  register_regions(app_),   register_run(app_),
               register_backfill(app_), register_replay(app_),    register_query(app_),
               register_status(app_),   register_dashboard(app_), register_export(app_),
               register_verify(app_)};
  for_each_command(app_, [](CLI::App& command) {
    const std::string footer = command.get_footer();
    command.footer(footer.empty() ? kGlobalOptionsNote : footer + "\n\n" + kGlobalOptionsNote);
  });
  set_examples(app_, {"meteo-etl --config /etc/meteo-etl/meteo-etl.toml migrate",
                      "meteo-etl --config /etc/meteo-etl/meteo-etl.toml regions load",
                      "meteo-etl --config /etc/meteo-etl/meteo-etl.toml run --log-format json",
                      "meteo-etl status --json"});
}

const CommandAction* CommandLine::chosen_action() const {
  for (const auto& command : commands_) {
    if (command.app->parsed()) return &command.action;
  }
  return nullptr;
}

std::optional<std::string> command_mistake(const CLI::App& app, const CLI::ParseError& error) {
  if (dynamic_cast<const CLI::RequiredError*>(&error) == nullptr) return std::nullopt;
  const CLI::App& parent = deepest_parsed_command(app);
  const std::vector<std::string> commands = command_names(parent);
  if (commands.empty()) return std::nullopt;  // a required option is missing
  const std::string where = command_path(parent);
  const std::optional<std::string> word = first_unplaced_word(app);
  if (!word) return where + ": a command is required: " + join(commands, ", ");
  std::string message = where + ": unknown command \"" + *word + "\"";
  if (const auto suggestion = closest_name(*word, commands)) {
    return message + "; did you mean \"" + *suggestion + "\"?";
  }
  return message + "; the commands are: " + join(commands, ", ");
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // d[i][j]: distance between the first i characters of a and the first j of b.
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + substitution});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

std::optional<std::string> closest_name(std::string_view word,
                                        const std::vector<std::string>& candidates) {
  std::optional<std::string> closest, only_extension;
  std::size_t best = 0, extensions = 0;
  for (const auto& candidate : candidates) {
    if (!word.empty() && candidate.starts_with(word) && ++extensions == 1) {
      only_extension = candidate;
    }
    const std::size_t distance = edit_distance(word, candidate);
    if (!closest || distance < best) {
      closest = candidate;
      best = distance;
    }
  }
  if (extensions == 1) return only_extension;  // "stat": the word was cut short
  // About one edit per three characters: beyond that a suggestion is a guess.
  if (closest && best <= std::max<std::size_t>(1, (word.size() + 1) / 3)) return closest;
  return std::nullopt;
}

}  // namespace meteo
