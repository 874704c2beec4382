#include "manual.hpp"

#include <algorithm>
#include <set>
#include <sstream>

#include "meteo/core/errors.hpp"
#include "meteo/version.hpp"

namespace meteo {
namespace {

constexpr const char* kExamplesHeading = "Examples:";
constexpr const char* kExampleIndent = "  ";

struct ExitStatus {
  ExitCode code;
  const char* meaning;
};

// The sysexits table of include/meteo/errors.hpp, as the README's "Exit codes" explains it.
constexpr ExitStatus kExitStatuses[] = {
    {ExitCode::ok, "success"},
    {ExitCode::verify_failed,
     "verify (or run with [verify] after_run) found violations; status: a source is stale"},
    {static_cast<ExitCode>(2), "status: a source never succeeded"},
    {ExitCode::usage,
     "command-line usage: unknown command or option, malformed hour, no configuration given, a "
     "file ingest cannot read or a source that takes none"},
    {ExitCode::data, "unparseable payload or reference document"},
    {ExitCode::unavailable, "source unavailable after retries, or a body over max_body_mb"},
    {ExitCode::software, "internal error (a bug: please report it with the log)"},
    {ExitCode::io, "the raw archive could not be written: nothing was loaded"},
    {ExitCode::temporary,
     "temporary: the source's lock is held, the database is unreachable, or deadlocks outlasted "
     "the re-runs; the next run will do"},
    {ExitCode::no_permission, "the source refused our credentials (401/403)"},
    {ExitCode::config,
     "configuration: invalid config file, missing secret, schema not migrated, no regions loaded,"
     " a region set's document not the version stored under its name"},
};

bool is_hidden(const CLI::Option& option) {
  return option.get_group().empty();
}

std::vector<const CLI::App*> subcommands_of(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App*) { return true; });
}

// The options a reader is shown: hidden ones and each command's --help left out.
std::vector<const CLI::Option*> documented_options(const CLI::App& command) {
  std::vector<const CLI::Option*> options;
  const bool is_root = command.get_parent() == nullptr;
  for (const CLI::Option* option : command.get_options()) {
    if (is_hidden(*option)) continue;
    if (!is_root && option == command.get_help_ptr()) continue;
    options.push_back(option);
  }
  return options;
}

// "query temperature-3h" for that subcommand; "" for the root.
std::string command_words(const CLI::App& command) {
  const CLI::App* parent = command.get_parent();
  if (parent == nullptr) return "";
  const std::string above = command_words(*parent);
  return above.empty() ? command.get_name() : above + " " + command.get_name();
}

void for_each_command(const CLI::App& app, const std::function<void(const CLI::App&)>& visit) {
  for (const CLI::App* command : subcommands_of(app)) {
    visit(*command);
    for_each_command(*command, visit);
  }
}

// The value's placeholder and what the validators accept: "INT" and "INT in [1 - 64]",
// "TEXT" and "{csv,json}", "FILE" and "".
std::pair<std::string, std::string> value_description(const CLI::Option& option) {
  const std::string type = option.get_type_name();
  const auto colon = type.find(':');
  if (colon == std::string::npos) return {type, ""};
  return {type.substr(0, colon), type.substr(colon + 1)};
}

// The fixed values an option accepts ({csv,json}), if it has such a set.
std::vector<std::string> choices_of(const CLI::Option& option) {
  const std::string accepted = value_description(option).second;
  if (accepted.size() < 2 || accepted.front() != '{' || accepted.back() != '}') return {};
  std::vector<std::string> choices;
  std::istringstream items(accepted.substr(1, accepted.size() - 2));
  for (std::string item; std::getline(items, item, ',');) choices.push_back(item);
  return choices;
}

// ---- roff ---------------------------------------------------------------------------------

// Text safe in a roff line: backslashes and hyphens escaped (\- stays a hyphen when copied),
// and a leading dot or quote cannot be read as a request.
std::string roff(std::string_view text) {
  std::string escaped;
  for (char c : text) {
    if (c == '\\') {
      escaped += "\\e";
    } else if (c == '-') {
      escaped += "\\-";
    } else {
      escaped += c;
    }
  }
  if (!escaped.empty() && (escaped.front() == '.' || escaped.front() == '\'')) {
    escaped.insert(0, "\\&");
  }
  return escaped;
}

std::string option_names(const CLI::Option& option) {
  std::string names;
  for (const auto& name : option.get_snames()) {
    names += (names.empty() ? "" : ", ") + std::string("\\fB\\-") + roff(name) + "\\fR";
  }
  for (const auto& name : option.get_lnames()) {
    names += (names.empty() ? "" : ", ") + std::string("\\fB\\-\\-") + roff(name) + "\\fR";
  }
  return names;
}

