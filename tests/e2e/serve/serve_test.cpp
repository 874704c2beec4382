// `meteo-etl serve` as an operator runs it: the built binary against a scratch database, real
// HTTP clients. Static files and their headers, every way out of the site refused, /healthz and
// /metrics, the event stream of runs committed by other processes (resume, cap, a client that
// never reads), POST /ingest/<source> and its refusals, and SIGTERM ending it with exit 0.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "cli_job.hpp"  // TestDirectory
#include "config_files.hpp"
#include "db_snapshot.hpp"
#include "loopback_server.hpp"
#include "meteo/archive/raw_archive.hpp"
#include "meteo/store/ledger.hpp"
#include "paths.hpp"
#include "sensor_sim.hpp"
#include "subprocess.hpp"
#include "synop_records.hpp"
#include "test_database.hpp"
#include "test_support.hpp"

namespace meteo::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kApiKey = "serve-key-4b1d";
constexpr const char* kIngestToken = "ingest-token-93fa";
constexpr std::size_t kIngestMaxBytes = 1 << 20;

// Sends `request` as is (no client normalises the path) and returns the whole answer.
std::string raw_exchange(int port, const std::string& request) {
  const LoopbackConnection connection(port, 5s);
  return connection.send_all(request) ? connection.receive_all() : std::string();
}

int raw_get_status(int port, const std::string& target, std::string* body = nullptr) {
  const std::string answer = raw_exchange(
      port, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  if (body) *body = answer;
  if (answer.rfind("HTTP/1.1 ", 0) != 0) return -1;
  return std::stoi(answer.substr(9, 3));
}

// A GET /events stream read on a thread of its own, its text collected.
class EventStream {
 public:
  EventStream(int port, std::optional<std::string> last_event_id = std::nullopt)
      : client_("127.0.0.1", port) {
    client_.set_read_timeout(30, 0);
    httplib::Headers headers;
    if (last_event_id) headers.emplace("Last-Event-ID", *last_event_id);
    thread_ = std::thread([this, headers] {
      auto result = client_.Get(
          "/events", headers,
          [this](const httplib::Response& response) {
            const std::lock_guard lock(mutex_);
            status_ = response.status;
            changed_.notify_all();
            return true;
          },
          [this](const char* data, std::size_t size) {
            const std::lock_guard lock(mutex_);
            text_.append(data, size);
            changed_.notify_all();
            return !stopping_;
          });
      const std::lock_guard lock(mutex_);
      ended_ = true;
      if (result) status_ = result->status;
      changed_.notify_all();
    });
  }
  ~EventStream() {
    {
      const std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    client_.stop();
    thread_.join();
  }

  // Waits until the text (beyond its first `from` characters) holds `part` (true) or `timeout`
  // passes (false).
  bool wait_for(const std::string& part, std::chrono::milliseconds timeout, std::size_t from = 0) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout,
                             [&] { return text_.find(part, from) != std::string::npos; });
  }
  int wait_for_status(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, timeout, [&] { return status_ != 0 || ended_; });
    return status_;
  }
  std::string text() {
    const std::lock_guard lock(mutex_);
    return text_;
  }
  bool ended() {
    const std::lock_guard lock(mutex_);
    return ended_;
  }

 private:
  httplib::Client client_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::string text_;
  int status_ = 0;
  bool stopping_ = false, ended_ = false;
  std::thread thread_;
};

// The data lines of every `event: run` in a stream's text, parsed.
std::vector<json> run_events(const std::string& text) {
  std::vector<json> events;
  std::istringstream lines(text);
  std::string line;
  bool in_run = false;
  while (std::getline(lines, line)) {
    if (line == "event: run") in_run = true;
    if (in_run && line.rfind("data: ", 0) == 0) {
      events.push_back(json::parse(line.substr(6)));
      in_run = false;
    }
  }
  return events;
}

