// The command lines the documentation gives an operator, run verbatim: the cron job of
// deploy/meteo-etl.cron and of the README, read from those files (so the test breaks with the
// documented line), with only the paths substituted, through /bin/sh as cron runs them. Their log
// file is the one the package creates and rotates.
#include <fnmatch.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "cli_job.hpp"
#include "config_files.hpp"
#include "db_snapshot.hpp"
#include "paths.hpp"
#include "sensor_sim.hpp"
#include "subprocess.hpp"
#include "test_database.hpp"
#include "test_support.hpp"

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kApiKey = "documented-key-51c0";
constexpr int kRecords = 120;

// A crontab's job lines: not blank, not a comment, not a VAR=value setting.
std::vector<std::string> cron_jobs(const std::vector<std::string>& lines) {
  static const std::regex setting(R"(^\s*[A-Za-z_][A-Za-z0-9_]*\s*=)");
  std::vector<std::string> jobs;
  for (const auto& line : lines) {
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#' || std::regex_search(line, setting)) {
      continue;
    }
    jobs.push_back(line.substr(first));
  }
  return jobs;
}

// The command of a job line: what follows the five time fields (and the user field of a
// system crontab such as /etc/cron.d).
std::string job_command(const std::string& job, bool system_crontab) {
  std::istringstream fields(job);
  std::string field;
  for (int i = 0; i < (system_crontab ? 6 : 5); ++i) fields >> field;
  std::string command;
  std::getline(fields >> std::ws, command);
  return command;
}

// The job of the README's "Running it from cron" block.
std::string readme_cron_command() {
  const std::string readme = read_text(source_path("README.md"));
  const auto section = readme.find("## Running it from cron");
  EXPECT_NE(section, std::string::npos) << "README: no \"Running it from cron\" section";
  const auto fence = readme.find("```cron\n", section);
  EXPECT_NE(fence, std::string::npos) << "README: no ```cron block after the heading";
  const auto body = fence + std::string("```cron\n").size();
  const auto jobs = cron_jobs(lines_of(readme.substr(body, readme.find("```", body) - body)));
  EXPECT_EQ(jobs.size(), 1u) << "one job line in the README's cron block";
  return jobs.empty() ? "" : job_command(jobs.front(), false);
}

std::string deploy_cron_command() {
  const auto jobs = cron_jobs(lines_of(read_text(source_path("deploy/meteo-etl.cron"))));
  EXPECT_EQ(jobs.size(), 1u) << "one job line in deploy/meteo-etl.cron";
  return jobs.empty() ? "" : job_command(jobs.front(), true);
}

// The file a job's command appends its output to: what follows >>.
std::string appended_file(const std::string& command) {
  static const std::regex appended(R"(>>\s*(\S+))");
  std::smatch match;
  return std::regex_search(command, match, appended) ? match[1].str() : "";
}

// The files (or globs) a logrotate snippet rotates: the words before each block's "{".
std::vector<std::string> rotated_files(const std::string& snippet) {
  std::vector<std::string> files;
  for (const auto& line : lines_of(snippet)) {
    const auto brace = line.find('{');
    if (line.empty() || line.front() == '#' || brace == std::string::npos) continue;
    std::istringstream words(line.substr(0, brace));
    for (std::string word; words >> word;) files.push_back(word);
  }
  return files;
}

// A tmpfiles.d(5) line's fields: type, path, mode, user, group, age.
std::vector<std::string> tmpfiles_entry(const std::string& tmpfiles, const std::string& path) {
  for (const auto& line : lines_of(tmpfiles)) {
    std::istringstream words(line);
    std::vector<std::string> fields;
    for (std::string word; words >> word;) fields.push_back(word);
    if (fields.size() >= 4 && fields[0].front() != '#' && fields[1] == path) return fields;
  }
  return {};
}

struct Paths {
  std::string binary, config, log;
};

