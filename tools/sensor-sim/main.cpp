// meteo-sensor-sim: the IoT partner's sensor feed as a real HTTP server on loopback, for tests,
// the demo and benchmarks. Payloads are deterministic: the same seed gives the same bytes.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <numbers>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <variant>
#include <vector>

#include "../common/loopback_server.hpp"

namespace {

namespace fs = std::filesystem;
using ordered_json = nlohmann::ordered_json;

struct Options {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string port_file;
  int records = 200;
  std::uint64_t seed = 1;
  std::string api_key;
  int invalid = 0;
  int duplicates = 0;
  int fail_first = 0;
  int fail_status = 503;
  int retry_after = -1;
  int delay_ms = 0;
  bool truncate = false;
  // Faults of the body itself; at most one, --truncate included (see body_faults()).
  bool identity = false;        // never compressed, Content-Length known
  bool chunked = false;         // never compressed, chunked: no Content-Length
  bool trickle = false;         // one byte every 100 ms, for as long as the client waits
  bool reset_mid_body = false;  // half the body, then a TCP reset
  bool html_error = false;      // 200 with an HTML maintenance page
  bool gzip = false;            // gzip-encoded whatever the client asked for
  bool gzip_corrupt = false;    // gzip-encoded, with bytes damaged in the middle
  std::uint64_t gzip_bomb = 0;  // a gzip stream inflating to this many bytes, streamed
  std::string payload_file;
  std::string static_dir;
};

// ---- Deterministic randomness -----------------------------------------------------------------

// mt19937_64's output sequence is fixed by the standard, unlike std::*_distribution, so the
// mapping to numbers is done here to keep payloads byte-identical across standard libraries.
class Dice {
 public:
  explicit Dice(std::uint64_t seed) : engine_(seed) {}
  std::uint64_t bits() { return engine_(); }
  double unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }  // [0, 1)
  double between(double low, double high) { return low + (high - low) * unit(); }
  std::size_t below(std::size_t bound) { return static_cast<std::size_t>(unit() * bound); }
  bool chance(double probability) { return unit() < probability; }

 private:
  std::mt19937_64 engine_;
};