std::vector<std::string> event_ids(const std::string& text) {
  std::vector<std::string> ids;
  for (const auto& line : lines_of(text)) {
    if (line.rfind("id: ", 0) == 0) ids.push_back(line.substr(4));
  }
  return ids;
}

bool contains_string(const json& array, const std::string& value) {
  return std::find(array.begin(), array.end(), value) != array.end();
}

class Serve : public ::testing::Test {
 protected:
  void SetUp() override { METEO_SKIP_WITHOUT_SHARED_DATA("geo/regions.geojson"); }

  void write_config(const SensorSim& sim, int max_clients = 8) {
    write_config(sim, database_.config(), max_clients);
  }
  // The same configuration on another database (the scratch databases share one server).
  void write_config(const SensorSim& sim, const DatabaseConfig& database, int max_clients) {
    port_ = unused_loopback_port();
    std::ofstream config(config_path());
    config << database_toml(database) << "\n[archive]\nroot = \""
           << (directory_ / "archive").string() << "\"\n"
           << "\n[[region_sets]]\nname = \"fr-regions\"\nlocation = \""
           << shared_data("geo/regions.geojson") << "\"\n"
           << "\n[[sources]]\nname = \"sensors\"\ntype = \"sensor-api\"\nurl = \"" << sim.url()
           << "\"\napi_key_env = \"SENSOR_API_KEY\"\nregion_sets = [\"fr-regions\"]\n"
           << "[sources.http]\nretry_attempts = 1\n"
           << "\n[dashboard]\nout = \"" << site().string() << "\"\n"
           << "\n[serve]\nlisten = \"127.0.0.1:" << port_ << "\"\nmax_clients = " << max_clients
           << "\nheartbeat_seconds = 1\nledger_poll_ms = 200\n"
           << "ingest_token_env = \"METEO_INGEST_TOKEN\"\ningest_max_bytes = " << kIngestMaxBytes
           << "\n";
  }

  // Météo-France SYNOP beside the sensors, as docs/operations.md names it: one dataset of many
  // stations, its portal never asked (a body is all it reads here).
  void add_synop_source() {
    std::ofstream(config_path(), std::ios::app)
        << "\n[[sources]]\nname = \"synop-france\"\ntype = \"opendatasoft-stations\"\n"
        << "base_url = \"http://127.0.0.1:9\"\ndatasets = [\"donnees-synop-essentielles-omm\"]\n"
        << "station_field = \"numer_sta\"\nstart = \"2026-11-01T00\"\n"
        << "region_sets = [\"fr-regions\"]\n";
  }

  std::string config_path() const { return (directory_ / "meteo-etl.toml").string(); }
  fs::path site() const { return directory_ / "site"; }

  // Cron's bare environment with the config's two secrets: the sensor key and the ingest token.
  Environment environment() const {
    Environment env = cron_environment(config_path(), database_.config());
    env["SENSOR_API_KEY"] = kApiKey;
    env["METEO_INGEST_TOKEN"] = kIngestToken;
    return env;
  }

  ProcessResult meteo(std::vector<std::string> args) {
    args.insert(args.begin(), meteo_etl_binary());
    return run_process(args, environment());
  }
  void expect_ok(const std::vector<std::string>& args) {
    const auto result = meteo(args);
    ASSERT_EQ(result.exit_code, 0) << "meteo-etl " << args.front() << "\n" << result.err;
  }

  void prepare(const SensorSim& sim, int max_clients = 8) {
    write_config(sim, max_clients);
    expect_ok({"migrate"});
    expect_ok({"regions", "load", "--set", "fr-regions"});
  }

