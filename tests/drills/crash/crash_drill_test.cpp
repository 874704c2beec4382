// Drill: `run`, `backfill` and `replay` killed with SIGKILL at random moments (fetching, archiving,
// loading, committing), then run again to completion. Each time the product must equal that of a
// reference database where the same commands ran undisturbed, `verify` must pass, and the archive
// must hold only complete visible files, so that a later replay of everything changes nothing.
//
// The kill delays come from a seeded generator; every trial prints the seed and its delays.
// METEO_CRASH_SEED=<n> replays a seed (timing still varies a little from machine to machine).
// METEO_CRASH_RUN_TRIALS=<n> kills `run` n times instead of 12: the full drill is 40
// (`METEO_CRASH_RUN_TRIALS=40 ctest -L drill -R Crash`), too slow for every CI run.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <thread>

#include "config_files.hpp"
#include "db_snapshot.hpp"
#include "meteo/archive/raw_archive.hpp"
#include "paths.hpp"
#include "sensor_sim.hpp"
#include "subprocess.hpp"
#include "test_database.hpp"

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr const char* kApiKey = "crash-drill-key";
constexpr int kDefaultRunTrials = 12;
constexpr int kBackfillTrials = 9;
constexpr int kReplayTrials = 9;
constexpr int kArchivedHours = 6;    // history that backfill and replay reload
constexpr double kKillWindow = 1.2;  // kills drawn over 1.2 x an undisturbed duration

int run_trials() {
  if (const char* text = std::getenv("METEO_CRASH_RUN_TRIALS")) return std::max(1, std::stoi(text));
  return kDefaultRunTrials;
}

std::uint64_t drill_seed() {
  if (const char* text = std::getenv("METEO_CRASH_SEED")) return std::stoull(text);
  return std::random_device{}();
}

// "YYYY-MM-DDTHH", the form --hour, --from and --to take.
std::string hour_text(std::chrono::system_clock::time_point hour) {
  const std::time_t time = std::chrono::system_clock::to_time_t(hour);
  std::tm fields{};
  ::gmtime_r(&time, &fields);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H", &fields);
  return text;
}

std::string describe(const ProcessResult& result) {
  return "exit " + std::to_string(result.exit_code) + "\nstderr:\n" + result.err;
}

bool is_leftover(const fs::path& path) {
  return path.filename().string().rfind(".tmp-", 0) == 0;
}

bool is_archive_file(const fs::directory_entry& entry) {
  return entry.is_regular_file() && entry.path().filename().string().ends_with(".json.gz");
}

// One database with its config file and archive: the drilled one, or the undisturbed reference.
struct Site {
  explicit Site(std::string site_name) : name(std::move(site_name)) {}
  std::string name;
  fs::path directory;
  ScratchDatabase database;
  std::string config_path() const { return (directory / "meteo-etl.toml").string(); }
  fs::path archive_root() const { return directory / "archive"; }
  std::string log_path() const { return (directory / "killed-commands.log").string(); }
};

// What the archive holds: complete files anyone can read, and hidden crash leftovers.
struct ArchiveCensus {
  std::vector<fs::path> visible;  // relative to the root
  std::vector<fs::path> leftovers;
};

class CrashDrill : public ::testing::Test {
 protected:
  void SetUp() override {
    METEO_SKIP_WITHOUT_SHARED_DATA("geo/regions.geojson");
    const std::string test_name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    const fs::path directory =
        fs::temp_directory_path() / ("meteo-crash-" + std::to_string(::getpid()) + "-" + test_name);
    fs::remove_all(directory);
    for (Site* site : {&crashed_, &reference_}) {
      site->directory = directory / site->name;
      fs::create_directories(site->directory);
    }
    seed_ = drill_seed();
    random_.seed(seed_);
    std::cout << "[crash drill] " << test_name << " seed " << seed_
              << " (METEO_CRASH_SEED=" << seed_ << " to replay)" << std::endl;
    RecordProperty("seed", std::to_string(seed_));
    // Hours in the past, fixed once: verify refuses runs from the future.
    first_hour_ = std::chrono::floor<std::chrono::hours>(std::chrono::system_clock::now()) -
                  std::chrono::hours(run_trials() + 1);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(crashed_.directory.parent_path());
  }

