// Documentation generated from the command line's definition, so it never disagrees with --help:
// the man page meteo-etl(1), the bash completion script, and the examples of each command.
#pragma once

#include <CLI/CLI.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace meteo {

// Sets the help footer of `command` to these command lines under "Examples:".
void set_examples(CLI::App& command, const std::vector<std::string>& examples);

// The example command lines set_examples put in the footer of `command`.
std::vector<std::string> examples_of(const CLI::App& command);

// roff for meteo-etl(1): every command with its options, help texts and defaults, the exit
// codes, examples, environment and files.
void print_man_page(const CLI::App& app, std::ostream& out);

// A bash completion script: commands, subcommands, options and the values of options that take
// one of a fixed set (files for FILE, directories for DIR).
void print_bash_completion(const CLI::App& app, std::ostream& out);

}  // namespace meteo
