// The command lines the container runs, taken from docker/compose.yml (the hourly loop) and
// docker/Dockerfile (RUN, HEALTHCHECK, ENTRYPOINT + CMD) by the test itself and run verbatim with
// the built binary against the private MariaDB and the sensor simulator. No Docker engine here:
// this is what makes a command line the tool cannot parse (or that fails) fail before an image
// ships it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "cli_job.hpp"
#include "config_files.hpp"
#include "paths.hpp"
#include "sensor_sim.hpp"
#include "subprocess.hpp"
#include "test_database.hpp"

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kApiKey = "container-e2e-key-5b19";
constexpr const char* kImageBinary = "/usr/local/bin/meteo-etl";

// One command line as the container would start it: a shell line or an exec-form argv.
struct ContainerCommand {
  std::string origin;             // file:line
  std::vector<std::string> argv;  // {"/bin/sh", "-c", line} for a shell line
  std::string text() const { return argv.size() == 3 && argv[0] == "/bin/sh" ? argv[2] : ""; }
};

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot read " << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") + 1 - first);
}

// A shell line whose first command is the tool: "meteo-etl ...", "/usr/local/bin/meteo-etl ...".
bool starts_with_meteo_etl(const std::string& line) {
  static const std::regex command(R"(^(\S*/)?meteo-etl(\s|$))");
  return std::regex_search(line, command);
}

// The tool in command position anywhere on the line: after ;, &&, ||, |, a parenthesis, a
// backquote, then, do or exec (not as an argument: `--target meteo-etl`, /var/lib/meteo-etl).
bool mentions_meteo_etl_command(const std::string& line) {
  static const std::regex command(R"((^|[;&|(`]\s*|\b(then|do|exec)\s+)(\S*/)?meteo-etl(\s|$))");
  return std::regex_search(line, command);
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// compose.yml: the lines of its command blocks and list items that start with meteo-etl, with
// compose's $$ turned back into the shell's $.
std::vector<ContainerCommand> compose_commands(const std::string& text) {
  std::vector<ContainerCommand> commands;
  std::istringstream lines(text);
  int number = 0;
  for (std::string raw; std::getline(lines, raw);) {
    ++number;
    std::string line = trim(raw);
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("- ", 0) == 0) line = trim(line.substr(2));
    if (line.size() >= 2 && (line[0] == '"' || line[0] == '\'') && line.back() == line[0]) {
      line = line.substr(1, line.size() - 2);
    }
    const std::string origin = "docker/compose.yml:" + std::to_string(number);
    if (starts_with_meteo_etl(line)) {
      commands.push_back({origin, {"/bin/sh", "-c", replace_all(line, "$$", "$")}});
    } else {
      EXPECT_FALSE(mentions_meteo_etl_command(line))
          << origin << ": the test cannot tell how to run this line: " << raw;
    }
  }
  return commands;
}

nlohmann::json exec_form(const std::string& origin, const std::string& text) {
  const auto array = nlohmann::json::parse(text, nullptr, false);
  EXPECT_TRUE(array.is_array()) << origin << ": not an exec-form JSON array: " << text;
  return array.is_array() ? array : nlohmann::json::array();
}