  std::string hour(int offset) const { return hour_text(first_hour_ + std::chrono::hours(offset)); }

  int draw(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }

  milliseconds draw_kill_delay(milliseconds undisturbed) {
    const auto window = static_cast<long>(kKillWindow * static_cast<double>(undisturbed.count()));
    return milliseconds(std::uniform_int_distribution<long>(0, window)(random_));
  }

  void write_config(const Site& site, const SensorSim& sim) {
    std::ofstream config(site.config_path());
    config << database_toml(site.database.config()) << "\n[archive]\nroot = \""
           << site.archive_root().string() << "\"\n"
           << "\n[[region_sets]]\nname = \"fr-regions\"\nlocation = \""
           << shared_data("geo/regions.geojson") << "\"\n"
           << "\n[[sources]]\nname = \"sensors\"\ntype = \"sensor-api\"\nurl = \"" << sim.url()
           << "\"\napi_key_env = \"SENSOR_API_KEY\"\nregion_sets = [\"fr-regions\"]\n"
           << "[sources.http]\nretry_attempts = 1\ntimeout_ms = 30000\n";
  }

  Environment environment(const Site& site) const {
    Environment env = cron_environment(site.config_path(), site.database.config());
    env["SENSOR_API_KEY"] = kApiKey;
    return env;
  }

  std::vector<std::string> command(std::vector<std::string> args) const {
    args.insert(args.begin(), meteo_etl_binary());
    return args;
  }

  ProcessResult meteo(const Site& site, const std::vector<std::string>& args) {
    return run_process(command(args), environment(site), std::chrono::seconds(300));
  }

  bool succeeds(const Site& site, const std::vector<std::string>& args) {
    const auto result = meteo(site, args);
    EXPECT_EQ(result.exit_code, 0) << site.name << ": meteo-etl " << args.front() << "\n"
                                   << describe(result);
    return result.exit_code == 0;
  }

  // How long an undisturbed command takes: the span the kills are drawn from.
  milliseconds timed(const Site& site, const std::vector<std::string>& args) {
    const auto start = Clock::now();
    EXPECT_TRUE(succeeds(site, args));
    return std::chrono::duration_cast<milliseconds>(Clock::now() - start);
  }

  void prepare(const Site& site, const SensorSim& sim) {
    write_config(site, sim);
    ASSERT_TRUE(succeeds(site, {"migrate"}));
    ASSERT_TRUE(succeeds(site, {"regions", "load", "--set", "fr-regions"}));
  }

  std::string product(const Site& site) {
    Database db = site.database.connect();
    return product_contents(db);
  }

  void forget_everything_but_regions(const Site& site) {
    Database db = site.database.connect();
    meteo::testing::forget_everything_but_regions(db);
  }

  // Starts the command on the drilled site, kills it after `delay`, then runs it to completion.
  void crash_and_recover(const std::string& trial, const std::vector<std::string>& args,
                         milliseconds undisturbed, milliseconds delay) {
    std::ofstream(crashed_.log_path(), std::ios::app) << "---- " << trial << "\n";
    int ended_with = -1;
    {
      KillableProcess victim(command(args), environment(crashed_), crashed_.log_path());
      std::this_thread::sleep_for(delay);
      ended_with = victim.kill_hard();
    }
    const std::string outcome = ended_with == 128 + SIGKILL
                                    ? "killed"
                                    : "finished first, exit " + std::to_string(ended_with);
    std::ostringstream line;
    line << "undisturbed " << undisturbed.count() << " ms, kill after " << delay.count()
         << " ms: " << outcome;
    std::cout << "[crash drill] seed " << seed_ << " " << trial << ": " << line.str() << std::endl;
    RecordProperty(trial, line.str());
    if (ended_with == 128 + SIGKILL) ++kills_;
    EXPECT_TRUE(succeeds(crashed_, args)) << trial << " after the kill";
  }