double rounded(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

// ---- Geography --------------------------------------------------------------------------------

struct Point {
  double lon;
  double lat;
};

// Metropolitan France and Corsica, a few dozen vertices: enough to put ~75% of points "inside".
constexpr std::array<Point, 25> kMainland{{
    {2.55, 51.08},  {4.20, 49.95},  {5.80, 49.50},  {8.20, 49.00},  {7.60, 47.60},
    {6.00, 46.20},  {7.00, 45.90},  {6.60, 45.10},  {7.00, 44.20},  {7.50, 43.80},
    {6.20, 43.10},  {4.50, 43.40},  {3.10, 42.45},  {1.80, 42.50},  {-0.50, 42.80},
    {-1.80, 43.40}, {-1.30, 44.70}, {-1.20, 46.20}, {-2.50, 47.30}, {-4.70, 48.00},
    {-4.60, 48.60}, {-1.90, 48.70}, {-1.90, 49.70}, {0.20, 49.40},  {1.60, 50.20},
}};
constexpr std::array<Point, 5> kCorsica{{
    {9.40, 43.00},
    {9.56, 42.10},
    {9.20, 41.37},
    {8.60, 41.90},
    {8.70, 42.60},
}};

template <std::size_t N>
bool inside(const std::array<Point, N>& polygon, Point p) {
  bool in = false;  // even-odd rule
  for (std::size_t i = 0, j = N - 1; i < N; j = i++) {
    const Point a = polygon[i];
    const Point b = polygon[j];
    if ((a.lat > p.lat) != (b.lat > p.lat) &&
        p.lon < (b.lon - a.lon) * (p.lat - a.lat) / (b.lat - a.lat) + a.lon) {
      in = !in;
    }
  }
  return in;
}

bool in_france(Point p) {
  return inside(kMainland, p) || inside(kCorsica, p);
}

bool in_box(Point p, double lon_min, double lon_max, double lat_min, double lat_max) {
  return p.lon >= lon_min && p.lon <= lon_max && p.lat >= lat_min && p.lat <= lat_max;
}

constexpr std::array<const char*, 9> kCountries{"France",      "Spain",   "Italy",
                                                "Switzerland", "Germany", "Belgium",
                                                "Luxembourg",  "Andorra", "Monaco"};

// What a careless partner would label a point with: right most of the time, crude at borders.
const char* rough_country(Point p) {
  if (in_france(p)) return "France";
  if (in_box(p, 1.40, 1.79, 42.40, 42.66)) return "Andorra";
  if (in_box(p, 7.40, 7.44, 43.72, 43.76)) return "Monaco";
  if (in_box(p, 5.70, 6.50, 49.40, 50.20)) return "Luxembourg";
  if (p.lat < 43.4 && p.lon < 3.3) return "Spain";
  if (p.lon > 6.6 && p.lat < 45.9) return "Italy";
  if (p.lat >= 45.8 && p.lat <= 47.8 && p.lon >= 5.95) return "Switzerland";
  if (p.lat > 49.4 && p.lon > 2.5 && p.lon < 6.4) return "Belgium";
  if (p.lon > 6.0) return "Germany";
  return "France";  // the sea off the French coast
}

Point random_point(Dice& dice) {
  const bool want_france = dice.chance(0.75);
  for (;;) {
    const Point p = want_france ? Point{dice.between(-4.8, 9.6), dice.between(41.3, 51.1)}
                                : Point{dice.between(-6.0, 10.0), dice.between(41.0, 51.5)};
    if (in_france(p) == want_france) return p;
  }
}

// ---- Readings ---------------------------------------------------------------------------------

// Every payload describes the same hour, so a seed always gives the same bytes.
constexpr std::int64_t kBaseTime = 1795327200;  // 2026-11-22T06:00:00Z

using Uuid = std::array<std::uint8_t, 16>;

// Compact (no heap) so a million readings stay small; formatted only when rendered.
struct Reading {
  Uuid id;
  std::int64_t time;  // seconds since the epoch
  double lat;
  double lon;
  double temperature;
  const char* country;  // one of kCountries
};

Uuid uuid_v4(Dice& dice) {
  Uuid bytes{};
  for (std::size_t i = 0; i < bytes.size(); i += 8) {
    const std::uint64_t bits = dice.bits();
    for (std::size_t k = 0; k < 8; ++k) bytes[i + k] = static_cast<std::uint8_t>(bits >> (8 * k));
  }
  bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0F) | 0x40);  // version 4
  bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
  return bytes;
}

std::string uuid_text(const Uuid& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  text.reserve(36);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
    text += kHex[bytes[i] >> 4];
    text += kHex[bytes[i] & 0x0F];
  }
  return text;
}

