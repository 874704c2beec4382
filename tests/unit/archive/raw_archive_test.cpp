#include "meteo/archive/raw_archive.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <random>

#include "meteo/core/errors.hpp"

namespace meteo {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono;

class ScratchDirectory {
 public:
  ScratchDirectory() {
    std::random_device device;
    path_ = fs::temp_directory_path() / ("meteo-archive-test-" + std::to_string(device()));
    fs::create_directories(path_);
  }
  ~ScratchDirectory() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

PayloadOrigin origin_at(UtcSeconds hour, int minute, std::int64_t run_id = 7,
                        std::string source = "sensors") {
  PayloadOrigin origin;
  origin.source = std::move(source);
  origin.hour = hour;
  origin.run_id = run_id;
  origin.sequence = 0;
  origin.fetched_at = hour + minutes(minute) + microseconds(123456);
  origin.url = "http://127.0.0.1:1/readings";
  origin.http_status = 200;
  return origin;
}

const UtcSeconds kHour = sys_days{2026y / November / 22} + hours{6};

std::vector<fs::path> files_under(const fs::path& root) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) files.push_back(fs::relative(entry.path(), root));
  }
  return files;
}

ExitCode code_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& error) {
    return error.code();
  }
  return ExitCode::ok;
}

TEST(ArchivePath, PartitionsBySourceDateAndHourAndParsesBack) {
  const PayloadOrigin origin = origin_at(kHour, 15, 42);
  const fs::path path = archive_path(origin);
  EXPECT_EQ(path.generic_string(),
            "source=sensors/date=2026-11-22/hour=06/20261122T061500.123456Z-run42-0.json.gz");
  const auto parsed = parse_archive_path(path);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->source, "sensors");
  EXPECT_EQ(parsed->hour, kHour);
  EXPECT_EQ(parsed->fetched_at, origin.fetched_at);
  EXPECT_EQ(parsed->run_id, 42);
  EXPECT_EQ(parsed->sequence, 0);
}

TEST(ArchivePath, RejectsNamesTheArchiveDidNotWrite) {
  for (const char* name :
       {"source=sensors/date=2026-11-22/hour=06/.tmp-x.json.gz-123",
        "source=sensors/date=2026-11-22/hour=06/notes.txt",
        "source=sensors/date=2026-13-22/hour=06/20261122T061500.123456Z-run42-0.json.gz",
        "source=sensors/date=2026-11-22/hour=24/20261122T061500.123456Z-run42-0.json.gz",
        "sensors/2026-11-22/06/20261122T061500.123456Z-run42-0.json.gz"}) {
    EXPECT_FALSE(parse_archive_path(name).has_value()) << name;
  }
}

TEST(Sha256, MatchesTheStandardTestVector) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(RawArchive, WritesADurableGzipFileAndReadsTheSameBytesBack) {
  ScratchDirectory dir;
  const RawArchive archive(ArchiveConfig{dir.path(), 0, 6});
  const std::string body = R"([{"id":"a","lat":43.6,"lon":1.44,"temperature":12.5}])";
  const ArchivedPayload written = archive.write(origin_at(kHour, 5), body);
  EXPECT_EQ(written.size, body.size());
  EXPECT_EQ(written.sha256, sha256_hex(body));
  EXPECT_GT(written.stored_size, 0u);
  EXPECT_EQ(files_under(dir.path()), std::vector<fs::path>{written.relative_path});
  EXPECT_EQ(fs::file_size(dir.path() / written.relative_path), written.stored_size);
  EXPECT_EQ(archive.read(written.relative_path, written.sha256), body);
}

TEST(RawArchive, AnUncommittedWriterLeavesNoFileBehind) {
  ScratchDirectory dir;
  const RawArchive archive(ArchiveConfig{dir.path(), 0, 1});
  {
    ArchiveWriter writer = archive.open(origin_at(kHour, 5));
    writer.append("[{\"id\":");
  }
  EXPECT_TRUE(files_under(dir.path()).empty());
}

TEST(RawArchive, StreamsLargeBodiesInChunks) {
  ScratchDirectory dir;
  const RawArchive archive(ArchiveConfig{dir.path(), 0, 1});
  std::string body;
  std::mt19937_64 random(5);
  while (body.size() < (3u << 20)) body += std::to_string(random()) + ",";
  ArchiveWriter writer = archive.open(origin_at(kHour, 5));
  for (std::size_t offset = 0; offset < body.size(); offset += 100000) {
    writer.append(std::string_view(body).substr(offset, 100000));
  }
  const ArchivedPayload written = writer.commit();
  EXPECT_EQ(written.sha256, sha256_hex(body));
  EXPECT_EQ(archive.read(written.relative_path), body);
}

TEST(RawArchive, AReaderStreamsTheBodyAndVerifiesItAtTheEnd) {
  ScratchDirectory dir;
  const RawArchive archive(ArchiveConfig{dir.path(), 0, 1});
  std::string body;
  std::mt19937_64 random(9);
  while (body.size() < (2u << 20)) body += std::to_string(random()) + ",";
  const ArchivedPayload written = archive.write(origin_at(kHour, 5), body);

  ArchiveReader reader = archive.open_reader(written.relative_path, written.sha256);
  std::streambuf& buffer = *reader.body().rdbuf();
  std::string read_back;
  for (int c; (c = buffer.sbumpc()) != std::char_traits<char>::eof();) {
    read_back += static_cast<char>(c);
  }
  EXPECT_EQ(read_back, body);
  const BodyDigest digest = reader.read_to_end();
  EXPECT_EQ(digest.sha256, written.sha256);
  EXPECT_EQ(digest.size, body.size());

  const BodyDigest unchecked = archive.digest(written.relative_path);
  EXPECT_EQ(unchecked.sha256, written.sha256);
  EXPECT_EQ(unchecked.size, body.size());

  // A wrong checksum is found by the read that reaches the end, not before.
  ArchiveReader mismatched = archive.open_reader(written.relative_path, sha256_hex("other"));
  EXPECT_EQ(mismatched.body().rdbuf()->sgetc(), body.front());
  EXPECT_EQ(code_of([&] { mismatched.read_to_end(); }), ExitCode::data);
}