// The value's name in the synopsis of an option: its choices when it has a fixed set
// (csv|json), else its placeholder (HOUR, FILE, INT).
std::string value_name(const CLI::Option& option) {
  const auto choices = choices_of(option);
  if (choices.empty()) return value_description(option).first;
  std::string name;
  for (const auto& choice : choices) name += (name.empty() ? "" : "|") + choice;
  return name;
}

void print_option(const CLI::Option& option, std::ostream& out) {
  out << ".TP\n" << option_names(option);
  const bool takes_value = option.get_type_size() != 0;
  if (takes_value) out << " \\fI" << roff(value_name(option)) << "\\fR";
  out << '\n' << roff(option.get_description());
  if (option.get_required()) out << " (required)";
  out << '\n';
  const std::string accepted = value_description(option).second;
  if (takes_value && !accepted.empty() && choices_of(option).empty()) {
    out << ".br\nValues: " << roff(accepted) << ".\n";
  }
  if (takes_value && !option.get_default_str().empty()) {
    out << ".br\nDefault: " << roff(option.get_default_str()) << ".\n";
  }
}

void print_options(const CLI::App& command, std::ostream& out) {
  for (const CLI::Option* option : documented_options(command)) print_option(*option, out);
}

// A command line cut at spaces into lines of at most `width` columns, each but the last ending
// with a backslash: still one command when pasted into a shell.
std::vector<std::string> shell_lines(const std::string& command, std::size_t width) {
  std::vector<std::string> lines{""};
  std::istringstream words(command);
  for (std::string word; words >> word;) {
    std::string& line = lines.back();
    if (!line.empty() && line.size() + 1 + word.size() + 2 > width) {
      line += " \\";
      lines.push_back("    " + word);
    } else {
      line += (line.empty() ? "" : " ") + word;
    }
  }
  return lines;
}

// Every example once, in the order of the commands, no wider than an 80-column page allows.
void print_examples(const std::vector<std::string>& examples, std::ostream& out) {
  constexpr std::size_t kWidth = 80 - 7 - 1;  // the page's indent, and a margin
  out << ".PP\n.nf\n";
  for (const auto& example : examples) {
    for (const auto& line : shell_lines(example, kWidth)) out << roff(line) << '\n';
  }
  out << ".fi\n";
}

void print_commands(const CLI::App& app, std::ostream& out) {
  out << ".SH COMMANDS\n";
  for_each_command(app, [&out](const CLI::App& command) {
    out << ".SS \"" << roff(command_words(command)) << "\"\n"
        << roff(command.get_description()) << '\n';
    const auto subcommands = subcommands_of(command);
    if (!subcommands.empty()) {
      out << ".PP\nIts commands:";
      for (const CLI::App* subcommand : subcommands) out << ' ' << roff(subcommand->get_name());
      out << ".\n";
    }
    print_options(command, out);
  });
}

void print_exit_status(std::ostream& out) {
  out << ".SH \"EXIT STATUS\"\n";
  for (const auto& status : kExitStatuses) {
    out << ".TP\n.B " << static_cast<int>(status.code) << '\n' << roff(status.meaning) << '\n';
  }
}

// ---- bash ---------------------------------------------------------------------------------

std::string words_of(const std::vector<std::string>& words) {
  std::string text;
  for (const auto& word : words) text += (text.empty() ? "" : " ") + word;
  return text;
}

std::vector<std::string> long_names(const std::vector<const CLI::Option*>& options) {
  std::vector<std::string> names;
  for (const CLI::Option* option : options) {
    for (const auto& name : option->get_lnames()) names.push_back("--" + name);
    for (const auto& name : option->get_snames()) names.push_back("-" + name);
  }
  return names;
}

// How the value after `option` completes: a word list, files, directories, or nothing.
std::string value_completion(const CLI::Option& option) {
  const auto choices = choices_of(option);
  if (!choices.empty())
    return "COMPREPLY=($(compgen -W \"" + words_of(choices) + "\" -- \"$cur\"))";
  const std::string placeholder = value_description(option).first;
  if (placeholder == "FILE") return "COMPREPLY=($(compgen -f -- \"$cur\"))";
  if (placeholder == "DIR") return "COMPREPLY=($(compgen -d -- \"$cur\"))";
  return "COMPREPLY=()";
}