std::string iso8601(std::int64_t seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// Seasonal mean at 46°N for the day of the year, colder northwards, plus weather noise.
double plausible_temperature(Dice& dice, double lat, int day_of_year) {
  const double season = 12.5 - 8.5 * std::cos(2 * std::numbers::pi * (day_of_year - 15) / 365.0);
  const double weather = dice.between(-4, 4) + dice.between(-3, 3);
  return rounded(std::clamp(season - 0.7 * (lat - 46.0) + weather, -5.0, 35.0), 2);
}

int day_of_year(std::int64_t seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm utc{};
  gmtime_r(&t, &utc);
  return utc.tm_yday + 1;
}

// One of the other labels: what a mislabelled sensor reports.
const char* wrong_label(Dice& dice, const char* right) {
  std::size_t index = dice.below(kCountries.size() - 1);
  // The right one never comes out (compared as text: literals need not share an address).
  if (std::string_view(kCountries[index]) == right) index = kCountries.size() - 1;
  return kCountries[index];
}

Reading random_reading(Dice& dice) {
  Reading reading;
  reading.id = uuid_v4(dice);
  const Point p = random_point(dice);
  reading.lat = rounded(p.lat, 6);
  reading.lon = rounded(p.lon, 6);
  reading.time = kBaseTime + static_cast<std::int64_t>(dice.below(3600));
  reading.temperature = plausible_temperature(dice, p.lat, day_of_year(reading.time));
  reading.country = rough_country(p);
  if (dice.chance(0.03)) reading.country = wrong_label(dice, reading.country);
  return reading;
}

ordered_json to_json(const Reading& r) {
  return ordered_json{
      {"id", uuid_text(r.id)}, {"timestamp", iso8601(r.time)}, {"lat", r.lat},
      {"lon", r.lon},          {"temperature", r.temperature}, {"country", r.country}};
}

// Five kinds of broken records, in turn.
ordered_json invalid_record(Dice& dice, int kind_index) {
  ordered_json record = to_json(random_reading(dice));
  switch (kind_index % 5) {
    case 0: {
      char text[16];
      std::snprintf(text, sizeof text, "%.2f", record["temperature"].get<double>());
      record["temperature"] = text;  // a number sent as a string
      break;
    }
    case 1:
      record.erase("lat");
      break;
    case 2:
      record["lon"] = dice.chance(0.5) ? 190.5 : -200.25;
      break;
    case 3:
      record["id"] = "";
      break;
    default:  // not an object at all
      return (kind_index / 5) % 2 == 0 ? ordered_json::array({record["lat"], record["lon"]})
                                       : ordered_json("sensor offline");
  }
  return record;
}

using Element = std::variant<Reading, ordered_json>;  // a reading, or a deliberately broken one

// The same sensor reporting twice: an earlier reading's id with another temperature.
Reading repeated(Dice& dice, const Reading& original) {
  Reading again = original;
  const double shift = dice.between(0.5, 3.0) * (dice.chance(0.5) ? 1 : -1);
  again.temperature = rounded(std::clamp(original.temperature + shift, -5.0, 35.0), 2);
  if (again.temperature == original.temperature) {  // clamped: go the other way
    again.temperature = rounded(original.temperature - shift, 2);
  }
  return again;
}

std::vector<Element> generate_elements(const Options& options) {
  Dice dice(options.seed);
  std::vector<Reading> originals;
  originals.reserve(options.records);
  for (int i = 0; i < options.records; ++i) originals.push_back(random_reading(dice));

  // Each repeat goes before original number `slot` (or at the end), always after its source.
  std::vector<std::pair<std::size_t, Reading>> repeats;
  for (int i = 0; i < options.duplicates && !originals.empty(); ++i) {
    const std::size_t source = dice.below(originals.size());
    const std::size_t slot = source + 1 + dice.below(originals.size() - source);
    repeats.emplace_back(slot, repeated(dice, originals[source]));
  }
  std::stable_sort(repeats.begin(), repeats.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });

  std::vector<Element> elements;
  elements.reserve(originals.size() + repeats.size() + options.invalid);
  auto next_repeat = repeats.begin();
  for (std::size_t slot = 0; slot <= originals.size(); ++slot) {
    for (; next_repeat != repeats.end() && next_repeat->first == slot; ++next_repeat) {
      elements.emplace_back(std::move(next_repeat->second));
    }
    if (slot < originals.size()) elements.emplace_back(std::move(originals[slot]));
  }
  for (int i = 0; i < options.invalid; ++i) {
    const std::size_t at = dice.below(elements.size() + 1);
    elements.insert(elements.begin() + static_cast<std::ptrdiff_t>(at), invalid_record(dice, i));
  }
  return elements;
}

void append_number(std::string& text, double value) {
  char digits[32];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;  // shortest form
  text.append(digits, end);
  // "4.0" rather than "4", as most JSON writers print a float.
  if (std::find_if(digits, end, [](char c) { return c == '.' || c == 'e'; }) == end) text += ".0";
}

// Written by hand rather than through ordered_json: a million readings render in a second, not
// twenty. Every string here is generated ASCII without quotes or backslashes.
void append_reading(std::string& text, const Reading& r) {
  text += R"({"id":")";
  text += uuid_text(r.id);
  text += R"(","timestamp":")";
  text += iso8601(r.time);
  text += R"(","lat":)";
  append_number(text, r.lat);
  text += R"(,"lon":)";
  append_number(text, r.lon);
  text += R"(,"temperature":)";
  append_number(text, r.temperature);
  text += R"(,"country":")";
  text += r.country;
  text += "\"}";
}

