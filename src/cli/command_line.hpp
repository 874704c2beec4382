// The command line's definition: global options, the commands and their options, help texts.
// The parser, the man page and the completion script all read this one tree.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"

namespace meteo {

struct GlobalOptions {
  std::string config_path;
  std::string log_level;   // empty: the config's, else info
  std::string log_format;  // empty: the config's, else text
  bool print_man_page = false;
  bool print_bash_completion = false;
};

// Global options are accepted before or after any command: every command falls through to its
// parent for the options it does not know.
class CommandLine {
 public:
  CommandLine();
  CommandLine(const CommandLine&) = delete;
  CommandLine& operator=(const CommandLine&) = delete;

  CLI::App& app() { return app_; }
  const CLI::App& app() const { return app_; }
  const GlobalOptions& options() const { return options_; }
  // The parsed command's action, if a command was parsed.
  const CommandAction* chosen_action() const;

 private:
  CLI::App app_;
  GlobalOptions options_;
  std::vector<CommandRegistration> commands_;
};

// `meteo-etl --version`: the tool, its commit, the libraries it runs with, the schema it expects.
std::string version_text();

// After a parse that failed on an unknown word: names the first unknown option (with the closest
// option when one is near), else, for want of a command, the word that is not a command (with the
// closest command) or the commands expected. Nothing for other mistakes, which keep CLI11's words.
std::optional<std::string> command_mistake(const CLI::App& app, const CLI::ParseError& error);

// Optimal string alignment distance: insertions, deletions, substitutions and transpositions of
// adjacent characters each cost 1 ("statsu" is 1 away from "status").
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word`, when it is close enough to be a plausible typo.
std::optional<std::string> closest_name(std::string_view word,
                                        const std::vector<std::string>& candidates);

}  // namespace meteo