  ArchiveCensus archive_census(const Site& site) {
    ArchiveCensus census;
    if (!fs::exists(site.archive_root())) return census;
    for (const auto& entry : fs::recursive_directory_iterator(site.archive_root())) {
      if (!entry.is_regular_file()) continue;
      const fs::path relative = fs::relative(entry.path(), site.archive_root());
      if (is_leftover(relative)) {
        census.leftovers.push_back(relative);
      } else if (is_archive_file(entry)) {
        census.visible.push_back(relative);
      }
    }
    return census;
  }

  // A visible name is a complete file: each decompresses to the end and passes its gzip trailer.
  void expect_visible_archive_files_complete(const std::string& trial) {
    const RawArchive archive(ArchiveConfig{crashed_.archive_root(), 0, 1});
    for (const auto& relative : archive_census(crashed_).visible) {
      EXPECT_NO_THROW(archive.read(relative)) << trial << ": " << relative << " is damaged";
    }
  }

  void expect_same_product_and_clean_books(const std::string& trial) {
    EXPECT_EQ(product(crashed_), product(reference_)) << trial << " (seed " << seed_ << ")";
    const auto verify = meteo(crashed_, {"verify"});
    EXPECT_EQ(verify.exit_code, 0) << trial << " (seed " << seed_ << ")\n"
                                   << verify.out << describe(verify);
    Database db = crashed_.database.connect();
    EXPECT_EQ(count_rows(db, "etl_runs", "status = 'running'"), 0u)
        << trial << ": the recovery left a killed run 'running'";
    expect_visible_archive_files_complete(trial);
  }

  // Plants a half-written hidden file beside the first archived payload, as a crash mid-write
  // leaves one, so the replay below always meets at least one leftover.
  void plant_leftover() {
    const auto census = archive_census(crashed_);
    ASSERT_FALSE(census.visible.empty());
    const fs::path complete = crashed_.archive_root() / census.visible.front();
    std::ifstream in(complete, std::ios::binary);
    const std::string bytes{std::istreambuf_iterator<char>(in), {}};
    std::ofstream(complete.parent_path() / (".tmp-" + complete.filename().string() + "-drill"),
                  std::ios::binary)
        << bytes.substr(0, bytes.size() / 2);
  }

  // After all the crashes, a replay of the whole history must read every visible file, skip every
  // leftover and change nothing.
  void expect_full_replay_changes_nothing(const std::string& from, const std::string& to) {
    plant_leftover();
    const auto census = archive_census(crashed_);
    std::cout << "[crash drill] archive: " << census.visible.size() << " visible file(s), "
              << census.leftovers.size() << " leftover(s) (1 planted)" << std::endl;
    const std::string before = product(crashed_);

    const auto plan = meteo(crashed_, {"replay", "--from", from, "--to", to, "--dry-run"});
    ASSERT_EQ(plan.exit_code, 0) << describe(plan);
    EXPECT_NE(plan.out.find(std::to_string(census.visible.size()) + " archived payload(s)"),
              std::string::npos)
        << plan.out;
    EXPECT_EQ(plan.out.find(".tmp-"), std::string::npos) << "replay plans a leftover:\n"
                                                         << plan.out;

    ASSERT_TRUE(succeeds(crashed_, {"replay", "--from", from, "--to", to}));
    EXPECT_EQ(product(crashed_), before) << "replaying everything changed the product";
    EXPECT_EQ(product(crashed_), product(reference_));
    const auto verify = meteo(crashed_, {"verify"});
    EXPECT_EQ(verify.exit_code, 0) << verify.out << describe(verify);
  }

  // History for backfill and replay: kArchivedHours runs on the reference, whose archive the
  // drilled site gets a copy of; then the reference forgets them, keeping its archive.
  void archive_history() {
    for (int offset = 0; offset < kArchivedHours; ++offset) {
      SensorSim sim({.records = draw(300, 2000),
                     .seed = 30u + static_cast<unsigned>(offset % 3),
                     .api_key = kApiKey,
                     .invalid = 3,
                     .duplicates = 2});
      write_config(reference_, sim);
      ASSERT_TRUE(succeeds(reference_, {"run", "--hour", hour(offset)}));
    }
    fs::copy(reference_.archive_root(), crashed_.archive_root(), fs::copy_options::recursive);
    forget_everything_but_regions(reference_);
  }