std::string render(const std::vector<Element>& elements) {
  std::string text = "[";
  text.reserve(elements.size() * 160);
  for (std::size_t i = 0; i < elements.size(); ++i) {
    if (i > 0) text += ",\n";
    if (const auto* reading = std::get_if<Reading>(&elements[i])) {
      append_reading(text, *reading);
    } else {
      text += std::get<ordered_json>(elements[i]).dump();
    }
  }
  text += "]\n";
  return text;
}

// ---- Files ------------------------------------------------------------------------------------

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  return content;
}

// The file under `root` that `relative` names, or nothing when it escapes root or is missing.
std::optional<fs::path> static_file(const fs::path& root, const std::string& relative) {
  std::error_code error;
  const fs::path candidate = fs::weakly_canonical(root / fs::path(relative).relative_path(), error);
  if (error) return std::nullopt;
  // Symlinks and ".." are resolved above, so a prefix check on whole components is enough.
  const auto [root_end, candidate_end] =
      std::mismatch(root.begin(), root.end(), candidate.begin(), candidate.end());
  if (root_end != root.end() || !fs::is_regular_file(candidate, error)) return std::nullopt;
  return candidate;
}

std::string content_type_of(const fs::path& path) {
  const std::string extension = path.extension().string();
  if (extension == ".json") return "application/json";
  if (extension == ".geojson") return "application/geo+json";
  if (extension == ".csv") return "text/csv";
  if (extension == ".txt") return "text/plain";
  return "application/octet-stream";
}

// ---- Compression ------------------------------------------------------------------------------

// One zlib deflate stream writing the gzip format (RFC 1952).
class GzipWriter {
 public:
  GzipWriter() {
    // 15 + 16: the largest window, with a gzip header and trailer instead of zlib's.
    if (deflateInit2(&stream_, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) !=
        Z_OK) {
      throw std::runtime_error("zlib: deflateInit2 failed");
    }
  }
  ~GzipWriter() { deflateEnd(&stream_); }
  GzipWriter(const GzipWriter&) = delete;
  GzipWriter& operator=(const GzipWriter&) = delete;

  // Compresses `input`, the last piece when `finish`; returns what zlib has ready.
  std::string write(std::string_view input, bool finish) {
    std::string output;
    stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
    stream_.avail_in = static_cast<uInt>(input.size());
    char buffer[16384];
    int status = Z_OK;
    do {
      stream_.next_out = reinterpret_cast<Bytef*>(buffer);
      stream_.avail_out = sizeof buffer;
      status = deflate(&stream_, finish ? Z_FINISH : Z_NO_FLUSH);
      if (status == Z_STREAM_ERROR) throw std::runtime_error("zlib: deflate failed");
      output.append(buffer, sizeof buffer - stream_.avail_out);
    } while (stream_.avail_out == 0 || (finish && status != Z_STREAM_END));
    return output;
  }

 private:
  z_stream stream_{};
};

std::string gzipped(std::string_view bytes) {
  return GzipWriter().write(bytes, true);
}

// Damaged in the middle, header intact: the client sees a gzip stream that fails to inflate.
std::string corrupted(std::string gzip) {
  const std::size_t middle = gzip.size() / 2;
  for (std::size_t i = middle; i < std::min(gzip.size() - 8, middle + 32); ++i) gzip[i] ^= 0x5A;
  return gzip;
}

// ---- Connection faults -------------------------------------------------------------------------

// Aborts the connection from 127.0.0.1:`peer_port` with a TCP reset, as a crashing proxy would.
// httplib does not hand its socket to handlers, so it is found among ours by the peer's port;
// connect(AF_UNSPEC) sends the reset now and leaves the descriptor for httplib to close.
bool reset_connection(int peer_port) {
  for (const auto& entry : fs::directory_iterator("/proc/self/fd")) {
    const int fd = std::atoi(entry.path().filename().c_str());
    sockaddr_in peer{};
    socklen_t size = sizeof peer;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &size) != 0 ||
        peer.sin_family != AF_INET || ntohs(peer.sin_port) != peer_port) {
      continue;
    }
    const linger abortive{1, 0};  // and should httplib close it first: a reset all the same
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abortive, sizeof abortive);
    sockaddr unspecified{};
    unspecified.sa_family = AF_UNSPEC;
    return ::connect(fd, &unspecified, sizeof unspecified) == 0;
  }
  return false;
}

