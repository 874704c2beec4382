// The man page and the completion script are generated from the same tree as --help: walk the
// tree and check that each documents everything in it.
#include "../../../src/cli/manual.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "../../../src/cli/command_line.hpp"
#include "cli_runner.hpp"
#include "meteo/core/errors.hpp"

namespace meteo {
namespace {

using testing::all_commands;

// "query temperature-3h" as the man page writes it: hyphens escaped.
std::string roff_words(const CLI::App& command) {
  std::string words;
  for (const CLI::App* at = &command; at->get_parent() != nullptr; at = at->get_parent()) {
    words = at->get_name() + (words.empty() ? "" : " " + words);
  }
  std::string escaped;
  for (char c : words) escaped += c == '-' ? std::string("\\-") : std::string(1, c);
  return escaped;
}

std::string roff_option(const std::string& long_name) {
  std::string escaped = "\\fB\\-\\-";
  for (char c : long_name) escaped += c == '-' ? std::string("\\-") : std::string(1, c);
  return escaped + "\\fR";
}

// The man page's text from a command's heading to the next heading.
std::string section_of(const std::string& page, const std::string& heading) {
  const auto start = page.find(heading);
  if (start == std::string::npos) return "";
  const auto end = page.find("\n.S", start + heading.size());
  return page.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

std::string man_page() {
  CommandLine line;
  std::ostringstream out;
  print_man_page(line.app(), out);
  return out.str();
}

TEST(ManPage, ListsEveryCommandWithEachOfItsOptions) {
  const std::string page = man_page();
  CommandLine line;
  const auto commands = all_commands(line.app());
  ASSERT_GE(commands.size(), 13u) << "10 commands, query's 2, regions' 1";
  for (const CLI::App* command : commands) {
    const std::string heading = ".SS \"" + roff_words(*command) + "\"";
    const std::string section = section_of(page, heading);
    ASSERT_FALSE(section.empty()) << heading << " missing";
    for (const CLI::Option* option : command->get_options()) {
      if (option->get_group().empty() || option == command->get_help_ptr()) continue;
      for (const auto& name : option->get_lnames()) {
        EXPECT_NE(section.find(roff_option(name)), std::string::npos)
            << roff_words(*command) << " --" << name;
      }
      EXPECT_FALSE(option->get_description().empty()) << option->get_name();
      if (!option->get_default_str().empty()) {
        EXPECT_NE(section.find("Default: " + option->get_default_str()), std::string::npos)
            << roff_words(*command) << " " << option->get_name();
      }
    }
  }
}

TEST(ManPage, HasTheSectionsOfAManPage) {
  const std::string page = man_page();
  EXPECT_EQ(page.find(".TH METEO\\-ETL 1 "), page.find('\n') + 1) << page.substr(0, 200);
  for (const char* heading :
       {".SH NAME\nmeteo\\-etl \\- ", ".SH SYNOPSIS", ".SH DESCRIPTION", ".SH \"GLOBAL OPTIONS\"",
        ".SH COMMANDS", ".SH \"EXIT STATUS\"", ".SH EXAMPLES", ".SH ENVIRONMENT",
        ".B METEO_ETL_CONFIG", ".SH FILES"}) {
    EXPECT_NE(page.find(heading), std::string::npos) << heading;
  }
  const std::string globals = section_of(page, ".SH \"GLOBAL OPTIONS\"");
  for (const char* name : {"config", "log-level", "log-format", "version", "help"}) {
    EXPECT_NE(globals.find(roff_option(name)), std::string::npos) << name;
  }
  EXPECT_EQ(page.find("print\\-man\\-page"), std::string::npos) << "hidden flags stay hidden";
  EXPECT_NE(page.find("meteo\\-etl run \\-\\-log\\-format json"), std::string::npos)
      << "run's example";
}

TEST(ManPage, ExitStatusListsEverySysexitsCode) {
  const std::string exits = section_of(man_page(), ".SH \"EXIT STATUS\"");
  for (ExitCode code : {ExitCode::ok, ExitCode::verify_failed, ExitCode::usage, ExitCode::data,
                        ExitCode::unavailable, ExitCode::software, ExitCode::no_permission,
                        ExitCode::io, ExitCode::temporary, ExitCode::config}) {
    EXPECT_NE(exits.find(".B " + std::to_string(static_cast<int>(code)) + "\n"), std::string::npos)
        << static_cast<int>(code);
  }
}

TEST(ManPage, EscapesWhatRoffWouldReadAsRequests) {
  CLI::App app{"tool: a \\ backslash", "tool"};
  CLI::App* command = app.add_subcommand("odd", ".starts with a dot");
  std::string value;
  command->add_option("--opt", value, "'quoted at the start");
  std::ostringstream out;
  print_man_page(app, out);
  EXPECT_NE(out.str().find("\\&.starts with a dot"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("\\&'quoted"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("a \\e backslash"), std::string::npos) << out.str();
}

TEST(Examples, RoundTripThroughTheFooter) {
  CLI::App app{"test"};
  set_examples(app, {"meteo-etl run", "meteo-etl status --json"});
  EXPECT_EQ(app.get_footer(), "Examples:\n  meteo-etl run\n  meteo-etl status --json");
  app.footer(app.get_footer() + "\n\nA note that is not an example.");
  EXPECT_EQ(examples_of(app),
            (std::vector<std::string>{"meteo-etl run", "meteo-etl status --json"}));
}

TEST(BashCompletion, NamesEveryCommandAndOption) {
  CommandLine line;
  std::ostringstream out;
  print_bash_completion(line.app(), out);
  const std::string script = out.str();
  EXPECT_NE(script.find("complete -F _meteo_etl meteo-etl"), std::string::npos);
  for (const CLI::App* command : all_commands(line.app())) {
    EXPECT_NE(script.find(command->get_name()), std::string::npos) << command->get_name();
    for (const CLI::Option* option : command->get_options()) {
      for (const auto& name : option->get_lnames()) {
        if (option->get_group().empty()) {
          EXPECT_EQ(script.find("--" + name), std::string::npos) << "hidden: " << name;
        } else {
          EXPECT_NE(script.find("--" + name), std::string::npos) << name;
        }
      }
    }
  }
}

}  // namespace
}  // namespace meteo