// The Dockerfile's instructions (continuations joined) that run the tool: RUN and HEALTHCHECK
// shell lines, then ENTRYPOINT followed by CMD as `docker run IMAGE` starts them.
std::vector<ContainerCommand> dockerfile_commands(const std::string& text) {
  std::vector<ContainerCommand> commands;
  nlohmann::json entrypoint = nlohmann::json::array(), cmd = nlohmann::json::array();
  std::string entry_origin;
  std::istringstream lines(text);
  int number = 0;
  std::string instruction;
  int first_line = 0;
  for (std::string raw; std::getline(lines, raw);) {
    ++number;
    const std::string line = trim(raw);
    // Docker drops comment lines, inside a continued instruction too.
    if ((instruction.empty() && line.empty()) || (!line.empty() && line[0] == '#')) continue;
    if (instruction.empty()) first_line = number;
    if (!line.empty() && line.back() == '\\') {
      instruction += line.substr(0, line.size() - 1) + " ";
      continue;
    }
    instruction += line;
    const std::string origin = "docker/Dockerfile:" + std::to_string(first_line);
    const std::string keyword = instruction.substr(0, instruction.find(' '));
    const std::string rest = trim(instruction.substr(keyword.size()));
    instruction.clear();
    if (keyword == "RUN" && starts_with_meteo_etl(rest)) {
      commands.push_back({origin, {"/bin/sh", "-c", rest}});
    } else if (keyword == "HEALTHCHECK" && rest.find("CMD ") != std::string::npos) {
      const std::string check = trim(rest.substr(rest.find("CMD ") + 4));
      if (check.front() == '[') {
        const auto argv = exec_form(origin, check);
        commands.push_back({origin, argv.get<std::vector<std::string>>()});
      } else {
        commands.push_back({origin, {"/bin/sh", "-c", check}});
      }
    } else if (keyword == "ENTRYPOINT") {
      entrypoint = exec_form(origin, rest);
      entry_origin = origin;
    } else if (keyword == "CMD") {
      cmd = exec_form(origin, rest);
    } else if (keyword == "RUN") {
      EXPECT_FALSE(mentions_meteo_etl_command(rest))
          << origin << ": the test cannot tell how to run this instruction: " << keyword << ' '
          << rest;
    }
  }
  if (!entrypoint.empty() && starts_with_meteo_etl(entrypoint[0].get<std::string>() + " ")) {
    std::vector<std::string> argv = entrypoint.get<std::vector<std::string>>();
    for (const auto& word : cmd) argv.push_back(word.get<std::string>());
    commands.push_back({entry_origin + " (ENTRYPOINT + CMD)", argv});
  }
  return commands;
}

class ContainerCommands : public ::testing::Test {
 protected:
  void SetUp() override {
    METEO_SKIP_WITHOUT_SHARED_DATA("geo/regions.geojson");
    // `meteo-etl` on the PATH, as in the image; its absolute path there is rewritten to this one.
    fs::create_directories(directory_ / "bin");
    fs::create_symlink(meteo_etl_binary(), directory_ / "bin" / "meteo-etl");
    std::ofstream config(config_path());
    config << database_toml(database_.config()) << "[archive]\nroot = \"archive\"\n"
           << "[cache]\ndir = \"cache\"\n[dashboard]\nout = \"site\"\n"
           << "\n[[region_sets]]\nname = \"fr-regions\"\nlocation = \""
           << shared_data("geo/regions.geojson") << "\"\n"
           << "\n[[sources]]\nname = \"sensors\"\ntype = \"sensor-api\"\nurl = \"" << sim_.url()
           << "\"\napi_key_env = \"SENSOR_API_KEY\"\nregion_sets = [\"fr-regions\"]\n";
  }
  std::string config_path() const { return (directory_ / "meteo-etl.toml").string(); }

  // The container's environment: the config's path, the two secrets, the tool on the PATH.
  ProcessResult run(const ContainerCommand& command) {
    Environment environment = cron_environment(config_path(), database_.config());
    environment["SENSOR_API_KEY"] = kApiKey;
    environment["PATH"] = (directory_ / "bin").string() + ":/usr/bin:/bin";
    std::vector<std::string> argv = command.argv;
    for (auto& word : argv) word = replace_all(word, kImageBinary, meteo_etl_binary());
    return run_process(argv, environment);
  }