// The documented line with this machine's paths: the program (after any VAR=value
// assignments), every *.toml path, and the file after >>. Nothing else changes.
std::string with_paths(const std::string& command, const Paths& paths) {
  static const std::regex program(R"(^((?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*)\S+)");
  static const std::regex config(R"(/[^\s=]*\.toml\b)");
  static const std::regex log(R"(>>\s*\S+)");
  std::string substituted = std::regex_replace(command, program, "$1" + paths.binary,
                                               std::regex_constants::format_first_only);
  substituted = std::regex_replace(substituted, config, paths.config);
  return std::regex_replace(substituted, log, ">>" + paths.log);
}

class DocumentedCommand : public ::testing::Test {
 protected:
  Paths paths() const {
    return {meteo_etl_binary(), (directory_ / "meteo-etl.toml").string(),
            (directory_ / "meteo-etl.log").string()};
  }

  void write_config(const SensorSim& sim) {
    std::ofstream config(paths().config);
    config << database_toml(database_.config())
           << "\n[[region_sets]]\nname = \"fr-regions\"\nlocation = \""
           << shared_data("geo/regions.geojson")
           << "\"\nformat = \"geojson\"\ncode_field = \"code\"\nname_field = \"nom\"\n"
           << "\n[[sources]]\nname = \"sensors\"\ntype = \"sensor-api\"\nurl = \"" << sim.url()
           << "\"\napi_key_env = \"SENSOR_API_KEY\"\nregion_sets = [\"fr-regions\"]\n";
  }

  // Cron's environment: no METEO_ETL_CONFIG unless the line sets it itself.
  Environment cron_environment() const {
    Environment env = testing::cron_environment(paths().config, database_.config());
    env.erase("METEO_ETL_CONFIG");
    env["SENSOR_API_KEY"] = kApiKey;
    env["HOME"] = directory_.path().string();
    env["SHELL"] = "/bin/sh";
    return env;
  }

  void prepare_database() {
    Environment env = cron_environment();
    env["METEO_ETL_CONFIG"] = paths().config;
    ASSERT_EQ(run_process({meteo_etl_binary(), "migrate"}, env).exit_code, 0);
    const auto load = run_process({meteo_etl_binary(), "regions", "load"}, env);
    ASSERT_EQ(load.exit_code, 0) << load.err;
  }

  // Runs the documented job against a fresh database and the simulator, and checks it did the
  // hour's work and logged JSON lines into the documented log file.
  void run_documented_job(const std::string& documented) {
    ASSERT_FALSE(documented.empty());
    ASSERT_EQ(documented.find('%'), std::string::npos) << "cron turns % into a newline";
    SensorSim sim({.records = kRecords, .seed = 5, .api_key = kApiKey});
    write_config(sim);
    prepare_database();
    const std::string command = with_paths(documented, paths());
    const auto job = run_process({"/bin/sh", "-c", command}, cron_environment());
    const std::string log = read_text(paths().log);
    ASSERT_EQ(job.exit_code, 0) << "documented: " << documented << "\nran: " << command
                                << "\nstderr: " << job.err << "\nlog:\n"
                                << log;
    EXPECT_EQ(job.out + job.err, "") << "everything goes to the log file";
    ASSERT_FALSE(log.empty()) << command;
    for (const auto& line : lines_of(log)) {
      const auto entry = nlohmann::json::parse(line, nullptr, false);
      ASSERT_FALSE(entry.is_discarded()) << "not a JSON line: " << line;
      EXPECT_TRUE(entry.contains("level")) << line;
    }
    Database db = database_.connect();
    EXPECT_EQ(query_value(db, "SELECT COUNT(*) FROM sensor_readings"), std::to_string(kRecords));
    EXPECT_EQ(query_value(db, "SELECT status FROM etl_runs"), "succeeded");
  }

  ScratchDatabase database_;
  TestDirectory directory_;
};