  // `meteo-etl serve` in the background (args after the program), ready when /healthz answers.
  void start_serve(std::vector<std::string> args = {"serve"}) {
    args.insert(args.begin(), meteo_etl_binary());
    serve_ =
        std::make_unique<KillableProcess>(args, environment(), (directory_ / "serve.log").string());
    httplib::Client client("127.0.0.1", port_);
    for (int i = 0; i < 300; ++i) {
      if (client.Get("/healthz")) return;
      std::this_thread::sleep_for(100ms);
    }
    FAIL() << "serve never answered:\n" << read_text(directory_ / "serve.log");
  }

  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(60, 0);
    return c;
  }

  // A run of the simulator's payload, its body saved as `file` (as an operator keeps a partner's
  // answer), then everything but the regions forgotten. Returns the body.
  std::string run_and_save_the_payload(const fs::path& file) {
    expect_ok({"run", "--source", "sensors"});
    Database db = database_.connect();
    const RawArchive archive(ArchiveConfig{directory_ / "archive", 0, 1});
    const std::string payload = archive.read(query_value(db, "SELECT path FROM raw_payloads"),
                                             query_value(db, "SELECT sha256 FROM raw_payloads"));
    forget_everything_but_regions(db);
    std::ofstream(file, std::ios::binary) << payload;
    return payload;
  }

  // SIGTERM, then its exit code once it has ended by itself (not reaped before: kill_hard does).
  int terminate_serve() {
    EXPECT_EQ(::kill(serve_->pid(), SIGTERM), 0);
    const std::string stat = "/proc/" + std::to_string(serve_->pid()) + "/stat";
    for (int i = 0; i < 150; ++i) {
      const std::string fields = read_text(stat);
      const auto state = fields.rfind(')');
      if (state != std::string::npos && fields.substr(state + 2, 1) == "Z") break;
      std::this_thread::sleep_for(100ms);
    }
    return serve_->kill_hard();
  }

  std::string region_hours() {
    Database db = database_.connect();
    return query_contents(db,
                          "SELECT hour, region_set, region_code, region, temperature, "
                          "numberOfPoints FROM region_hourly_temperature "
                          "ORDER BY region_set, region_code, hour");
  }

  ScratchDatabase database_;
  TestDirectory directory_;
  int port_ = 0;
  std::unique_ptr<KillableProcess> serve_;
};