// ---- HTTP -------------------------------------------------------------------------------------

// httplib compresses a chunked body of type exactly "application/json" when the client accepts
// gzip or br; with a charset parameter it leaves the bytes (and Content-Encoding) to us.
constexpr const char* kJsonUncompressed = "application/json; charset=utf-8";

constexpr std::string_view kMaintenancePage =
    "<!DOCTYPE html>\n<html><head><title>Maintenance</title></head>\n<body><h1>Service en "
    "maintenance</h1><p>The sensor API is down for scheduled maintenance. Please try again "
    "later.</p></body></html>\n";

// Serves `bytes` with a Content-Length; httplib never compresses such a provider.
void answer_with_length(httplib::Response& res, std::shared_ptr<const std::string> bytes,
                        const char* content_type, const std::string& content_encoding = "") {
  if (!content_encoding.empty()) res.set_header("Content-Encoding", content_encoding);
  const std::size_t size = bytes->size();
  res.set_content_provider(
      size, content_type, [bytes](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        return sink.write(bytes->data() + offset, std::min<std::size_t>(length, 65536));
      });
}

void answer_json(httplib::Response& res, int status, const ordered_json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

class Simulator {
 public:
  Simulator(Options options, std::string payload)
      : options_(std::move(options)),
        payload_(std::move(payload)),
        payload_bytes_(std::make_shared<const std::string>(payload_)) {
    if (!options_.static_dir.empty()) static_root_ = fs::canonical(options_.static_dir);
    if (options_.gzip || options_.gzip_corrupt) {
      const std::string gzip = gzipped(payload_);
      gzip_bytes_ = std::make_shared<const std::string>(options_.gzip ? gzip : corrupted(gzip));
    }
    routes();
  }

  httplib::Server& server() { return server_; }

 private:
  void routes() {
    server_.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("ok", "text/plain");
    });
    server_.Get("/stats", [this](const httplib::Request&, httplib::Response& res) {
      answer_json(res, 200, ordered_json{{"sensor_calls", sensor_calls_answered_.load()}});
    });
    server_.Get("/sensor/temperatures",
                [this](const httplib::Request& req, httplib::Response& res) { feed(req, res); });
    if (static_root_) {
      server_.Get(R"(/static/(.+))", [this](const httplib::Request& req, httplib::Response& res) {
        serve_static(req.matches[1].str(), res);
      });
    }
    server_.set_logger([](const httplib::Request& req, const httplib::Response& res) {
      // Never the headers: the API key travels in one.
      std::fprintf(stderr, "sensor-sim: %s %s -> %d (%zu bytes)\n", req.method.c_str(),
                   req.path.c_str(), res.status, res.body.size());
    });
  }

  void feed(const httplib::Request& req, httplib::Response& res) {
    const int call = ++sensor_calls_started_;
    if (options_.delay_ms > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(options_.delay_ms));
    }
    answer_feed(call, req, res);
    ++sensor_calls_answered_;  // what /stats reports: a call still sleeping is not counted
  }

  void answer_feed(int call, const httplib::Request& req, httplib::Response& res) {
    // An outage answers before authentication, as an overloaded gateway would.
    if (call <= options_.fail_first) {
      if (options_.retry_after >= 0) {
        res.set_header("Retry-After", std::to_string(options_.retry_after));
      }
      answer_json(res, options_.fail_status,
                  {{"error", "simulated failure"}, {"status", options_.fail_status}});
      return;
    }
    if (req.get_header_value("X-API-Key") != options_.api_key) {
      answer_json(res, 401, {{"error", "invalid api key"}});
      return;
    }
    if (answer_fault(req, res)) return;
    // Truncated mid-payload: a well-formed HTTP response carrying broken JSON.
    const std::size_t length = options_.truncate ? payload_.size() / 2 : payload_.size();
    res.set_content(payload_.data(), length, "application/json");
  }

  // The body faults; false when none is configured.
  bool answer_fault(const httplib::Request& req, httplib::Response& res) {
    const Options& o = options_;
    if (o.identity) {
      answer_with_length(res, payload_bytes_, "application/json");
    } else if (o.gzip || o.gzip_corrupt) {
      answer_with_length(res, gzip_bytes_, "application/json", "gzip");
    } else if (o.html_error) {
      res.set_content(std::string(kMaintenancePage), "text/html; charset=utf-8");
    } else if (o.chunked) {
      answer_chunked(res);
    } else if (o.trickle) {
      answer_trickle(res);
    } else if (o.reset_mid_body) {
      answer_reset(req, res);
    } else if (o.gzip_bomb > 0) {
      answer_gzip_bomb(res);
    } else {
      return false;
    }
    return true;
  }

  void answer_chunked(httplib::Response& res) {
    res.set_chunked_content_provider(
        kJsonUncompressed, [bytes = payload_bytes_](std::size_t offset, httplib::DataSink& sink) {
          const std::size_t piece = std::min<std::size_t>(bytes->size() - offset, 16384);
          if (!sink.write(bytes->data() + offset, piece)) return false;
          if (offset + piece == bytes->size()) sink.done();
          return true;
        });
  }

  // The real payload, one byte every 100 ms: a connection that is alive but never done.
  void answer_trickle(httplib::Response& res) {
    res.set_content_provider(
        payload_bytes_->size(), "application/json",
        [bytes = payload_bytes_](std::size_t offset, std::size_t, httplib::DataSink& sink) {
          if (!sink.write(bytes->data() + offset, 1)) return false;
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
          return true;
        });
  }

  // Half the announced body, then a reset instead of the rest.
  void answer_reset(const httplib::Request& req, httplib::Response& res) {
    res.set_content_provider(payload_bytes_->size(), "application/json",
                             [bytes = payload_bytes_, peer_port = req.remote_port](
                                 std::size_t, std::size_t, httplib::DataSink& sink) {
                               sink.write(bytes->data(), bytes->size() / 2);
                               // Give the half a moment to reach the client before the reset
                               // overtakes it.
                               std::this_thread::sleep_for(std::chrono::milliseconds(50));
                               reset_connection(peer_port);
                               return false;  // httplib drops the connection
                             });
  }

  // "[", gzip_bomb - 2 spaces, "]": valid JSON that compresses about 1000 to 1, deflated as the
  // client reads so the simulator's memory stays small whatever the size.
  void answer_gzip_bomb(httplib::Response& res) {
    struct Bomb {
      GzipWriter gzip;
      std::uint64_t total = 0;
      std::uint64_t written = 0;  // uncompressed bytes handed to zlib
      std::string spaces = std::string(1 << 20, ' ');
    };
    auto bomb = std::make_shared<Bomb>();
    bomb->total = std::max<std::uint64_t>(options_.gzip_bomb, 2);
    res.set_header("Content-Encoding", "gzip");
    res.set_chunked_content_provider(
        kJsonUncompressed, [bomb](std::size_t, httplib::DataSink& sink) {
          std::string compressed;
          if (bomb->written == 0) {
            compressed = bomb->gzip.write("[", false);
            bomb->written = 1;
          }
          const std::uint64_t spaces_left = bomb->total - 1 - bomb->written;  // "]" is last
          const auto piece =
              static_cast<std::size_t>(std::min<std::uint64_t>(spaces_left, bomb->spaces.size()));
          compressed += bomb->gzip.write(std::string_view(bomb->spaces).substr(0, piece), false);
          bomb->written += piece;
          const bool last = bomb->written == bomb->total - 1;
          if (last) compressed += bomb->gzip.write("]", true);
          if (!compressed.empty() && !sink.write(compressed.data(), compressed.size())) {
            return false;
          }
          if (last) sink.done();
          return true;
        });
  }

  void serve_static(const std::string& relative, httplib::Response& res) {
    const auto path = static_file(*static_root_, relative);
    const auto content = path ? read_file(*path) : std::nullopt;
    if (!content) {
      answer_json(res, 404, {{"error", "not found"}});
      return;
    }
    res.set_content(*content, content_type_of(*path));
  }

  Options options_;
  std::string payload_;
  std::shared_ptr<const std::string> payload_bytes_;  // shared with content providers
  std::shared_ptr<const std::string> gzip_bytes_;     // --gzip or --gzip-corrupt
  std::optional<fs::path> static_root_;
  std::atomic<int> sensor_calls_started_{0};  // numbers the calls, for --fail-first
  std::atomic<int> sensor_calls_answered_{0};
  httplib::Server server_;
};

