// The raw archive: every payload, exactly as received, lands on disk before it is parsed, so a
// reading the partner's "now only" API served once can always be read again (replay, audit).
//
// Layout (Hive-style partitions, readable by any engine that reads directories of gzip files):
//   <root>/source=<source>/date=<YYYY-MM-DD>/hour=<HH>/<fetched_at>-run<id>-<sequence>.json.gz
// A file is written to a hidden temporary name, fsynced, renamed, and its directory fsynced: a
// visible name is always a complete file. Hidden names (".tmp-...") are leftovers of a crash.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "meteo/archive/settings.hpp"
#include "meteo/core/hashing.hpp"  // sha256_hex, for the checksums archived payloads carry
#include "meteo/core/time.hpp"

namespace meteo {

// Where a payload came from; everything but the body itself.
struct PayloadOrigin {
  std::string source;
  UtcSeconds hour;          // the run's hour: the partition
  std::int64_t run_id = 0;  // the run that fetched it
  int sequence = 0;         // order within the run (a station run fetches many pages)
  UtcMicros fetched_at;
  std::string url;  // without credentials
  long http_status = 0;
};

// A durable archive file: where it is and what it holds.
struct ArchivedPayload {
  PayloadOrigin origin;
  std::filesystem::path relative_path;  // from the archive root
  std::string sha256;                   // of the body as received, hex
  std::uint64_t size = 0;               // body bytes
  std::uint64_t stored_size = 0;        // compressed bytes on disk
};

// Streams one payload into a compressed temporary file; commit() makes it durable and visible.
// Destroyed uncommitted (an error, an exception), it removes its temporary file.
class ArchiveWriter {
 public:
  ~ArchiveWriter();
  ArchiveWriter(ArchiveWriter&&) noexcept;
  ArchiveWriter& operator=(ArchiveWriter&&) = delete;

  void append(std::string_view chunk);  // throws Error(io)
  ArchivedPayload commit();             // throws Error(io)

 private:
  friend class RawArchive;
  struct Impl;
  explicit ArchiveWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// What an archived body is: its SHA-256 (hex) and size, as read back.
struct BodyDigest {
  std::string sha256;
  std::uint64_t size = 0;
};

// An archived body read back as a stream, a chunk at a time. The read that reaches the end checks
// the gzip trailer (CRC-32 and length) and, when one was given, the recorded SHA-256, and throws
// Error(data) when the file is damaged or truncated: whoever consumed the whole body has verified
// it. Reads through body() must go to its streambuf (a parser does): std::istream's own
// functions would swallow that error.
class ArchiveReader {
 public:
  ~ArchiveReader();
  ArchiveReader(ArchiveReader&&) noexcept;
  ArchiveReader& operator=(ArchiveReader&&) = delete;

  std::istream& body();
  // Reads whatever is left, the checks included; throws Error(data) when damaged.
  BodyDigest read_to_end();

 private:
  friend class RawArchive;
  struct Impl;
  explicit ArchiveReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class RawArchive {
 public:
  explicit RawArchive(ArchiveConfig config);

  const std::filesystem::path& root() const { return config_.root; }

  // Throws Error(io) naming the path when the partition directory or the file cannot be created.
  ArchiveWriter open(const PayloadOrigin& origin) const;
  ArchivedPayload write(const PayloadOrigin& origin, std::string_view body) const;

  // The body of an archived file, decompressed and checked against its gzip trailer (and against
  // `expected_sha256` when given). Throws Error(io) when missing, Error(data) when damaged.
  std::string read(const std::filesystem::path& relative_path,
                   std::string_view expected_sha256 = {}) const;
  // The same as a stream (throws Error(io) when the file cannot be opened), and as a digest
  // computed without ever holding the body.
  ArchiveReader open_reader(const std::filesystem::path& relative_path,
                            std::string_view expected_sha256 = {}) const;
  BodyDigest digest(const std::filesystem::path& relative_path,
                    std::string_view expected_sha256 = {}) const;

  // The committed payloads of `source` whose hour lies in [from, to), oldest fetch first.
  // Temporary leftovers and foreign files are ignored. Origins carry no URL or status: those live
  // in the ledger (raw_payloads).
  std::vector<ArchivedPayload> list(const std::string& source, UtcSeconds from,
                                    UtcSeconds to) const;

  // Deletes files of hours older than the retention (none when retention_days is 0) and
  // temporary leftovers older than a day; returns the deleted paths, relative to the root.
  std::vector<std::filesystem::path> prune(UtcSeconds now) const;

 private:
  ArchiveConfig config_;
};

// The file name a payload gets, relative to the root; parse_archive_path() is its inverse and
// returns nothing for a name the archive did not write.
std::filesystem::path archive_path(const PayloadOrigin& origin);
std::optional<PayloadOrigin> parse_archive_path(const std::filesystem::path& relative_path);

}  // namespace meteo