TEST(DocumentedCronLine, PathsAreSubstitutedAndNothingElse) {
  const Paths paths{"/build/meteo-etl", "/tmp/x/c.toml", "/tmp/x/l.log"};
  EXPECT_EQ(with_paths("METEO_ETL_CONFIG=/etc/m/m.toml /usr/bin/meteo-etl run --log-format json "
                       ">>/var/log/m.log 2>&1",
                       paths),
            "METEO_ETL_CONFIG=/tmp/x/c.toml /build/meteo-etl run --log-format json "
            ">>/tmp/x/l.log 2>&1");
  EXPECT_EQ(
      with_paths("/usr/local/bin/meteo-etl --config /etc/m/m.toml run >> /var/log/m.log", paths),
      "/build/meteo-etl --config /tmp/x/c.toml run >>/tmp/x/l.log");
  EXPECT_EQ(job_command("5 * * * *  meteo-etl  /usr/bin/meteo-etl run", true),
            "/usr/bin/meteo-etl run");
  EXPECT_EQ(job_command("5 * * * *  A=b /usr/bin/meteo-etl run", false),
            "A=b /usr/bin/meteo-etl run");
  EXPECT_EQ(appended_file("/usr/bin/meteo-etl run >> /var/log/m/m.log 2>&1"), "/var/log/m/m.log");
  EXPECT_EQ(rotated_files("# /var/log/old.log {\n/var/log/m/*.log /var/log/n.log {\n\tweekly\n}\n"),
            (std::vector<std::string>{"/var/log/m/*.log", "/var/log/n.log"}));
}

// One log file in every document: the cron lines append to it, the package creates it for the
// job's user in a directory that stays root's, and logrotate rotates it.
TEST(DocumentedLogFile, TheCronLinesLogWhereThePackageCreatesAndRotates) {
  const std::string log = appended_file(deploy_cron_command());
  EXPECT_EQ(log, "/var/log/meteo-etl/meteo-etl.log") << "the packaged layout";
  EXPECT_EQ(appended_file(readme_cron_command()), log) << "README and deploy/ log to one file";

  const auto rotated = rotated_files(read_text(source_path("deploy/meteo-etl.logrotate")));
  ASSERT_FALSE(rotated.empty()) << "deploy/meteo-etl.logrotate names no file";
  EXPECT_TRUE(std::any_of(rotated.begin(), rotated.end(),
                          [&log](const std::string& pattern) {
                            return ::fnmatch(pattern.c_str(), log.c_str(), FNM_PATHNAME) == 0;
                          }))
      << "deploy/meteo-etl.logrotate does not rotate " << log;

  const std::string tmpfiles = read_text(source_path("deploy/meteo-etl.tmpfiles"));
  const auto file = tmpfiles_entry(tmpfiles, log);
  ASSERT_EQ(file.size(), 6u) << "deploy/meteo-etl.tmpfiles does not create " << log;
  EXPECT_EQ(file[0], "f");
  EXPECT_EQ(file[3], "meteo-etl") << "the job writes it";
  const auto directory = tmpfiles_entry(tmpfiles, fs::path(log).parent_path().string());
  ASSERT_EQ(directory.size(), 6u) << "deploy/meteo-etl.tmpfiles does not create its directory";
  EXPECT_EQ(directory[3], "root") << "logrotate works in a directory only root can change";
  EXPECT_NE(read_text(source_path("deploy/debian/postinst")).find(log), std::string::npos)
      << "the postinst's fallback without systemd-tmpfiles creates it too";
}

TEST_F(DocumentedCommand, TheDeployCronLineRuns) {
  run_documented_job(deploy_cron_command());
}

TEST_F(DocumentedCommand, TheReadmeCronLineRuns) {
  const std::string documented = readme_cron_command();
  EXPECT_NE(documented.find("METEO_ETL_CONFIG="), std::string::npos)
      << "the README's form sets the config in the job's environment: " << documented;
  run_documented_job(documented);
}

// ---- the generated documents, from the built binary ------------------------------------------

ProcessResult meteo_alone(const std::vector<std::string>& args) {
  std::vector<std::string> argv{meteo_etl_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, {{"PATH", "/usr/bin:/bin"}});  // no config, no database
}