TEST_F(Serve, ServesTheSiteWithItsHeadersAndNothingElse) {
  SensorSim sim({.records = 50, .seed = 3, .api_key = kApiKey});
  prepare(sim);
  std::ofstream(directory_ / "secret.txt") << "password = hunter2\n";
  start_serve();
  fs::create_symlink(directory_ / "meteo-etl.toml", site() / "data" / "leak.json");
  fs::create_symlink(directory_ / "secret.txt", site() / "secret.txt");
  std::ofstream(site() / ".hidden") << "dotfile";

  auto http = client();
  const auto page = http.Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(page->body, read_text(site() / "index.html"));
  EXPECT_NE(page->get_header_value("Content-Security-Policy").find("default-src 'self'"),
            std::string::npos);
  EXPECT_EQ(page->body.find("<script>"), std::string::npos) << "the CSP allows no inline script";
  EXPECT_EQ(page->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(page->get_header_value("Referrer-Policy"), "no-referrer");
  EXPECT_EQ(page->get_header_value("Cache-Control"), "no-cache");

  const auto meta = http.Get("/data/meta.json");
  ASSERT_TRUE(meta);
  EXPECT_EQ(meta->status, 200);
  EXPECT_EQ(meta->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(meta->get_header_value("Cache-Control"), "no-cache");
  EXPECT_EQ(json::parse(meta->body)["sources"][0]["name"], "sensors");

  const auto missing = http.Get("/data/nothing.json");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->get_header_value("X-Content-Type-Options"), "nosniff");

  for (const std::string target :
       {"/../meteo-etl.toml", "/%2e%2e/meteo-etl.toml", "/data/%2E%2E/%2e%2e/meteo-etl.toml",
        "/data/..%2f..%2fmeteo-etl.toml", "//etc/passwd", "/%2fetc/passwd", "/data/leak.json",
        "/secret.txt", "/.hidden", "/data/", "/%252e%252e/meteo-etl.toml", "/..\\meteo-etl.toml",
        "/index.html%00.json"}) {
    std::string answer;
    const int status = raw_get_status(port_, target, &answer);
    EXPECT_TRUE(status == 404 || status == 400) << target << " answered " << status;
    EXPECT_EQ(answer.find("password"), std::string::npos) << target;
    EXPECT_EQ(answer.find("root:"), std::string::npos) << target;
  }
}

TEST_F(Serve, HealthAndMetricsFollowTheLedger) {
  SensorSim sim({.records = 80, .seed = 5, .api_key = kApiKey});
  prepare(sim);
  start_serve();
  auto http = client();

  const auto before = http.Get("/healthz");
  ASSERT_TRUE(before);
  EXPECT_EQ(before->status, 503) << "the source never ran: status exits 2";
  const json unhealthy = json::parse(before->body);
  EXPECT_EQ(unhealthy["health"]["verdict"], "never_run");
  EXPECT_EQ(unhealthy["health"]["exit_code"], 2);

  expect_ok({"run", "--source", "sensors"});
  const auto after = http.Get("/healthz");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 200);
  EXPECT_EQ(after->get_header_value("Content-Type"), "application/json");
  const json healthy = json::parse(after->body);
  EXPECT_EQ(healthy["health"]["verdict"], "healthy");
  // The very document `status --json` prints, but for its moment.
  const auto status = meteo({"status", "--json"});
  EXPECT_EQ(status.exit_code, 0);
  json printed = json::parse(status.out), served = healthy;
  printed["health"].erase("generated_at");
  served["health"].erase("generated_at");
  for (json* document : {&printed, &served}) {
    for (auto& source : (*document)["health"]["sources"]) source.erase("staleness_seconds");
  }
  EXPECT_EQ(served, printed);

  const auto metrics = http.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  EXPECT_EQ(metrics->get_header_value("Content-Type").rfind("text/plain; version=0.0.4", 0), 0u);
  EXPECT_NE(metrics->body.find("# TYPE meteo_etl_health gauge"), std::string::npos);
  EXPECT_NE(metrics->body.find("meteo_etl_health{source=\"sensors\"} 0\n"), std::string::npos)
      << metrics->body;
  EXPECT_NE(metrics->body.find("meteo_etl_records{source=\"sensors\",outcome=\"fetched\"} 80\n"),
            std::string::npos)
      << metrics->body;
}