// ---- Process ----------------------------------------------------------------------------------

void parse_command_line(CLI::App& app, Options& o) {
  app.add_option("--host", o.host, "Address to listen on")->capture_default_str();
  app.add_option("--port", o.port, "Port, 0 for an ephemeral one")->check(CLI::Range(0, 65535));
  app.add_option("--port-file", o.port_file, "Write the bound port here once listening");
  app.add_option("--records", o.records, "Valid readings per payload")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--seed", o.seed, "Same seed, same payload")->capture_default_str();
  app.add_option("--api-key", o.api_key, "Expected X-API-Key header")->required();
  app.add_option("--invalid", o.invalid, "Invalid records mixed in")->check(CLI::NonNegativeNumber);
  app.add_option("--duplicates", o.duplicates, "Earlier ids repeated later")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--fail-first", o.fail_first, "Fail the first N sensor calls")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--fail-status", o.fail_status, "Status of those failures")
      ->check(CLI::Range(400, 599))
      ->capture_default_str();
  app.add_option("--retry-after", o.retry_after, "Retry-After seconds sent with failures")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--delay-ms", o.delay_ms, "Sleep before answering sensor calls")
      ->check(CLI::NonNegativeNumber);
  app.add_flag("--truncate", o.truncate, "Cut the JSON payload in the middle");
  app.add_flag("--identity", o.identity, "Never compress the feed (Content-Length known)");
  app.add_flag("--chunked", o.chunked, "Send the feed chunked, uncompressed");
  app.add_flag("--trickle", o.trickle, "Send the feed one byte every 100 ms");
  app.add_flag("--reset-mid-body", o.reset_mid_body, "Send half the feed, then a TCP reset");
  app.add_flag("--html-error", o.html_error, "Answer 200 with an HTML maintenance page");
  app.add_flag("--gzip", o.gzip, "Send the feed gzip-encoded, asked or not");
  app.add_flag("--gzip-corrupt", o.gzip_corrupt, "Send a gzip feed damaged in the middle");
  app.add_option("--gzip-bomb", o.gzip_bomb, "Send gzip inflating to this many bytes (chunked)")
      ->check(CLI::PositiveNumber);
  app.add_option("--payload", o.payload_file, "Serve this file verbatim")->check(CLI::ExistingFile);
  app.add_option("--static", o.static_dir, "Serve this directory under /static/")
      ->check(CLI::ExistingDirectory);
}