TEST(RawArchive, ADamagedOrTruncatedFileIsADataErrorAndAMissingOneAnIoError) {
  ScratchDirectory dir;
  const RawArchive archive(ArchiveConfig{dir.path(), 0, 6});
  std::string body(20000, 'x');
  for (std::size_t i = 0; i < body.size(); i += 7) body[i] = static_cast<char>('a' + i % 26);
  const ArchivedPayload written = archive.write(origin_at(kHour, 5), body);
  const fs::path file = dir.path() / written.relative_path;

  EXPECT_EQ(code_of([&] { archive.read(written.relative_path, sha256_hex("other")); }),
            ExitCode::data);

  fs::resize_file(file, written.stored_size / 2);
  EXPECT_EQ(code_of([&] { archive.read(written.relative_path); }), ExitCode::data);

  const ArchivedPayload second = archive.write(origin_at(kHour, 6), body);
  {
    std::fstream patch(dir.path() / second.relative_path,
                       std::ios::in | std::ios::out | std::ios::binary);
    const auto crc_byte = static_cast<std::streamoff>(second.stored_size) - 6;  // in the CRC-32
    patch.seekg(crc_byte);
    const char original = static_cast<char>(patch.get());
    patch.seekp(crc_byte);
    patch.put(static_cast<char>(original ^ 0x5a));
  }
  EXPECT_EQ(code_of([&] { archive.read(second.relative_path); }), ExitCode::data);

  EXPECT_EQ(code_of([&] { archive.read("source=sensors/date=2026-11-22/hour=06/none.json.gz"); }),
            ExitCode::io);
}

TEST(RawArchive, AnUnwritableRootIsExitCode74) {
  ScratchDirectory dir;
  std::ofstream(dir.path() / "a-file") << "not a directory";
  const RawArchive archive(ArchiveConfig{dir.path() / "a-file" / "archive", 0, 1});
  try {
    archive.write(origin_at(kHour, 5), "[]");
    FAIL() << "wrote under a regular file";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::io);
    EXPECT_NE(std::string(error.what()).find("a-file"), std::string::npos) << error.what();
  }
}

TEST(RawArchive, ListsOneSourceAndWindowInFetchOrderIgnoringLeftovers) {
  ScratchDirectory dir;
  const RawArchive archive(ArchiveConfig{dir.path(), 0, 1});
  const auto late = archive.write(origin_at(kHour + hours(1), 50, 9), "[3]");
  const auto early = archive.write(origin_at(kHour, 10, 8), "[1]");
  const auto middle = archive.write(origin_at(kHour, 40, 8), "[2]");
  archive.write(origin_at(kHour, 20, 8, "other"), "[0]");
  archive.write(origin_at(kHour + hours(2), 0, 10), "[4]");  // outside [kHour, kHour+2h)
  std::ofstream(dir.path() / early.relative_path.parent_path() / ".tmp-crashed-1") << "[";
  std::ofstream(dir.path() / early.relative_path.parent_path() / "README") << "hello";

  const auto listed = archive.list("sensors", kHour, kHour + hours(2));
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_EQ(listed[0].relative_path, early.relative_path);
  EXPECT_EQ(listed[1].relative_path, middle.relative_path);
  EXPECT_EQ(listed[2].relative_path, late.relative_path);
  EXPECT_EQ(listed[2].origin.run_id, 9);
  EXPECT_TRUE(archive.list("nobody", kHour, kHour + hours(2)).empty());
}

TEST(RawArchive, PruneDeletesHoursPastRetentionAndOldLeftoversOnly) {
  ScratchDirectory dir;
  const UtcSeconds now = kHour;
  const RawArchive keep_all(ArchiveConfig{dir.path(), 0, 1});
  const auto old = keep_all.write(origin_at(now - days(40), 0), "[old]");
  const auto recent = keep_all.write(origin_at(now - days(2), 0), "[recent]");
  const fs::path stale_leftover = dir.path() / recent.relative_path.parent_path() / ".tmp-a";
  const fs::path fresh_leftover = dir.path() / recent.relative_path.parent_path() / ".tmp-b";
  std::ofstream(stale_leftover) << "[";
  std::ofstream(fresh_leftover) << "[";
  fs::last_write_time(stale_leftover, fs::file_time_type::clock::now() - hours(48));

  EXPECT_EQ(keep_all.prune(now), std::vector<fs::path>{fs::relative(stale_leftover, dir.path())});
  EXPECT_TRUE(fs::exists(dir.path() / old.relative_path));

  const RawArchive thirty_days(ArchiveConfig{dir.path(), 30, 1});
  EXPECT_EQ(thirty_days.prune(now), std::vector<fs::path>{old.relative_path});
  EXPECT_TRUE(fs::exists(dir.path() / recent.relative_path));
  EXPECT_TRUE(fs::exists(fresh_leftover));
}

}  // namespace
}  // namespace meteo
