#include "command_line.hpp"

#include <algorithm>
#include <map>
#include <numeric>

#include "manual.hpp"

namespace meteo {
namespace {

constexpr const char* kGlobalGroup = "Global options";
constexpr const char* kGlobalOptionsNote =
    "Global options (--config, --log-level, --log-format) may also follow the command: see "
    "meteo-etl --help.";

std::string join(const std::vector<std::string>& words, const std::string& separator) {
  std::string text;
  for (const auto& word : words) text += (text.empty() ? "" : separator) + word;
  return text;
}

// Hidden (group ""): the build runs these flags to produce meteo-etl.1 and the completion file.
// Like --version they end the parse at once, so no command is required.
void add_document_flag(CLI::App& app, const std::string& name, bool& chosen,
                       const std::string& description) {
  app.add_flag_callback(
         name,
         [&chosen] {
           chosen = true;
           throw CLI::Success();
         },
         description)
      ->group("");
}

void add_global_options(CLI::App& app, GlobalOptions& options) {
  app.add_option("--config", options.config_path,
                 "configuration file (TOML); default: $METEO_ETL_CONFIG")
      ->type_name("FILE")
      ->group(kGlobalGroup);
  app.add_option("--log-level", options.log_level,
                 log_level_choices() + "; default: [logging] level, else info")
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
  add_document_flag(app, "--print-man-page", options.print_man_page,
                    "print the man page meteo-etl(1) as roff");
  add_document_flag(app, "--print-bash-completion", options.print_bash_completion,
                    "print the bash completion script");
}

// Every command and subcommand, depth first.
void for_each_command(CLI::App& app, const std::function<void(CLI::App&)>& visit) {
  for (CLI::App* command : app.get_subcommands([](CLI::App*) { return true; })) {
    visit(*command);
    for_each_command(*command, visit);
  }
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

bool looks_like_option(const std::string& word) {
  return word.size() > 1 && word.front() == '-' && word != "--";
}

// The long options of `command` and of every command below it, which the parse may not have
// reached (a mistyped subcommand before them), each with whether it takes a value.
void add_options_below(const CLI::App& command, std::map<std::string, bool>& takes_value) {
  for (const CLI::Option* option : command.get_options()) {
    for (const auto& name : option->get_lnames()) {
      takes_value["--" + name] = option->get_type_size_max() > 0;
    }
  }
  for (const CLI::App* below : command.get_subcommands([](const CLI::App*) { return true; })) {
    add_options_below(*below, takes_value);
  }
}

// What the parser could not place, in argv's order. With every command falling through to the
// root, words that are not commands end up there.
struct UnplacedWords {
  std::optional<std::string> unknown_option;  // known nowhere at or below the parsed command
  std::optional<std::string> first_word;      // the first that is neither an option nor its value
};

// An unknown option is the mistake to name first, since the words after it may be its values
// ("--bogus x statsu"). An option known below the parsed command is not one: the command word
// before it is ("query temperatur-3h --format csv"), and its value is no command word either.
UnplacedWords unplaced_words(const CLI::App& app, const CLI::App& parsed) {
  std::map<std::string, bool> takes_value;
  add_options_below(parsed, takes_value);
  for (const CLI::App* at = parsed.get_parent(); at != nullptr; at = at->get_parent()) {
    add_options_below(*at, takes_value);
  }
  UnplacedWords unplaced;
  const std::vector<std::string> words = app.remaining(true);
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (words[i] == "--") break;  // what follows is positional
    if (!looks_like_option(words[i])) {
      if (!unplaced.first_word) unplaced.first_word = words[i];
      continue;
    }
    const std::string name = words[i].substr(0, words[i].find('='));
    const auto known = takes_value.find(name);
    if (known == takes_value.end()) {
      unplaced.unknown_option = name;
      break;
    }
    if (known->second && name.size() == words[i].size()) ++i;  // its value follows it
  }
  return unplaced;
}

// The options `command` accepts: its own and, falling through, its parents'. Hidden ones aside.
std::vector<std::string> option_names(const CLI::App& command) {
  std::vector<std::string> names;
  for (const CLI::App* at = &command; at != nullptr; at = at->get_parent()) {
    for (const CLI::Option* option : at->get_options()) {
      if (option->get_group().empty()) continue;
      for (const auto& name : option->get_lnames()) names.push_back("--" + name);
    }
  }
  return names;
}

std::string unknown_option_message(const CLI::App& command, const std::string& option) {
  std::string message = command_path(command) + ": unknown option \"" + option + "\"";
  if (const auto suggestion = closest_name(option, option_names(command))) {
    message += "; did you mean \"" + *suggestion + "\"?";
  }
  return message;
}

std::optional<std::string> command_word_mistake(const CLI::App& parent,
                                                const std::optional<std::string>& word) {
  const std::vector<std::string> commands = command_names(parent);
  if (commands.empty()) return std::nullopt;  // a required option is missing
  const std::string where = command_path(parent);
  if (!word) return where + ": a command is required: " + join(commands, ", ");
  std::string message = where + ": unknown command \"" + *word + "\"";
  if (const auto suggestion = closest_name(*word, commands)) {
    return message + "; did you mean \"" + *suggestion + "\"?";
  }
  return message + "; the commands are: " + join(commands, ", ");
}

}  // namespace

CommandLine::CommandLine()
    : app_("meteo-etl: hourly weather ETL (sensor feed -> regions -> MySQL)", "meteo-etl") {
  app_.require_subcommand(1);
  app_.fallthrough();  // inherited by every command registered below
  add_global_options(app_, options_);
  commands_ = {register_migrate(app_),  register_regions(app_), register_run(app_),
               register_backfill(app_), register_replay(app_),  register_ingest(app_),
               register_query(app_),    register_status(app_),  register_dashboard(app_),
               register_export(app_),   register_verify(app_),  register_analyze(app_),
               register_serve(app_),    register_watch(app_)};
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
  const bool missing = dynamic_cast<const CLI::RequiredError*>(&error) != nullptr;
  const bool extra = dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr;
  if (!missing && !extra) return std::nullopt;
  const CLI::App& parsed = deepest_parsed_command(app);
  const UnplacedWords unplaced = unplaced_words(app, parsed);
  if (unplaced.unknown_option) return unknown_option_message(parsed, *unplaced.unknown_option);
  return missing ? command_word_mistake(parsed, unplaced.first_word) : std::nullopt;
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
