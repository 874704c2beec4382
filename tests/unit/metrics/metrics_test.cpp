#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "meteo/core/errors.hpp"
#include "meteo/metrics/registry.hpp"

namespace meteo::metrics {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

TEST(Render, WritesHelpAndTypeOncePerFamilyBeforeItsSamples) {
  Registry registry;
  registry.describe("meteo_etl_records", MetricType::gauge, "Records of the last run.");
  registry.describe("meteo_etl_runs_total", MetricType::counter, "Runs.");
  registry.set("meteo_etl_records", {{"source", "sensors"}, {"outcome", "stored"}}, 12);
  registry.add("meteo_etl_runs_total", {{"source", "sensors"}}, 1);
  registry.set("meteo_etl_records", {{"source", "sensors"}, {"outcome", "rejected"}}, 3);
  EXPECT_EQ(registry.render(),
            "# HELP meteo_etl_records Records of the last run.\n"
            "# TYPE meteo_etl_records gauge\n"
            "meteo_etl_records{source=\"sensors\",outcome=\"stored\"} 12\n"
            "meteo_etl_records{source=\"sensors\",outcome=\"rejected\"} 3\n"
            "# HELP meteo_etl_runs_total Runs.\n"
            "# TYPE meteo_etl_runs_total counter\n"
            "meteo_etl_runs_total{source=\"sensors\"} 1\n");
}

TEST(Render, ASampleWithoutLabelsHasNoBraces) {
  Registry registry;
  registry.describe("meteo_etl_up", MetricType::gauge, "Up.");
  registry.set("meteo_etl_up", {}, 1);
  EXPECT_THAT(registry.render(), HasSubstr("\nmeteo_etl_up 1\n"));
}

TEST(Render, AFamilyWithoutSamplesIsLeftOut) {
  Registry registry;
  registry.describe("meteo_etl_unused", MetricType::gauge, "Never set.");
  EXPECT_EQ(registry.render(), "");
}

TEST(Render, GaugeKeepsTheLastValueCounterAccumulates) {
  Registry registry;
  registry.describe("g", MetricType::gauge, "g");
  registry.describe("c_total", MetricType::counter, "c");
  registry.set("g", {{"source", "a"}}, 5);
  registry.set("g", {{"source", "a"}}, 7);
  registry.add("c_total", {{"source", "a"}}, 2);
  registry.add("c_total", {{"source", "a"}}, 3);
  const std::string text = registry.render();
  EXPECT_THAT(text, HasSubstr("g{source=\"a\"} 7\n"));
  EXPECT_THAT(text, HasSubstr("c_total{source=\"a\"} 5\n"));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("g{source=\"a\"} 5")));
}

TEST(Render, DescribingAgainWithTheSameTypeIsHarmless) {
  Registry registry;
  registry.describe("g", MetricType::gauge, "first");
  registry.describe("g", MetricType::gauge, "second");
  registry.set("g", {}, 1);
  EXPECT_EQ(registry.render(), "# HELP g first\n# TYPE g gauge\ng 1\n");
}

TEST(Escaping, LabelValuesEscapeBackslashQuoteAndNewline) {
  EXPECT_EQ(escape_label_value(R"(C:\dir "x")"), R"(C:\\dir \"x\")");
  EXPECT_EQ(escape_label_value("two\nlines"), "two\\nlines");
  EXPECT_EQ(escape_label_value("Île-de-France {a=b}, ok"), "Île-de-France {a=b}, ok");
  Registry registry;
  registry.describe("g", MetricType::gauge, "g");
  registry.set("g", {{"source", "a\"b\\c\nd"}}, 1);
  EXPECT_THAT(registry.render(), HasSubstr("g{source=\"a\\\"b\\\\c\\nd\"} 1\n"));
}

TEST(Escaping, HelpEscapesBackslashAndNewlineButNotQuotes) {
  EXPECT_EQ(escape_help("a \"quoted\" \\ path\nnext"), "a \"quoted\" \\\\ path\\nnext");
}