// `path` is the command path joined by '/' ("" for the root, "query/temperature-3h").
std::string slash_path(const CLI::App& command) {
  std::string words = command_words(command);
  for (char& c : words) {
    if (c == ' ') c = '/';
  }
  return words;
}

// Every command path with its options, the root's (global) options last so a command's own
// option of the same name wins in the case statements.
struct CompletionEntry {
  std::string path;
  const CLI::App* command;
};

std::vector<CompletionEntry> completion_entries(const CLI::App& app) {
  std::vector<CompletionEntry> entries;
  for_each_command(app, [&entries](const CLI::App& command) {
    entries.push_back({slash_path(command), &command});
  });
  entries.push_back({"", &app});
  return entries;
}

void print_value_cases(const std::vector<CompletionEntry>& entries, std::ostream& out) {
  out << "  case \"$command:$prev\" in\n";
  std::set<std::string> seen;
  for (const auto& entry : entries) {
    const bool is_root = entry.command->get_parent() == nullptr;
    for (const CLI::Option* option : documented_options(*entry.command)) {
      if (option->get_type_size() == 0) continue;
      for (const auto& name : long_names({option})) {
        // Global options are accepted after any command: they match whatever the path.
        const std::string pattern = (is_root ? "*" : "\"" + entry.path + "\"") + ":" + name;
        if (!seen.insert(pattern).second) continue;
        out << "    " << pattern << ")\n      " << value_completion(*option)
            << "\n      return ;;\n";
      }
    }
  }
  out << "  esac\n";
}

void print_word_cases(const std::vector<CompletionEntry>& entries,
                      const std::vector<std::string>& global_names, std::ostream& out) {
  out << "  case \"$command\" in\n";
  for (const auto& entry : entries) {
    std::vector<std::string> words;
    for (const CLI::App* subcommand : subcommands_of(*entry.command)) {
      words.push_back(subcommand->get_name());
    }
    const bool is_root = entry.command->get_parent() == nullptr;
    for (const auto& name : long_names(documented_options(*entry.command))) words.push_back(name);
    if (!is_root) {
      words.push_back("--help");
      for (const auto& name : global_names) words.push_back(name);
    }
    out << "    \"" << entry.path << "\") words=\"" << words_of(words) << "\" ;;\n";
  }
  out << "  esac\n";
}

}  // namespace

void set_examples(CLI::App& command, const std::vector<std::string>& examples) {
  std::string footer = kExamplesHeading;
  for (const auto& example : examples) footer += "\n" + std::string(kExampleIndent) + example;
  command.footer(footer);
}

std::vector<std::string> examples_of(const CLI::App& command) {
  std::vector<std::string> examples;
  std::istringstream lines(command.get_footer());
  bool in_examples = false;
  for (std::string line; std::getline(lines, line);) {
    if (line == kExamplesHeading) {
      in_examples = true;
    } else if (in_examples && line.starts_with(kExampleIndent)) {
      examples.push_back(line.substr(std::string_view(kExampleIndent).size()));
    } else {
      in_examples = false;
    }
  }
  return examples;
}