class GeneratedDocument : public DocumentedCommand {
 protected:
  std::string write(const std::string& name, const std::string& flag) {
    const auto printed = meteo_alone({flag});
    EXPECT_EQ(printed.exit_code, 0) << printed.err;
    EXPECT_EQ(printed.err, "");
    const std::string path = (directory_ / name).string();
    std::ofstream(path) << printed.out;
    return path;
  }
};

TEST_F(GeneratedDocument, ManPageRendersWithoutWarnings) {
  if (!fs::exists("/usr/bin/man")) GTEST_SKIP() << "man (package man-db) is not installed";
  const std::string page = write("meteo-etl.1", "--print-man-page");
  const auto rendered = run_process({"/usr/bin/man", "--warnings", "-l", page},
                                    {{"PATH", "/usr/bin:/bin"},
                                     {"MANWIDTH", "80"},
                                     {"LANG", "C.UTF-8"},
                                     {"HOME", directory_.path().string()}});
  EXPECT_EQ(rendered.exit_code, 0) << rendered.err;
  EXPECT_EQ(rendered.err, "") << "groff warnings";
  for (const char* heading : {"NAME", "SYNOPSIS", "GLOBAL OPTIONS", "COMMANDS", "EXIT STATUS",
                              "EXAMPLES", "ENVIRONMENT", "FILES"}) {
    EXPECT_NE(rendered.out.find("\n" + std::string(heading) + "\n"), std::string::npos)
        << heading << " in\n"
        << rendered.out;
  }
  EXPECT_NE(rendered.out.find("query temperature-3h"), std::string::npos);
  for (const auto& line : lines_of(rendered.out)) {
    const auto columns = std::count_if(line.begin(), line.end(),
                                       [](char c) { return (c & 0xC0) != 0x80; });  // UTF-8
    EXPECT_LE(columns, 80) << "MANWIDTH=80: " << line;
  }
}

// What bash completes after `words` (the word under the cursor last).
std::string completions(const std::string& script, const std::string& words) {
  const auto result = run_process(
      {"/bin/bash", "--norc", "-c",
       "source \"$0\"; COMP_WORDS=(" + words +
           "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _meteo_etl; echo \"${COMPREPLY[*]}\"",
       script},
      {{"PATH", "/usr/bin:/bin"}});
  EXPECT_EQ(result.err, "") << words;
  std::string out = result.out;
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

TEST_F(GeneratedDocument, BashCompletionParsesAndCompletes) {
  const std::string script = write("meteo-etl.bash", "--print-bash-completion");
  const auto syntax = run_process({"/bin/bash", "-n", script}, {{"PATH", "/usr/bin:/bin"}});
  EXPECT_EQ(syntax.exit_code, 0) << syntax.err;
  EXPECT_EQ(completions(script, "meteo-etl sta"), "status");
  EXPECT_EQ(completions(script, "meteo-etl --config /etc/x.toml ru"), "run")
      << "an option's value is not a command";
  EXPECT_EQ(completions(script, "meteo-etl query temp"), "temperature-3h");
  EXPECT_EQ(completions(script, "meteo-etl query temperature-3h --format ''"), "table csv json");
  EXPECT_EQ(completions(script, "meteo-etl export --format ''"), "csv json");
  EXPECT_EQ(completions(script, "meteo-etl run --log-f"), "--log-format")
      << "global options after the command";
  EXPECT_EQ(completions(script, "meteo-etl run --log-level cr"), "critical");
  EXPECT_EQ(completions(script, "meteo-etl replay --j"), "--jobs");
  EXPECT_EQ(completions(script, "meteo-etl --print"), "") << "hidden flags";
}

TEST_F(GeneratedDocument, VersionNeedsNoConfigAndNoDatabase) {
  const auto version = meteo_alone({"--version"});
  ASSERT_EQ(version.exit_code, 0) << version.err;
  EXPECT_TRUE(std::regex_search(
      version.out, std::regex(R"(^meteo-etl \S+ \(commit ([0-9a-f]{7,40}|unknown)\)\nGEOS )")))
      << version.out;
  EXPECT_NE(version.out.find("\nschema version "), std::string::npos) << version.out;
}

}  // namespace
}  // namespace meteo::testing