  // `backfill` or `replay` killed `trials` times; even trials start from an empty database,
  // odd ones reload over a complete one.
  void drill_reloads(const std::string& name, const std::vector<std::string>& reference_args,
                     int trials, bool vary_jobs) {
    const SensorSim idle({.records = 1, .api_key = kApiKey});  // the configs need a URL
    prepare(crashed_, idle);
    prepare(reference_, idle);
    ASSERT_NO_FATAL_FAILURE(archive_history());
    write_config(reference_, idle);
    const milliseconds undisturbed = timed(reference_, reference_args);
    ASSERT_FALSE(HasFailure());

    for (int trial = 0; trial < trials; ++trial) {
      std::vector<std::string> args = {name, "--from", hour(0), "--to", hour(kArchivedHours)};
      if (vary_jobs) args.insert(args.end(), {"--jobs", std::to_string(1 + trial % 3)});
      const bool from_empty = trial % 2 == 0;
      if (from_empty) forget_everything_but_regions(crashed_);
      const std::string label = name + "_" + std::to_string(trial) +
                                (from_empty ? "_from_empty" : "_over_complete") +
                                (vary_jobs ? "_jobs_" + args.back() : "");
      crash_and_recover(label, args, undisturbed, draw_kill_delay(undisturbed));
      expect_same_product_and_clean_books(label);
    }
    std::cout << "[crash drill] " << kills_ << " of " << trials << " " << name
              << " trials killed mid-command" << std::endl;
    expect_full_replay_changes_nothing(hour(0), hour(kArchivedHours));
  }

  Site crashed_{"crashed"};
  Site reference_{"reference"};
  std::uint64_t seed_ = 0;
  std::mt19937_64 random_;
  std::chrono::system_clock::time_point first_hour_;
  int kills_ = 0;
};

TEST_F(CrashDrill, KilledRunsLeaveWhatUndisturbedRunsLeave) {
  const SensorSim idle({.records = 1, .api_key = kApiKey});
  prepare(crashed_, idle);
  prepare(reference_, idle);
  ASSERT_FALSE(HasFailure());

  const int run_trial_count = run_trials();
  for (int trial = 0; trial < run_trial_count; ++trial) {
    // A slow feed spreads the kills over fetching as well as archiving and loading; seeds repeat
    // so that later hours correct readings of earlier ones.
    SensorSim sim({.records = draw(300, 2000),
                   .seed = 20u + static_cast<unsigned>(trial % 3),
                   .api_key = kApiKey,
                   .invalid = 3,
                   .duplicates = 2,
                   .delay_ms = draw(0, 300)});
    write_config(crashed_, sim);
    write_config(reference_, sim);
    const std::vector<std::string> args = {"run", "--hour", hour(trial)};
    const milliseconds undisturbed = timed(reference_, args);
    crash_and_recover("run_" + std::to_string(trial) + "_" + hour(trial), args, undisturbed,
                      draw_kill_delay(undisturbed));
    expect_same_product_and_clean_books("run_" + std::to_string(trial));
  }
  std::cout << "[crash drill] " << kills_ << " of " << run_trial_count << " runs killed mid-command"
            << std::endl;
  Database db = crashed_.database.connect();
  EXPECT_EQ(count_rows(db, "etl_runs", "status = 'failed' AND message LIKE 'abandoned:%'"),
            count_rows(db, "etl_runs", "status = 'failed'"))
      << "a killed run's row is only ever closed as abandoned";
  expect_full_replay_changes_nothing(hour(0), hour(run_trial_count));
}

TEST_F(CrashDrill, KilledBackfillsLeaveWhatAnUndisturbedBackfillLeaves) {
  drill_reloads("backfill", {"backfill", "--from", hour(0), "--to", hour(kArchivedHours)},
                kBackfillTrials, false);
}

TEST_F(CrashDrill, KilledParallelReplaysLeaveWhatAnUndisturbedReplayLeaves) {
  drill_reloads("replay",
                {"replay", "--from", hour(0), "--to", hour(kArchivedHours), "--jobs", "2"},
                kReplayTrials, true);
}

}  // namespace
}  // namespace meteo::testing