TEST(Values, RenderAsPrometheusParsesThem) {
  EXPECT_EQ(format_value(0), "0");
  EXPECT_EQ(format_value(42), "42");
  EXPECT_EQ(format_value(-3.5), "-3.5");
  EXPECT_EQ(format_value(0.125), "0.125");
  EXPECT_EQ(format_value(1795327200), "1795327200") << "a Unix time keeps every digit";
  EXPECT_EQ(format_value(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(format_value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_value(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_DOUBLE_EQ(std::stod(format_value(0.1 + 0.2)), 0.1 + 0.2) << "round-trips";
}

// A misuse is a bug in the tool: Error(software), naming the metric.
void expect_software_error(const std::function<void()>& misuse, const std::string& mentions) {
  try {
    misuse();
    ADD_FAILURE() << "no error for " << mentions;
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::software);
    EXPECT_THAT(error.what(), HasSubstr(mentions));
  }
}

TEST(Misuse, IsRefusedWithTheMetricNamed) {
  Registry registry;
  registry.describe("g", MetricType::gauge, "g");
  registry.describe("c_total", MetricType::counter, "c");
  expect_software_error([&] { registry.describe("1bad", MetricType::gauge, "x"); }, "1bad");
  expect_software_error([&] { registry.describe("has-dash", MetricType::gauge, "x"); }, "has-dash");
  expect_software_error([&] { registry.describe("g", MetricType::counter, "x"); }, "g");
  expect_software_error([&] { registry.set("unknown", {}, 1); }, "unknown");
  expect_software_error([&] { registry.set("c_total", {}, 1); }, "c_total");
  expect_software_error([&] { registry.add("g", {}, 1); }, "g");
  expect_software_error([&] { registry.add("c_total", {}, -1); }, "c_total");
  expect_software_error([&] { registry.set("g", {{"bad:label", "x"}}, 1); }, "bad:label");
  expect_software_error([&] { registry.set("g", {{"__name__", "x"}}, 1); }, "__name__");
  expect_software_error([&] { registry.set("g", {{"a", "1"}, {"a", "2"}}, 1); }, "\"a\"");
  registry.describe("ns:colon_ok", MetricType::gauge, "recording-rule style names are valid");
}

TEST(StageTimer, RecordsTheStageDurationAlsoWhenTheStageThrows) {
  Registry registry;
  { StageTimer timer(registry, "sensors", "fetch"); }
  try {
    StageTimer timer(registry, "sensors", "load");
    throw std::runtime_error("load failed");
  } catch (const std::runtime_error&) {
  }
  const std::string text = registry.render();
  EXPECT_THAT(text, HasSubstr("# TYPE meteo_etl_stage_duration_seconds gauge\n"));
  EXPECT_EQ(text.find("# HELP"), text.rfind("# HELP")) << "one family, described once";
  for (const char* stage : {"fetch", "load"}) {
    const std::string prefix = std::string("meteo_etl_stage_duration_seconds{source=\"sensors\",") +
                               "stage=\"" + stage + "\"} ";
    const auto at = text.find(prefix);
    ASSERT_NE(at, std::string::npos) << stage << "\n" << text;
    const double seconds = std::stod(text.substr(at + prefix.size()));
    EXPECT_GE(seconds, 0.0);
  }
}

class TextFile : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() /
                 ("meteo-metrics-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(directory_);
  }
  void TearDown() override { fs::remove_all(directory_); }
  static std::string read(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream content;
    content << in.rdbuf();
    return content.str();
  }
  fs::path directory_;
};

TEST_F(TextFile, ReplacesTheFileWithMode0644AndLeavesNoTemporaryBehind) {
  const fs::path file = directory_ / "meteo-etl.prom";
  const mode_t previous = ::umask(077);  // cron's umask must not hide the file from node_exporter
  write_file_atomically(file, "old 1\n");
  write_file_atomically(file, "new 2\n");
  ::umask(previous);
  EXPECT_EQ(read(file), "new 2\n");
  struct stat info {};
  ASSERT_EQ(::stat(file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0644u);
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(directory_)) {
    names.push_back(entry.path().filename().string());
  }
  EXPECT_EQ(names, std::vector<std::string>{"meteo-etl.prom"});
}

TEST_F(TextFile, AFailedRenameIsAnIoErrorNamingTheFileAndLeavesNoTemporary) {
  // A directory in the way makes rename() fail, even for root.
  const fs::path file = directory_ / "meteo-etl.prom";
  fs::create_directories(file / "occupied");
  try {
    write_file_atomically(file, "lost 1\n");
    ADD_FAILURE() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::io);
    EXPECT_THAT(error.what(), HasSubstr(file.string()));
  }
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(directory_)) ++entries;
  EXPECT_EQ(entries, 1u) << "only the directory in the way";
}

TEST_F(TextFile, AMissingDirectoryIsAnIoErrorNamingTheFile) {
  const fs::path file = directory_ / "no-such-dir" / "meteo-etl.prom";
  try {
    write_file_atomically(file, "x 1\n");
    ADD_FAILURE() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::io);
    EXPECT_THAT(error.what(), HasSubstr(file.string()));
  }
}

}  // namespace
}  // namespace meteo::metrics
