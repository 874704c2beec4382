// parse_sensor_payload against the parsers it is measured by: simdjson's on-demand API (which it
// is built on) reading the same records' fields, and nlohmann's SAX parser doing nothing; and the
// same parse streamed from an archive file, as run and replay do it.
#include <benchmark/benchmark.h>
#include <simdjson.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "bench_scale.hpp"
#include "meteo/archive/raw_archive.hpp"
#include "meteo/sources/sensor/payload.hpp"
#include "synthetic_readings.hpp"

namespace meteo::bench {

namespace {

constexpr std::uint64_t kPayloadSeed = 20261122;

// Built once per process (outside every timing loop) at the selected scale.
const std::string& payload() {
  static const std::string json =
      sensor_payload_json(synthetic_readings(bench_scale().payload_readings, kPayloadSeed));
  return json;
}

// Accepts every event: what remains is nlohmann's lexer and the virtual calls.
class CountingSaxHandler final : public nlohmann::json_sax<nlohmann::json> {
 public:
  std::size_t objects = 0;  // so the parse cannot be mistaken for a no-op

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool key(string_t&) override { return true; }
  bool start_object(std::size_t) override {
    ++objects;
    return true;
  }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }
};

void report_throughput(benchmark::State& state) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * payload().size()));
  state.SetItemsProcessed(
      static_cast<std::int64_t>(state.iterations() * bench_scale().payload_readings));
  state.counters["payload_bytes"] = static_cast<double>(payload().size());
}

// The rates, when `seen` (readings, records or objects) is the whole payload; else `error`.
void report_if_whole(benchmark::State& state, std::size_t seen, const char* error) {
  if (seen != bench_scale().payload_readings) {
    state.SkipWithError(error);
    return;
  }
  report_throughput(state);
}

void BM_ParseSensorPayload(benchmark::State& state) {
  const std::string& body = payload();
  std::size_t valid = 0;
  for (auto _ : state) {
    const ParsedPayload parsed = parse_sensor_payload(body, "bench payload");
    valid = parsed.readings.size();
    benchmark::DoNotOptimize(valid);
  }
  report_if_whole(state, valid, "parse_sensor_payload rejected some of the generated readings");
}
BENCHMARK(BM_ParseSensorPayload)->Unit(benchmark::kMillisecond);

// The payload as `run` and `replay` read it: streamed back from its gzip archive file, inflated
// and checksummed a chunk at a time, never whole in memory.
class ArchivedPayloadFile {
 public:
  ArchivedPayloadFile()
      : root_(std::filesystem::temp_directory_path() /
              ("meteo-parser-bench-" + std::to_string(::getpid()))),
        archive_(ArchiveConfig{root_, 0, 1}) {
    PayloadOrigin origin;
    origin.source = "bench";
    origin.hour = std::chrono::floor<std::chrono::hours>(std::chrono::system_clock::now());
    origin.fetched_at = origin.hour;
    written_ = archive_.write(origin, payload());
  }
  ~ArchivedPayloadFile() {
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
  }
  ArchiveReader open() const {
    return archive_.open_reader(written_.relative_path, written_.sha256);
  }

 private:
  std::filesystem::path root_;
  RawArchive archive_;
  ArchivedPayload written_;
};

void BM_ParseSensorPayloadFromArchive(benchmark::State& state) {
  const ArchivedPayloadFile file;
  std::size_t valid = 0;
  for (auto _ : state) {
    ArchiveReader reader = file.open();
    const ParsedPayload parsed = parse_sensor_payload(reader.body(), "bench archive file");
    valid = parsed.readings.size();
    benchmark::DoNotOptimize(valid);
  }
  report_if_whole(state, valid, "the archived payload did not parse back whole");
}
BENCHMARK(BM_ParseSensorPayloadFromArchive)->Unit(benchmark::kMillisecond);

void BM_NlohmannSaxBaseline(benchmark::State& state) {
  const std::string& body = payload();
  std::size_t objects = 0;
  for (auto _ : state) {
    CountingSaxHandler handler;
    if (!nlohmann::json::sax_parse(body, &handler)) {
      state.SkipWithError("nlohmann::json::sax_parse failed on the generated payload");
      return;
    }
    objects = handler.objects;
    benchmark::DoNotOptimize(objects);
  }
  report_if_whole(state, objects, "the SAX baseline saw the wrong number of records");
}
BENCHMARK(BM_NlohmannSaxBaseline)->Unit(benchmark::kMillisecond);

// simdjson's on-demand API reading every field of every record (strings as views, numbers as
// doubles), with no validation and no copy: the rate the goal of issue #22 compares with. The
// padded copy simdjson needs is made once, outside the timing.
void BM_SimdjsonOnDemandBaseline(benchmark::State& state) {
  namespace ondemand = simdjson::ondemand;
  const simdjson::padded_string body(payload());
  ondemand::parser parser;
  std::size_t records = 0;
  for (auto _ : state) {
    records = 0;
    double sum = 0;
    std::size_t text_bytes = 0;
    ondemand::document document;
    ondemand::array array;
    if (parser.iterate(body).get(document) || document.get_array().get(array)) {
      state.SkipWithError("simdjson could not open the generated payload");
      return;
    }
    for (auto element : array) {
      ondemand::object object;
      if (element.get_object().get(object)) break;
      for (auto result : object) {
        ondemand::field field;
        if (std::move(result).get(field)) break;
        ondemand::value& value = field.value();
        std::string_view text;
        double number = 0;
        if (!value.get_double().get(number)) {
          sum += number;
        } else if (!value.get_string().get(text)) {
          text_bytes += text.size();
        }
      }
      ++records;
    }
    benchmark::DoNotOptimize(sum);
    benchmark::DoNotOptimize(text_bytes);
  }
  report_if_whole(state, records, "simdjson saw the wrong number of records");
}
BENCHMARK(BM_SimdjsonOnDemandBaseline)->Unit(benchmark::kMillisecond);

}  // namespace

}  // namespace meteo::bench
