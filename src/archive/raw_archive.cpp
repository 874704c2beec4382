// Durable archive files: gzip through zlib, POSIX calls for fsync.
#include "meteo/archive/raw_archive.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>
#include <streambuf>
#include <tuple>

#include "meteo/core/errors.hpp"
#include "meteo/core/file_descriptor.hpp"
#include "meteo/core/file_modes.hpp"
#include "meteo/core/hashing.hpp"

namespace meteo {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kChunk = 256 * 1024;

Error io_error(const std::string& what, const fs::path& path, int error_number) {
  return Error(ExitCode::io, "raw archive: cannot " + what + " " + path.string() + ": " +
                                 std::strerror(error_number));
}

// Close-on-exec: a notification command the run spawns must not inherit the archive's files.
FileDescriptor open_file(const fs::path& path, int flags, mode_t mode = 0) {
  return FileDescriptor(::open(path.c_str(), flags | O_CLOEXEC, mode));
}

void write_all(int fd, const unsigned char* data, std::size_t size, const fs::path& path) {
  while (size > 0) {
    const ssize_t written = ::write(fd, data, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      throw io_error("write", path, errno);
    }
    data += written;
    size -= static_cast<std::size_t>(written);
  }
}

// A directory entry (a rename, a new file) is durable only once its directory is synced.
void sync_directory(const fs::path& directory) {
  const FileDescriptor fd = open_file(directory, O_RDONLY | O_DIRECTORY);
  if (!fd.valid() || ::fsync(fd.get()) != 0) throw io_error("sync the directory", directory, errno);
}

// Private whatever the umask: a file planted in the archive would be loaded by `replay`.
void create_directories_durably(const fs::path& directory) {
  std::vector<fs::path> created;
  try {
    created = create_directories_with_mode(directory, kPrivateDirectoryMode);
  } catch (const fs::filesystem_error& error) {
    throw io_error("create the directory", error.path1(), error.code().value());
  }
  for (const auto& made : created) sync_directory(made.parent_path());
}

// Another user could have planted or changed a file that is not ours or that others can write:
// loading it would put their data in the product.
void refuse_unless_private(int fd, const fs::path& path) {
  struct stat status {};
  if (::fstat(fd, &status) != 0) throw io_error("inspect", path, errno);
  if (status.st_uid != ::geteuid()) {
    throw Error(ExitCode::io, "raw archive: refusing to read " + path.string() +
                                  ": it belongs to uid " + std::to_string(status.st_uid) +
                                  ", not to this user (uid " + std::to_string(::geteuid()) + ")");
  }
  if ((status.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(status.st_mode & 07777));
    throw Error(ExitCode::io, "raw archive: refusing to read " + path.string() +
                                  ": it is writable by its group or others (mode " + mode +
                                  "); check its contents, then `chmod go-w` it");
  }
}

std::string random_suffix() {
  std::random_device device;
  return std::to_string(device()) + std::to_string(::getpid());
}

}  // namespace

// ---- writing ----------------------------------------------------------------------------------

struct ArchiveWriter::Impl {
  fs::path root, relative, final_path, temporary_path;
  FileDescriptor file;
  z_stream zlib{};
  bool zlib_ready = false;
  bool committed = false;
  Sha256 hash;
  ArchivedPayload result;
  std::vector<unsigned char> buffer = std::vector<unsigned char>(kChunk);

