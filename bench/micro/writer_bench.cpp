// load_run against plain bulk writes of the same rows on the same server: a 1000-row multi-row
// INSERT ... ON DUPLICATE KEY UPDATE and LOAD DATA LOCAL INFILE, each into a table shaped like
// sensor_readings. load_run does more (reads and locks stored rows, writes reading_regions,
// recomputes the hour's aggregates, updates the ledger): the ratio says what that costs.
#include "writer_bench.hpp"

#include <benchmark/benchmark.h>
#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/statement.h>
#include <mysql_driver.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "bench_scale.hpp"
#include "bulk_load.hpp"
#include "meteo/store/ledger.hpp"
#include "meteo/store/region_sets.hpp"
#include "meteo/store/run_load.hpp"
#include "synthetic_readings.hpp"
#include "test_database.hpp"
#include "unavailable.hpp"

namespace meteo::bench {

namespace {

constexpr std::uint64_t kBatchSeed = 42;
constexpr std::size_t kRegionCount = 13;  // as many as metropolitan France's regions
constexpr std::size_t kInsertRowsPerStatement = 1000;
const std::string kSource = "bench-sensors";
const std::string kRegionSetName = "bench-regions";
const std::string kReadingColumns =
    "source, reading_id, hour, latitude, longitude, temperature, observed_at, country,"
    " first_run_id, last_run_id, fetched_at";
// Hours of the batches start here; each batch gets an hour of its own, so the aggregates load_run
// recomputes cover that batch only, however many batches ran before.
constexpr UtcSeconds kFirstHour{std::chrono::sys_days{std::chrono::year{2026} / 1 / 1}};

std::string square_geometry(double lon, double lat) {
  std::ostringstream json;
  json << R"({"type":"Polygon","coordinates":[[[)" << lon << ',' << lat << "],[" << lon + 1 << ','
       << lat << "],[" << lon + 1 << ',' << lat + 1 << "],[" << lon << ',' << lat + 1 << "],["
       << lon << ',' << lat << "]]]}";
  return json.str();
}

RegionSet bench_region_set() {
  RegionSet set{kRegionSetName, "bench-v1", {}};
  for (std::size_t i = 0; i < kRegionCount; ++i) {
    const std::string number = std::to_string(i + 1);
    // Appended, not "literal" + string: GCC 12 warns falsely (-Wrestrict) on that at -O3.
    set.regions.push_back(
        {"R" + number, std::string("Region R").append(number), square_geometry(-4.0 + i, 43.0)});
  }
  return set;
}

// One batch's rows: the same readings each time, under ids and an hour of that batch alone, so
// every benchmark writes new rows as an hourly run mostly does.
struct BatchRows {
  std::int64_t number = 0;
  UtcSeconds hour;
  UtcMicros fetched_at;
  std::vector<MatchedReading> readings;
};

struct LoadDataAccess {
  sql::Connection* connection = nullptr;  // null: refused
  std::string how;                        // which connection, for the report's label
  int error_code = 0;                     // when refused
  std::string refusal;
};

class WriterDatabase {
 public:
  WriterDatabase()
      : scratch_(testing::ScratchDatabase::migrated()),
        db_(scratch_.connect()),
        regions_(bench_region_set()) {
    RegionSetConfig config;
    config.name = kRegionSetName;
    config.location = "file:///bench/" + kRegionSetName + ".geojson";
    save_region_set(db_, config, regions_);
    db_.execute("CREATE TABLE bench_insert_readings LIKE sensor_readings");
    db_.execute("CREATE TABLE bench_load_data_readings LIKE sensor_readings");
    template_readings_ = synthetic_readings(bench_scale().batch_readings, kBatchSeed);
  }

  Database& db() { return db_; }
  const RegionSet& regions() const { return regions_; }