  // Runs every command in order, each expected to exit 0; JSON logs when it asks for them.
  void run_all(const std::vector<ContainerCommand>& commands) {
    for (const auto& command : commands) {
      const ProcessResult result = run(command);
      std::string shown;
      for (const auto& word : command.argv) shown += word + ' ';
      EXPECT_EQ(result.exit_code, 0) << command.origin << ": " << shown << "\nstdout:\n"
                                     << result.out << "\nstderr:\n"
                                     << result.err;
      if (shown.find("--log-format json") != std::string::npos) expect_json_lines(result.err);
    }
  }

  static void expect_json_lines(const std::string& log) {
    std::istringstream lines(log);
    int parsed = 0;
    for (std::string line; std::getline(lines, line);) {
      if (line.empty()) continue;
      EXPECT_TRUE(nlohmann::json::parse(line, nullptr, false).is_object())
          << "not a JSON log line: " << line;
      ++parsed;
    }
    EXPECT_GT(parsed, 0) << "a run logs at least its summary";
  }

  ScratchDatabase database_;
  TestDirectory directory_;
  SensorSim sim_{{.records = 20, .api_key = kApiKey}};
};

TEST_F(ContainerCommands, TheComposeLoopAndTheImageCommandsRunAsWritten) {
  const auto compose = compose_commands(read_text(source_path("docker/compose.yml")));
  const auto image = dockerfile_commands(read_text(source_path("docker/Dockerfile")));
  std::string compose_text;
  for (const auto& command : compose) compose_text += command.text() + '\n';
  // What the container must do, so that a rewrite dropping a step fails here too.
  EXPECT_NE(compose_text.find("meteo-etl migrate"), std::string::npos) << compose_text;
  EXPECT_NE(compose_text.find("meteo-etl regions load"), std::string::npos) << compose_text;
  EXPECT_NE(compose_text.find("meteo-etl run --log-format json\n"), std::string::npos)
      << "the hourly loop's fixed command line\n"
      << compose_text;
  ASSERT_FALSE(image.empty());
  EXPECT_EQ(image.back().argv,
            (std::vector<std::string>{kImageBinary, "run", "--log-format", "json"}));
  bool health_check = false;
  for (const auto& command : image) {
    health_check |= command.text().find("meteo-etl status") != std::string::npos;
  }
  EXPECT_TRUE(health_check) << "the image's HEALTHCHECK asks `status`";

  // In the container's order: the compose loop's migration, regions and first run, then the
  // image's own lines (its health check after that run, its default command once more).
  run_all(compose);
  run_all(image);
  EXPECT_GE(sim_.calls_served(), 2) << "both runs fetched from the simulator";
}

// The named volumes sit where the example config writes, on directories the image creates for
// its unprivileged user (a named volume starts with the image directory's owner and mode).
TEST(ContainerFiles, NamedVolumesHoldWhatTheExampleConfigWrites) {
  const std::string compose = read_text(source_path("docker/compose.yml"));
  const std::string dockerfile = read_text(source_path("docker/Dockerfile"));
  const std::string example = read_text(source_path("config/meteo-etl.example.toml"));
  for (const std::string key : {"root", "dir", "out"}) {
    const std::regex setting("\\n" + key + " = \"(/[^\"]+)\"");
    std::smatch match;
    ASSERT_TRUE(std::regex_search(example, match, setting)) << key;
    const std::string path = match[1];
    EXPECT_TRUE(std::regex_search(compose, std::regex("- meteo-[a-z]+:" + path + "\\n")))
        << "no named volume at " << path;
    EXPECT_TRUE(std::regex_search(
        dockerfile,
        std::regex("install -d -o meteo -g meteo [^\\n]*(\\n [^\\n]*)*" + path + "[ \\n]")))
        << "the image does not create " << path << " for its user";
  }
  EXPECT_NE(compose.find("image: mysql:8.0\n"), std::string::npos) << "MySQL pinned to 8.0";
  EXPECT_NE(compose.find("--default-authentication-plugin=mysql_native_password"),
            std::string::npos)
      << "libmariadb cannot log in with caching_sha2_password over plain TCP";
}

}  // namespace
}  // namespace meteo::testing