  Impl(fs::path root_path, const PayloadOrigin& origin, int level)
      : root(std::move(root_path)),
        relative(archive_path(origin)),
        final_path(root / relative),
        temporary_path(final_path.parent_path() /
                       (".tmp-" + final_path.filename().string() + "-" + random_suffix())),
        file(open_file((create_directories_durably(final_path.parent_path()), temporary_path),
                       O_WRONLY | O_CREAT | O_EXCL, 0640)) {
    if (!file.valid()) throw io_error("create", temporary_path, errno);
    // open(2) applied the umask: the mode is exactly 0640 whatever it is.
    if (::fchmod(file.get(), static_cast<mode_t>(kPrivateFileMode)) != 0) {
      throw io_error("set the mode of", temporary_path, errno);
    }
    // windowBits 15 + 16: a gzip stream, so `zcat` reads the archive without this tool.
    if (deflateInit2(&zlib, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      throw Error(ExitCode::software, "zlib cannot initialise a gzip stream");
    }
    zlib_ready = true;
    result.origin = origin;
    result.relative_path = relative;
  }

  ~Impl() {
    if (zlib_ready) deflateEnd(&zlib);
    if (!committed) ::unlink(temporary_path.c_str());
  }

  void deflate_into_file(const unsigned char* data, std::size_t size, int flush) {
    zlib.next_in = const_cast<unsigned char*>(data);
    zlib.avail_in = static_cast<uInt>(size);
    do {
      zlib.next_out = buffer.data();
      zlib.avail_out = static_cast<uInt>(buffer.size());
      const int status = deflate(&zlib, flush);
      if (status == Z_STREAM_ERROR) throw Error(ExitCode::software, "zlib deflate failed");
      const std::size_t produced = buffer.size() - zlib.avail_out;
      write_all(file.get(), buffer.data(), produced, temporary_path);
      result.stored_size += produced;
    } while (zlib.avail_out == 0);
  }
};

ArchiveWriter::ArchiveWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ArchiveWriter::ArchiveWriter(ArchiveWriter&&) noexcept = default;
ArchiveWriter::~ArchiveWriter() = default;

void ArchiveWriter::append(std::string_view chunk) {
  impl_->hash.update(chunk);
  impl_->result.size += chunk.size();
  // zlib counts input in uInt: feed very large chunks in slices.
  const auto* data = reinterpret_cast<const unsigned char*>(chunk.data());
  for (std::size_t offset = 0; offset < chunk.size(); offset += kChunk * 64) {
    const std::size_t size = std::min(kChunk * 64, chunk.size() - offset);
    impl_->deflate_into_file(data + offset, size, Z_NO_FLUSH);
  }
}

ArchivedPayload ArchiveWriter::commit() {
  Impl& impl = *impl_;
  impl.deflate_into_file(nullptr, 0, Z_FINISH);
  if (::fsync(impl.file.get()) != 0) throw io_error("sync", impl.temporary_path, errno);
  if (impl.file.close() != 0) throw io_error("close", impl.temporary_path, errno);
  if (::rename(impl.temporary_path.c_str(), impl.final_path.c_str()) != 0) {
    throw io_error("rename into place", impl.final_path, errno);
  }
  impl.committed = true;
  sync_directory(impl.final_path.parent_path());
  impl.result.sha256 = impl.hash.hex();
  return impl.result;
}

// ---- the archive ------------------------------------------------------------------------------

RawArchive::RawArchive(ArchiveConfig config) : config_(std::move(config)) {}

ArchiveWriter RawArchive::open(const PayloadOrigin& origin) const {
  return ArchiveWriter(
      std::make_unique<ArchiveWriter::Impl>(config_.root, origin, config_.compression_level));
}

ArchivedPayload RawArchive::write(const PayloadOrigin& origin, std::string_view body) const {
  ArchiveWriter writer = open(origin);
  writer.append(body);
  return writer.commit();
}

// ---- reading ----------------------------------------------------------------------------------

// Inflates a gzip file on demand; checks the trailer and the expected checksum at the stream's end.
class GzipFileBuffer final : public std::streambuf {
 public:
  GzipFileBuffer(fs::path path, std::string expected_sha256)
      : path_(std::move(path)),
        expected_sha256_(std::move(expected_sha256)),
        file_(open_file(path_, O_RDONLY)) {
    if (!file_.valid()) throw io_error("open", path_, errno);
    refuse_unless_private(file_.get(), path_);
    if (inflateInit2(&zlib_, 15 + 16) != Z_OK) {
      throw Error(ExitCode::software, "zlib cannot initialise a gzip reader");
    }
    zlib_ready_ = true;
  }
  ~GzipFileBuffer() override {
    if (zlib_ready_) inflateEnd(&zlib_);
  }
  GzipFileBuffer(const GzipFileBuffer&) = delete;
  GzipFileBuffer& operator=(const GzipFileBuffer&) = delete;

  // Once the end was read.
  BodyDigest digest() const { return {sha256_, size_}; }

 protected:
  int_type underflow() override {
    while (gptr() == egptr() && !finished_) inflate_some();
    return gptr() == egptr() ? traits_type::eof() : traits_type::to_int_type(*gptr());
  }

 private:
  void inflate_some() {
    if (zlib_.avail_in == 0 && !read_input()) {
      // Z_STREAM_END comes only after the trailer's CRC-32 and length checked out.
      throw Error(ExitCode::data, "raw archive: " + path_.string() + " is truncated");
    }
    zlib_.next_out = reinterpret_cast<unsigned char*>(output_.data());
    zlib_.avail_out = static_cast<uInt>(output_.size());
    const int status = inflate(&zlib_, Z_NO_FLUSH);
    if (status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR) {
      throw Error(ExitCode::data, "raw archive: " + path_.string() + " is damaged (" +
                                      (zlib_.msg ? zlib_.msg : "gzip error") + ")");
    }
    const std::size_t produced = output_.size() - zlib_.avail_out;
    hash_.update(std::string_view(output_.data(), produced));
    size_ += produced;
    setg(output_.data(), output_.data(), output_.data() + produced);
    if (status == Z_STREAM_END) finish();
  }

  // False at the end of the file.
  bool read_input() {
    for (;;) {
      const ssize_t got = ::read(file_.get(), input_.data(), input_.size());
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) throw io_error("read", path_, errno);
      zlib_.next_in = input_.data();
      zlib_.avail_in = static_cast<uInt>(got);
      return got > 0;
    }
  }