  BatchRows next_batch() {
    BatchRows batch;
    batch.number = ++batches_;
    batch.hour = kFirstHour + std::chrono::hours(batch.number);
    batch.fetched_at = batch.hour + std::chrono::minutes(5);
    std::mt19937_64 random(kBatchSeed + batch.number);
    std::uniform_int_distribution<std::size_t> region(0, kRegionCount);  // kRegionCount: outside
    const std::string prefix = "b" + std::to_string(batch.number) + "-";
    batch.readings.reserve(template_readings_.size());
    for (const auto& reading : template_readings_) {
      MatchedReading matched{reading, {}};
      matched.reading.id = prefix + reading.id;
      const std::size_t index = region(random);
      matched.region_index.push_back(index < kRegionCount ? std::optional(index) : std::nullopt);
      batch.readings.push_back(std::move(matched));
    }
    return batch;
  }

  // Where LOAD DATA LOCAL INFILE runs: the Database's own connection when its client allows
  // local files, otherwise a second one opened with OPT_LOCAL_INFILE. Decided once.
  const LoadDataAccess& load_data_access();

 private:
  std::unique_ptr<sql::Connection> connect_with_local_infile();

  testing::ScratchDatabase scratch_;
  Database db_;
  RegionSet regions_;
  std::vector<SensorReading> template_readings_;
  std::int64_t batches_ = 0;
  std::optional<LoadDataAccess> load_data_access_;
  std::unique_ptr<sql::Connection> local_infile_connection_;
};

std::string scratch_file_path() {
  return (std::filesystem::temp_directory_path() /
          ("meteo-micro-bench-" + std::to_string(::getpid()) + ".tsv"))
      .string();
}

std::string load_data_statement(const std::string& path, const std::string& table) {
  return "LOAD DATA LOCAL INFILE '" + path + "' INTO TABLE " + table +
         " CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' LINES TERMINATED BY '\\n' (" +
         kReadingColumns + ")";
}

struct Refusal {
  int error_code = 0;
  std::string message;
};

// Loads an empty file: nothing is written, but a client or server that refuses local files says
// so. Returns the refusal, if any.
std::optional<Refusal> local_infile_refusal(sql::Connection& connection) {
  const std::string path = scratch_file_path();
  std::ofstream(path, std::ios::trunc).close();
  std::optional<Refusal> refusal;
  try {
    std::unique_ptr<sql::Statement> statement(connection.createStatement());
    statement->execute(load_data_statement(path, "bench_load_data_readings"));
  } catch (const sql::SQLException& error) {
    refusal = Refusal{error.getErrorCode(), error.what()};
  }
  std::filesystem::remove(path);
  return refusal;
}

std::unique_ptr<sql::Connection> WriterDatabase::connect_with_local_infile() {
  const DatabaseConfig& config = scratch_.config();
  sql::ConnectOptionsMap options;
  if (config.socket.empty()) {
    options["hostName"] = config.host;
    options["port"] = config.port;
  } else {
    options["hostName"] = std::string("localhost");
    options["socket"] = config.socket;
  }
  options["userName"] = config.user;
  options["password"] = config.password.reveal();
  options["schema"] = config.name;
  options["OPT_CHARSET_NAME"] = std::string("utf8mb4");
  options["OPT_LOCAL_INFILE"] = 1;
  return std::unique_ptr<sql::Connection>(
      sql::mysql::get_mysql_driver_instance()->connect(options));
}

const LoadDataAccess& WriterDatabase::load_data_access() {
  if (load_data_access_) return *load_data_access_;
  LoadDataAccess access;
  const auto shared_refusal = local_infile_refusal(db_.connection());
  if (!shared_refusal) {
    access.connection = &db_.connection();
    access.how = "same connection as load_run";
  } else {
    local_infile_connection_ = connect_with_local_infile();
    const auto own_refusal = local_infile_refusal(*local_infile_connection_);
    if (!own_refusal) {
      access.connection = local_infile_connection_.get();
      access.how =
          "own connection with OPT_LOCAL_INFILE (load_run's refused: " + shared_refusal->message +
          ")";
    } else {
      access.error_code = own_refusal->error_code;
      access.refusal = own_refusal->message;
    }
  }
  load_data_access_ = access;
  return *load_data_access_;
}

// Process-wide: created by the first writer benchmark, dropped by release_writer_database.
std::unique_ptr<WriterDatabase>& writer_database_slot() {
  static std::unique_ptr<WriterDatabase> database;
  return database;
}

// The database, or nullptr after SkipWithError naming why there is none.
WriterDatabase* writer_database(benchmark::State& state) {
  static std::optional<std::string> failure;  // a missing server is not retried per benchmark
  auto& database = writer_database_slot();
  if (!database && !failure) {
    try {
      database = std::make_unique<WriterDatabase>();
    } catch (const std::exception& error) {
      failure = std::string("no benchmark database: ") + error.what();
    }
  }
  if (failure) state.SkipWithError(failure->c_str());
  return database.get();
}

// After a failed baseline write; the benchmark is already failing, so errors here are moot.
void roll_back_quietly(sql::Connection& connection) {
  try {
    connection.rollback();
    connection.setAutoCommit(true);
  } catch (const std::exception&) {
  }
}

void report_rows(benchmark::State& state) {
  state.SetItemsProcessed(
      static_cast<std::int64_t>(state.iterations() * bench_scale().batch_readings));
  state.counters["rows_per_batch"] = static_cast<double>(bench_scale().batch_readings);
}

void BM_LoadRun(benchmark::State& state) {
  WriterDatabase* database = writer_database(state);
  if (database == nullptr) return;
  for (auto _ : state) {
    try {
      state.PauseTiming();
      const BatchRows rows = database->next_batch();
      RunBatch batch;
      batch.run_id = begin_run(database->db(), kSource, rows.hour);
      batch.source = kSource;
      batch.hour = rows.hour;
      batch.fetched_at = rows.fetched_at;
      batch.region_sets = {&database->regions()};
      batch.readings = rows.readings;
      batch.counts.fetched = batch.readings.size();
      state.ResumeTiming();
      const RunCounts counts = load_run(database->db(), batch);
      if (counts.stored != batch.readings.size()) {
        state.SkipWithError("load_run did not store every reading of the batch as new");
        break;
      }
    } catch (const std::exception& error) {
      state.SkipWithError(error.what());
      break;
    }
  }
  report_rows(state);
}
BENCHMARK(BM_LoadRun)->Unit(benchmark::kMillisecond)->UseRealTime();

std::string multi_row_insert(std::size_t rows) {
  std::string statement = "INSERT INTO bench_insert_readings (" + kReadingColumns + ") VALUES ";
  for (std::size_t row = 0; row < rows; ++row) {
    statement += row == 0 ? "(?,?,?,?,?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?,?,?,?,?)";
  }
  statement +=
      " ON DUPLICATE KEY UPDATE latitude = VALUES(latitude), longitude = VALUES(longitude),"
      " temperature = VALUES(temperature), observed_at = VALUES(observed_at),"
      " country = VALUES(country), last_run_id = VALUES(last_run_id),"
      " fetched_at = VALUES(fetched_at)";
  return statement;
}

void bind_optional_text(sql::PreparedStatement& statement, int column,
                        const std::optional<std::string>& value) {
  if (value) {
    statement.setString(column, *value);
  } else {
    statement.setNull(column, sql::DataType::VARCHAR);
  }
}

// One transaction of ceil(N / 1000) prepared multi-row statements, as a hand-written bulk
// upsert would do it.
void insert_batch(sql::Connection& connection, const BatchRows& rows) {
  const std::string hour = to_sql_datetime(rows.hour);
  const std::string fetched_at = to_sql_datetime(rows.fetched_at);
  connection.setAutoCommit(false);
  std::unique_ptr<sql::PreparedStatement> full_chunk;
  for (std::size_t first = 0; first < rows.readings.size(); first += kInsertRowsPerStatement) {
    const std::size_t count = std::min(kInsertRowsPerStatement, rows.readings.size() - first);
    std::unique_ptr<sql::PreparedStatement> last_chunk;
    sql::PreparedStatement* statement = nullptr;
    if (count == kInsertRowsPerStatement) {
      if (!full_chunk) full_chunk.reset(connection.prepareStatement(multi_row_insert(count)));
      statement = full_chunk.get();
    } else {
      last_chunk.reset(connection.prepareStatement(multi_row_insert(count)));
      statement = last_chunk.get();
    }
    int column = 1;
    for (std::size_t i = first; i < first + count; ++i) {
      const SensorReading& reading = rows.readings[i].reading;
      statement->setString(column++, kSource);
      statement->setString(column++, reading.id);
      statement->setDateTime(column++, hour);
      statement->setDouble(column++, reading.latitude);
      statement->setDouble(column++, reading.longitude);
      statement->setDouble(column++, reading.temperature);
      bind_optional_text(*statement, column++, reading.timestamp);
      bind_optional_text(*statement, column++, reading.country);
      statement->setInt64(column++, rows.number);
      statement->setInt64(column++, rows.number);
      statement->setDateTime(column++, fetched_at);
    }
    statement->executeUpdate();
  }
  connection.commit();
  connection.setAutoCommit(true);
}

void BM_MultiRowInsertBaseline(benchmark::State& state) {
  WriterDatabase* database = writer_database(state);
  if (database == nullptr) return;
  sql::Connection& connection = database->db().connection();
  for (auto _ : state) {
    try {
      state.PauseTiming();
      const BatchRows rows = database->next_batch();
      state.ResumeTiming();
      insert_batch(connection, rows);
    } catch (const std::exception& error) {
      roll_back_quietly(connection);
      state.SkipWithError(error.what());
      break;
    }
  }
  report_rows(state);
}
BENCHMARK(BM_MultiRowInsertBaseline)->Unit(benchmark::kMillisecond)->UseRealTime();

// Tab-separated, \N for NULL; the generated values hold no tab, newline or backslash.
void write_load_data_file(const std::string& path, const BatchRows& rows) {
  const std::string hour = to_sql_datetime(rows.hour);
  const std::string fetched_at = to_sql_datetime(rows.fetched_at);
  const std::string run = std::to_string(rows.number);
  std::ofstream out(path, std::ios::trunc);
  char numbers[96];
  for (const auto& matched : rows.readings) {
    const SensorReading& reading = matched.reading;
    std::snprintf(numbers, sizeof numbers, "%.17g\t%.17g\t%.17g", reading.latitude,
                  reading.longitude, reading.temperature);
    out << kSource << '\t' << reading.id << '\t' << hour << '\t' << numbers << '\t'
        << reading.timestamp.value_or("\\N") << '\t' << reading.country.value_or("\\N") << '\t'
        << run << '\t' << run << '\t' << fetched_at << '\n';
  }
  if (!out.flush()) throw std::runtime_error("cannot write " + path);
}

void BM_LoadDataLocalInfileBaseline(benchmark::State& state) {
  WriterDatabase* database = writer_database(state);
  if (database == nullptr) return;
  const LoadDataAccess& access = database->load_data_access();
  if (access.connection == nullptr) {
    const std::string message = "LOAD DATA LOCAL INFILE refused: " + access.refusal;
    // Refused by configuration (MySQL 8's default): the baseline is unavailable there, which is
    // not an error of the benchmark.
    if (store::is_local_infile_refusal(access.error_code)) {
      skip_as_unavailable(state, message);
    } else {
      state.SkipWithError(message.c_str());
    }
    return;
  }
  sql::Connection* connection = access.connection;
  const std::string path = scratch_file_path();
  for (auto _ : state) {
    try {
      state.PauseTiming();
      write_load_data_file(path, database->next_batch());
      state.ResumeTiming();
      connection->setAutoCommit(false);
      std::unique_ptr<sql::Statement> statement(connection->createStatement());
      statement->execute(load_data_statement(path, "bench_load_data_readings"));
      connection->commit();
      connection->setAutoCommit(true);
    } catch (const std::exception& error) {
      roll_back_quietly(*connection);
      state.SkipWithError(error.what());
      break;
    }
  }
  std::filesystem::remove(path);
  state.SetLabel(access.how);
  report_rows(state);
}
BENCHMARK(BM_LoadDataLocalInfileBaseline)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

void release_writer_database() {
  writer_database_slot().reset();
}

}  // namespace meteo::bench