void print_man_page(const CLI::App& app, std::ostream& out) {
  std::string summary = app.get_description();
  if (summary.starts_with(app.get_name() + ": ")) summary.erase(0, app.get_name().size() + 2);
  out << ".\\\" Generated by `meteo-etl --print-man-page` from the command line's definition.\n"
      << ".TH METEO\\-ETL 1 \"\" \"meteo\\-etl " << roff(kVersion) << "\" \"User Commands\"\n"
      << ".nh\n.ad l\n"  // option names are neither hyphenated nor stretched
      << ".SH NAME\nmeteo\\-etl \\- " << roff(summary) << '\n'
      << ".SH SYNOPSIS\n"
      << ".B meteo\\-etl\n[\\fIGLOBAL OPTIONS\\fR] \\fICOMMAND\\fR [\\fIOPTIONS\\fR]\n.br\n"
      << ".B meteo\\-etl \\-\\-version\n.br\n"
      << ".B meteo\\-etl\n[\\fICOMMAND\\fR] \\fB\\-\\-help\\fR\n"
      << ".SH DESCRIPTION\n"
      << "An hourly batch job, run from cron or a systemd timer: it fetches the sensor feed and "
         "the station networks named in its configuration, keeps every payload in a raw "
         "archive, matches each reading to its region, and stores hourly means in MySQL or "
         "MariaDB. The \\fBwatch\\fR command runs the same pipeline continuously instead, each "
         "source at its own poll_seconds, until SIGTERM (SIGHUP re\\-reads the configuration).\n"
         ".PP\n"
      << "Global options may come before or after the command. Logs go to standard error, "
         "results to standard output. Hours are UTC, written 2026\\-11\\-22T06, "
         "2026\\-11\\-22T06:00 or 2026\\-11\\-22T06:00:00Z; a window \\fB\\-\\-from\\fR "
         "\\fB\\-\\-to\\fR includes its first hour and excludes its end hour.\n"
      << ".SH \"GLOBAL OPTIONS\"\n";
  print_options(app, out);
  print_commands(app, out);
  print_exit_status(out);
  std::vector<std::string> examples = examples_of(app);
  for_each_command(app, [&examples](const CLI::App& command) {
    for (const auto& example : examples_of(command)) {
      if (std::find(examples.begin(), examples.end(), example) == examples.end()) {
        examples.push_back(example);
      }
    }
  });
  out << ".SH EXAMPLES\n";
  print_examples(examples, out);
  out << ".SH ENVIRONMENT\n"
      << ".TP\n.B METEO_ETL_CONFIG\nThe configuration file when \\fB\\-\\-config\\fR is not "
         "given.\n"
      << ".TP\n.B METEO_DB_PASSWORD\nThe database password, under the name the configuration's "
         "password_env gives (this is its default); sources name their API key's variable in "
         "api_key_env.\n"
      << ".TP\n.B JOURNAL_STREAM\nSet by systemd: logs then go to the journal with their "
         "priorities.\n"
      << ".SH FILES\n"
      << ".TP\n.I /etc/meteo\\-etl/meteo\\-etl.toml\nThe configuration (TOML), as the "
         "packaged units and the cron example name it.\n"
      << ".TP\n.I /var/lib/meteo\\-etl/archive\nThe raw archive of every payload "
         "([archive] root).\n"
      << ".TP\n.I /var/lib/meteo\\-etl/cache\nDerived files such as the region index, safe to "
         "delete ([cache] dir).\n"
      << ".SH \"SEE ALSO\"\n.BR cron (8),\n.BR systemd.timer (5)\n";
}

void print_bash_completion(const CLI::App& app, std::ostream& out) {
  const auto entries = completion_entries(app);
  const auto global_options = documented_options(app);
  std::vector<std::string> global_names;
  std::vector<std::string> value_options, command_patterns;
  for (const CLI::Option* option : global_options) {
    if (option == app.get_help_ptr() || option == app.get_version_ptr()) continue;
    for (const auto& name : long_names({option})) global_names.push_back(name);
  }
  for (const auto& entry : entries) {
    for (const CLI::Option* option : documented_options(*entry.command)) {
      if (option->get_type_size() == 0) continue;
      for (const auto& name : long_names({option})) value_options.push_back(name);
    }
    if (!entry.path.empty()) {
      // The command reached by this word: "query/station-hourly" is "query" then "station-hourly".
      const auto slash = entry.path.rfind('/');
      const std::string parent = slash == std::string::npos ? "" : entry.path.substr(0, slash);
      const std::string word = entry.path.substr(slash == std::string::npos ? 0 : slash + 1);
      command_patterns.push_back("\"" + parent + ":" + word + "\"");
    }
  }
  std::sort(value_options.begin(), value_options.end());
  value_options.erase(std::unique(value_options.begin(), value_options.end()), value_options.end());
  std::string command_pattern;
  for (const auto& pattern : command_patterns) {
    command_pattern += (command_pattern.empty() ? "" : "|") + pattern;
  }
  std::string value_pattern;
  for (const auto& name : value_options) {
    value_pattern += (value_pattern.empty() ? "" : "|") + name;
  }

  out << "# bash completion for meteo-etl, generated by `meteo-etl --print-bash-completion`.\n"
      << "_meteo_etl() {\n"
      << "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
      << "  local command=\"\" word words i\n"
      << "  # The command path so far (\"query/temperature-3h\"), option values skipped.\n"
      << "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      << "    word=${COMP_WORDS[i]}\n"
      << "    case \"$word\" in\n"
      << "      " << value_pattern << ")\n"
      << "        ((i++))\n"
      << "        continue ;;\n"
      << "    esac\n"
      << "    case \"$command:$word\" in\n"
      << "      " << command_pattern << ")\n"
      << "        command=${command:+$command/}$word ;;\n"
      << "    esac\n"
      << "  done\n";
  print_value_cases(entries, out);
  print_word_cases(entries, global_names, out);
  out << "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
      << "}\n"
      << "complete -F _meteo_etl meteo-etl\n";
}

}  // namespace meteo