  void finish() {
    finished_ = true;
    sha256_ = hash_.hex();  // finalises the digest: once only
    if (!expected_sha256_.empty() && sha256_ != expected_sha256_) {
      throw Error(ExitCode::data, "raw archive: " + path_.string() +
                                      " does not match the checksum recorded in raw_payloads");
    }
  }

  fs::path path_;
  std::string expected_sha256_;
  FileDescriptor file_;
  z_stream zlib_{};
  bool zlib_ready_ = false;
  bool finished_ = false;
  Sha256 hash_;
  std::string sha256_;
  std::uint64_t size_ = 0;
  std::vector<unsigned char> input_ = std::vector<unsigned char>(kChunk);
  std::vector<char> output_ = std::vector<char>(kChunk);
};

struct ArchiveReader::Impl {
  GzipFileBuffer buffer;
  std::istream stream{&buffer};

  Impl(fs::path path, std::string expected_sha256)
      : buffer(std::move(path), std::move(expected_sha256)) {}
};

ArchiveReader::ArchiveReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ArchiveReader::ArchiveReader(ArchiveReader&&) noexcept = default;
ArchiveReader::~ArchiveReader() = default;

std::istream& ArchiveReader::body() {
  return impl_->stream;
}

BodyDigest ArchiveReader::read_to_end() {
  std::vector<char> sink(kChunk);
  // The streambuf itself, not the istream, so a damaged file throws rather than sets badbit.
  while (impl_->buffer.sgetn(sink.data(), static_cast<std::streamsize>(sink.size())) > 0) {
  }
  return impl_->buffer.digest();
}

ArchiveReader RawArchive::open_reader(const fs::path& relative_path,
                                      std::string_view expected_sha256) const {
  return ArchiveReader(std::make_unique<ArchiveReader::Impl>(config_.root / relative_path,
                                                             std::string(expected_sha256)));
}

BodyDigest RawArchive::digest(const fs::path& relative_path,
                              std::string_view expected_sha256) const {
  return open_reader(relative_path, expected_sha256).read_to_end();
}

std::string RawArchive::read(const fs::path& relative_path,
                             std::string_view expected_sha256) const {
  ArchiveReader reader = open_reader(relative_path, expected_sha256);
  std::streambuf& buffer = *reader.body().rdbuf();
  std::string body;
  std::vector<char> chunk(kChunk);
  for (std::streamsize got;
       (got = buffer.sgetn(chunk.data(), static_cast<std::streamsize>(chunk.size()))) > 0;) {
    body.append(chunk.data(), static_cast<std::size_t>(got));
  }
  return body;
}

std::vector<ArchivedPayload> RawArchive::list(const std::string& source, UtcSeconds from,
                                              UtcSeconds to) const {
  std::vector<ArchivedPayload> found;
  const fs::path source_dir = config_.root / ("source=" + source);
  std::error_code error;
  if (!fs::is_directory(source_dir, error)) return found;
  for (auto it = fs::recursive_directory_iterator(source_dir, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (!it->is_regular_file()) continue;
    const fs::path relative = fs::relative(it->path(), config_.root);
    auto origin = parse_archive_path(relative);
    if (!origin || origin->source != source || origin->hour < from || !(origin->hour < to)) {
      continue;
    }
    ArchivedPayload payload;
    payload.origin = std::move(*origin);
    payload.relative_path = relative;
    payload.stored_size = it->file_size();
    found.push_back(std::move(payload));
  }
  if (error) throw io_error("list", source_dir, error.value());
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return std::tie(a.origin.fetched_at, a.origin.run_id, a.origin.sequence) <
           std::tie(b.origin.fetched_at, b.origin.run_id, b.origin.sequence);
  });
  return found;
}

std::vector<fs::path> RawArchive::prune(UtcSeconds now) const {
  std::vector<fs::path> deleted;
  std::error_code error;
  if (!fs::is_directory(config_.root, error)) return deleted;
  const auto keep_from = now - std::chrono::days(config_.retention_days);
  const auto leftovers_before = fs::file_time_type::clock::now() - std::chrono::hours(24);
  for (auto it = fs::recursive_directory_iterator(config_.root, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (!it->is_regular_file()) continue;
    const fs::path relative = fs::relative(it->path(), config_.root);
    const bool leftover = relative.filename().string().rfind(".tmp-", 0) == 0;
    bool expired = false;
    if (leftover) {
      expired = it->last_write_time() < leftovers_before;
    } else if (config_.retention_days > 0) {
      const auto origin = parse_archive_path(relative);
      expired = origin && origin->hour < std::chrono::floor<std::chrono::days>(keep_from);
    }
    if (expired && fs::remove(it->path(), error)) deleted.push_back(relative);
  }
  if (error) throw io_error("prune", config_.root, error.value());
  return deleted;
}

}  // namespace meteo