TEST_F(Serve, ARunCommittedElsewhereIsAnnouncedWithItsChangedFiles) {
  SensorSim sim({.records = 60, .seed = 9, .api_key = kApiKey});
  prepare(sim, 3);
  start_serve();
  EventStream stream(port_);
  ASSERT_TRUE(stream.wait_for(": connected", 10s)) << stream.text();
  EXPECT_TRUE(stream.wait_for(": heartbeat", 5s)) << "a heartbeat comment each second here";

  // A client that never reads its stream must hold up nobody.
  auto silent = std::make_unique<LoopbackConnection>(port_, 5s);
  ASSERT_TRUE(silent->send_all("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));

  expect_ok({"run", "--source", "sensors"});
  const auto committed = std::chrono::steady_clock::now();
  ASSERT_TRUE(stream.wait_for("event: run", 5s)) << stream.text();
  const auto delay = std::chrono::steady_clock::now() - committed;
  EXPECT_LT(delay, 2s) << "the run is announced within a poll and a regeneration";
  ASSERT_TRUE(stream.wait_for("\n\n", 1s));
  std::vector<json> events = run_events(stream.text());
  ASSERT_EQ(events.size(), 1u) << stream.text();
  const json& event = events.front();
  ASSERT_EQ(event["runs"].size(), 1u);
  EXPECT_EQ(event["runs"][0]["source"], "sensors");
  EXPECT_EQ(event["runs"][0]["kind"], "run");
  EXPECT_EQ(event["sources"], json::array({"sensors"}));
  EXPECT_EQ(event["hours"].size(), 1u);
  EXPECT_TRUE(contains_string(event["files"], "data/meta.json")) << event.dump();
  EXPECT_TRUE(contains_string(event["files"], "data/hourly-fr-regions.json")) << event.dump();
  EXPECT_FALSE(contains_string(event["files"], "index.html")) << "the page did not change";
  const std::string first_id = event_ids(stream.text()).back();
  EXPECT_EQ(first_id, std::to_string(event["runs"][0]["id"].get<std::int64_t>()));

  // Beyond max_clients (3: the stream, the silent one, this one): 503.
  {
    EventStream third(port_);
    ASSERT_TRUE(third.wait_for(": connected", 10s));
    auto http = client();
    const auto refused = http.Get("/events");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 503);
    EXPECT_EQ(refused->get_header_value("Retry-After"), "5");
  }
  // Their slots free once the server's next heartbeat finds them gone.
  silent.reset();
  std::this_thread::sleep_for(2500ms);

  // A second run; a client resuming from the first event gets the second at once, and one
  // resuming from an id never given out is told to refresh everything.
  // The second event's id is the second run's: larger, not necessarily next (a Galera node
  // steps AUTO_INCREMENT by the cluster size).
  const std::size_t before_second = stream.text().size();
  expect_ok({"run", "--source", "sensors"});
  ASSERT_TRUE(stream.wait_for("id: ", 5s, before_second)) << stream.text();
  EXPECT_GT(std::stoll(event_ids(stream.text()).back()), std::stoll(first_id));
  EventStream resumed(port_, first_id);
  ASSERT_TRUE(resumed.wait_for("event: run", 10s)) << resumed.text();
  EXPECT_EQ(event_ids(resumed.text()), std::vector<std::string>{event_ids(stream.text()).back()});
  EventStream unknown(port_, "999999");
  EXPECT_TRUE(unknown.wait_for("event: reset", 10s)) << unknown.text();
}

TEST_F(Serve, IngestOverHttpLoadsWhatIngestFileLoads) {
  SensorSim sim({.records = 300, .seed = 7, .api_key = kApiKey, .duplicates = 4});
  prepare(sim);
  const fs::path saved = directory_ / "sensors.json";
  const std::string payload = run_and_save_the_payload(saved);
  start_serve();
  EventStream stream(port_);
  ASSERT_TRUE(stream.wait_for(": connected", 10s));
  auto http = client();
  const httplib::Headers good{{"Authorization", std::string("Bearer ") + kIngestToken}};
  const httplib::Headers wrong{{"Authorization", "Bearer not-the-token"}};

  const auto unauthorised = http.Post("/ingest/sensors", wrong, payload, "application/json");
  ASSERT_TRUE(unauthorised);
  EXPECT_EQ(unauthorised->status, 401);
  const auto anonymous = http.Post("/ingest/sensors", payload, "application/json");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);

  const auto unknown = http.Post("/ingest/nobody", good, payload, "application/json");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);

  const auto malformed = http.Post("/ingest/sensors", good, "{\"not\": [", "application/json");
  ASSERT_TRUE(malformed);
  EXPECT_EQ(malformed->status, 400);
  EXPECT_TRUE(json::parse(malformed->body).contains("error")) << malformed->body;

  // Refused on its Content-Length, before the body is read: sent by hand, as a client that
  // streams a large file would, only its start written.
  const std::string too_large = raw_exchange(
      port_, "POST /ingest/sensors HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                 std::string(kIngestToken) + "\r\nContent-Type: application/json\r\n" +
                 "Content-Length: " + std::to_string(kIngestMaxBytes + 1) + "\r\n\r\n[{");
  EXPECT_EQ(too_large.rfind("HTTP/1.1 413", 0), 0u) << too_large;

  {
    Database holder = database_.connect();
    const auto lock = SourceLock::try_acquire(holder, "sensors");
    ASSERT_TRUE(lock);
    const auto busy = http.Post("/ingest/sensors", good, payload, "application/json");
    ASSERT_TRUE(busy);
    EXPECT_EQ(busy->status, 429);
    EXPECT_EQ(busy->get_header_value("Retry-After"), "60");
  }
  EXPECT_EQ(region_hours(), "") << "no refused request loaded anything";

  const auto accepted = http.Post("/ingest/sensors", good, payload, "application/json");
  ASSERT_TRUE(accepted);
  ASSERT_EQ(accepted->status, 202) << accepted->body;
  const json answer = json::parse(accepted->body);
  EXPECT_EQ(answer["source"], "sensors");
  EXPECT_GT(answer["counts"]["fetched"].get<int>(), 300);
  const std::int64_t run_id = answer["run_id"];
  {
    Database db = database_.connect();
    const std::string where = " FROM etl_runs WHERE id = " + std::to_string(run_id);
    EXPECT_EQ(query_value(db, "SELECT kind" + where), "ingest");
    EXPECT_EQ(query_value(db, "SELECT status" + where), "succeeded");
    EXPECT_EQ(query_value(db, "SELECT fetched" + where),
              std::to_string(answer["counts"]["fetched"].get<int>()));
  }
  ASSERT_TRUE(stream.wait_for("\"kind\":\"ingest\"", 5s)) << stream.text();
  const std::string over_http = region_hours();
  ASSERT_FALSE(over_http.empty());

  {
    Database db = database_.connect();
    forget_everything_but_regions(db);
  }
  expect_ok({"ingest", "--source", "sensors", "--file", saved.string()});
  EXPECT_EQ(region_hours(), over_http);
  EXPECT_EQ(read_text(directory_ / "serve.log").find(kIngestToken), std::string::npos)
      << "the token is never logged";
}