int body_faults(const Options& o) {
  return o.truncate + o.identity + o.chunked + o.trickle + o.reset_mid_body + o.html_error +
         o.gzip + o.gzip_corrupt + (o.gzip_bomb > 0);
}

int serve(Simulator& simulator, const Options& options) {
  // Blocked only now: until then (generating the payload) a signal simply ends the process.
  loopback::block_stop_signals();
  return loopback::serve(simulator.server(), {options.host, options.port, options.port_file},
                         "sensor-sim");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"meteo-sensor-sim: a deterministic stand-in for the partner's sensor API"};
  Options options;
  parse_command_line(app, options);
  CLI11_PARSE(app, argc, argv);
  if (body_faults(options) > 1) {
    std::fprintf(stderr, "sensor-sim: give at most one body fault option\n");
    return 64;
  }

  signal(SIGPIPE, SIG_IGN);  // a client hanging up must not kill the server

  std::string payload;
  if (!options.payload_file.empty()) {
    auto content = read_file(options.payload_file);
    if (!content) {
      std::fprintf(stderr, "sensor-sim: cannot read %s\n", options.payload_file.c_str());
      return 66;
    }
    payload = std::move(*content);
  } else {
    payload = render(generate_elements(options));
  }
  Simulator simulator(options, std::move(payload));
  return serve(simulator, options);
}