// The "same result as run": the simulator's payload loaded by `run` into database A, and
// the very bytes (fetched from the simulator as the tool does) POSTed to a `serve` on database B.
// Readings, their regions, rejects and aggregates match; ledger ids and archive paths may not.
TEST_F(Serve, IngestOverHttpGivesWhatRunGives) {
  SensorSim sim({.records = 400, .seed = 11, .api_key = kApiKey, .invalid = 6, .duplicates = 5});
  prepare(sim);
  expect_ok({"run", "--source", "sensors"});
  std::string by_run;
  {
    Database a = database_.connect();
    by_run = product_contents(a);
  }
  ASSERT_NE(by_run.find("fr-regions"), std::string::npos) << "the run loaded aggregates";

  httplib::Client feed("127.0.0.1", sim.port());
  const auto fetched = feed.Get("/sensor/temperatures", {{"X-API-Key", kApiKey}});
  ASSERT_TRUE(fetched);
  ASSERT_EQ(fetched->status, 200);
  const std::string payload = fetched->body;

  ScratchDatabase database_b;
  write_config(sim, database_b.config(), 8);
  // One server, one account: the environment's password serves database B as well.
  expect_ok({"migrate"});
  expect_ok({"regions", "load", "--set", "fr-regions"});
  start_serve();
  auto http = client();
  const httplib::Headers good{{"Authorization", std::string("Bearer ") + kIngestToken}};

  const auto first = http.Post("/ingest/sensors", good, payload, "application/json");
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 202) << first->body;
  Database b = database_b.connect();
  const std::string by_ingest = product_contents(b);
  EXPECT_EQ(by_ingest, by_run);
  EXPECT_NE(count_rows(b, "rejected_records"), 0u) << "the invalid records were rejected";

  // The same body again counts nothing twice.
  const auto second = http.Post("/ingest/sensors", good, payload, "application/json");
  ASSERT_TRUE(second);
  ASSERT_EQ(second->status, 202) << second->body;
  EXPECT_NE(json::parse(second->body)["run_id"], json::parse(first->body)["run_id"]);
  EXPECT_EQ(product_contents(b), by_ingest);
  EXPECT_EQ(count_rows(b, "etl_runs", "kind = 'ingest' AND status = 'succeeded'"), 2u);
}

// A station network's scratch file has no name to tell its format: the Content-Type does. Each of
// the portal's formats stores what `ingest --file` of the same bytes stores; another is a 415.
TEST_F(Serve, IngestOfAStationNetworkReadsTheFormatItsContentTypeNames) {
  SensorSim sim({.records = 10, .seed = 3, .api_key = kApiKey});
  write_config(sim);
  add_synop_source();
  expect_ok({"migrate"});
  expect_ok({"regions", "load", "--set", "fr-regions"});
  start_serve();
  auto http = client();
  const httplib::Headers good{{"Authorization", std::string("Bearer ") + kIngestToken}};
  Database db = database_.connect();

  struct Format {
    std::string content_type, file, body;
  };
  for (const Format& format :
       {Format{"application/json", "synop.json", synop_records::export_json()},
        Format{"application/x-ndjson", "synop.jsonl", synop_records::json_lines()},
        Format{"application/jsonl; charset=utf-8", "synop.jsonl", synop_records::json_lines()},
        Format{"text/csv", "synop.csv", synop_records::export_csv()}}) {
    forget_station_networks_and_everything_but_regions(db);
    const auto posted = http.Post("/ingest/synop-france", good, format.body, format.content_type);
    ASSERT_TRUE(posted);
    ASSERT_EQ(posted->status, 202) << format.content_type << ": " << posted->body;
    EXPECT_EQ(json::parse(posted->body)["counts"]["rejected"], 2) << format.content_type;
    const std::string over_http = station_network_contents(db);
    EXPECT_NE(over_http.find("TOULOUSE-BLAGNAC"), std::string::npos) << over_http;
    const std::string archived_url = query_value(
        db, "SELECT url FROM raw_payloads WHERE source = 'synop-france' ORDER BY id DESC LIMIT 1");
    EXPECT_EQ(fs::path(archived_url).extension(), fs::path(format.file).extension())
        << "the archived body names its format: " << archived_url;

    forget_station_networks_and_everything_but_regions(db);
    const fs::path file = directory_ / format.file;
    std::ofstream(file, std::ios::binary) << format.body;
    expect_ok({"ingest", "--source", "synop-france", "--file", file.string()});
    EXPECT_EQ(station_network_contents(db), over_http) << format.content_type;
  }

  forget_station_networks_and_everything_but_regions(db);
  for (const std::string type : {"text/plain", "application/x-www-form-urlencoded"}) {
    const auto refused =
        http.Post("/ingest/synop-france", good, synop_records::export_json(), type);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 415) << type;
    const std::string error = json::parse(refused->body)["error"];
    EXPECT_NE(error.find("\"" + type + "\""), std::string::npos) << error;
    EXPECT_NE(error.find("text/csv"), std::string::npos) << "it names what it takes: " << error;
  }
  const std::string untyped = raw_exchange(
      port_, "POST /ingest/synop-france HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                 std::string(kIngestToken) +
                 "\r\nContent-Length: 2\r\nConnection: close\r\n\r\n[]");
  EXPECT_EQ(untyped.rfind("HTTP/1.1 415", 0), 0u) << untyped;
  EXPECT_EQ(station_network_contents(db), "") << "no refused body loaded anything";
  EXPECT_EQ(count_rows(db, "etl_runs"), 0u) << "nor began a run";
}

TEST_F(Serve, TheDocumentedCommandsRunAndSigtermEndsWithExitZero) {
  SensorSim sim({.records = 40, .seed = 2, .api_key = kApiKey});
  write_config(sim);
  add_synop_source();  // docs/serve.md's SYNOP line
  expect_ok({"migrate"});
  expect_ok({"regions", "load", "--set", "fr-regions"});
  const std::vector<std::string> documented =
      documented_command("meteo-etl serve", "docs/serve.md");
  ASSERT_EQ(documented, std::vector<std::string>{"serve"});
  start_serve(documented);
  // The curl lines of docs/serve.md, through /bin/sh, only the address (and the file) replaced.
  const std::string address = "127.0.0.1:" + std::to_string(port_);
  run_and_save_the_payload(directory_ / "sensors-2026-11-22T06.json");
  std::ofstream(directory_ / "donnees-synop-essentielles-omm.csv", std::ios::binary)
      << synop_records::export_csv();
  int curl_lines = 0;
  for (std::string line : lines_of(read_text(source_path("docs/serve.md")))) {
    if (line.rfind("curl ", 0) != 0) continue;
    ++curl_lines;
    for (auto at = line.find("127.0.0.1:8080"); at != std::string::npos;
         at = line.find("127.0.0.1:8080")) {
      line.replace(at, 14, address);
    }
    Environment env{{"PATH", "/usr/bin:/bin"}, {"METEO_INGEST_TOKEN", kIngestToken}};
    const ProcessResult result =
        run_process({"/bin/sh", "-c", "cd '" + directory_.path().string() + "' && " + line}, env);
    EXPECT_EQ(result.exit_code, 0) << line << "\n" << result.out << result.err;
  }
  EXPECT_GE(curl_lines, 4)
      << "docs/serve.md shows /healthz, /metrics, an ingest and a SYNOP ingest with curl";
  Database db = database_.connect();
  EXPECT_EQ(query_value(db, "SELECT COUNT(*) FROM weather_observations"), "5")
      << "the SYNOP line's CSV was read and loaded";
  EXPECT_EQ(terminate_serve(), 0) << read_text(directory_ / "serve.log");
}

// The README's live way to run: one process watching the sources and serving the page, whose
// event stream announces each cycle's commit. Only the address is replaced.
TEST_F(Serve, TheReadmesWatchWithServeAnnouncesEachCycleAndSigtermEndsWithExitZero) {
  SensorSim sim({.records = 30, .seed = 4, .api_key = kApiKey});
  prepare(sim);
  std::string config = read_text(config_path());
  config.replace(config.find("[sources.http]"), 0, "poll_seconds = 1\n");
  std::ofstream(config_path()) << config;
  std::vector<std::string> documented = documented_command("meteo-etl watch --serve", "README.md");
  ASSERT_EQ(documented, (std::vector<std::string>{"watch", "--serve", "127.0.0.1:8080"}));
  documented.back() = "127.0.0.1:" + std::to_string(port_);
  start_serve(documented);

  // Two cycles after the stream opened: both announced, by the watch's own server.
  EventStream stream(port_);
  ASSERT_TRUE(stream.wait_for("\"sources\":[\"sensors\"]", 20s)) << stream.text();
  const std::size_t first = run_events(stream.text()).size();
  for (int i = 0; i < 100 && run_events(stream.text()).size() <= first; ++i) {
    std::this_thread::sleep_for(100ms);
  }
  const std::vector<json> events = run_events(stream.text());
  ASSERT_GT(events.size(), first) << stream.text();
  EXPECT_EQ(events.back()["runs"][0]["source"], "sensors");
  EXPECT_TRUE(fs::exists(site() / "data" / "meta.json"));
  const auto health = client().Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200) << health->body;

  EXPECT_EQ(terminate_serve(), 0) << read_text(directory_ / "serve.log");
  Database db = database_.connect();
  EXPECT_EQ(query_value(db, "SELECT COUNT(*) FROM etl_runs WHERE status = 'running'"), "0");
  EXPECT_NE(query_value(db, "SELECT COUNT(*) FROM etl_runs WHERE status = 'succeeded'"), "0");
}

TEST_F(Serve, RefusesAMalformedAddressBeforeConnecting) {
  SensorSim sim({.records = 10, .seed = 1, .api_key = kApiKey});
  write_config(sim);
  const auto result = meteo({"serve", "--listen", "8080"});
  EXPECT_EQ(result.exit_code, 64);
  EXPECT_NE(result.err.find("listen address \"8080\""), std::string::npos) << result.err;
}

}  // namespace
}  // namespace meteo::testing
