#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "meteo/core/errors.hpp"
#include "meteo/core/file_descriptor.hpp"
#include "meteo/metrics/registry.hpp"

namespace meteo::metrics {
namespace {

namespace fs = std::filesystem;

// Removes the temporary file unless it was renamed into place.
class TemporaryFile {
 public:
  explicit TemporaryFile(std::string path) : path_(std::move(path)) {}
  ~TemporaryFile() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  const std::string& path() const { return path_; }
  void keep() { path_.clear(); }

 private:
  std::string path_;
};

[[noreturn]] void fail(const fs::path& path, const char* what) {
  const int error = errno;
  throw Error(ExitCode::io,
              "metrics file " + path.string() + ": " + what + ": " + std::strerror(error));
}

void write_all(int fd, std::string_view text, const fs::path& path) {
  while (!text.empty()) {
    const ssize_t written = ::write(fd, text.data(), text.size());
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) fail(path, "cannot write");
    text.remove_prefix(static_cast<std::size_t>(written));
  }
}

// The rename is durable only once the directory entry is on disk too.
void sync_directory(const fs::path& directory, const fs::path& path) {
  FileDescriptor fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0) fail(path, "cannot sync its directory");
}

}  // namespace

void write_file_atomically(const fs::path& path, std::string_view text) {
  const fs::path directory = path.has_parent_path() ? path.parent_path() : fs::path(".");
  // A dot name without the .prom suffix: the textfile collector never reads a half-written file.
  std::string pattern = (directory / ("." + path.filename().string() + ".XXXXXX")).string();
  FileDescriptor fd(::mkostemp(pattern.data(), O_CLOEXEC));
  if (fd.get() < 0) fail(path, "cannot create a temporary file beside it");
  TemporaryFile temporary(pattern);
  write_all(fd.get(), text, path);
  // mkstemp creates 0600; node_exporter usually runs as another user.
  if (::fchmod(fd.get(), 0644) != 0) fail(path, "cannot set mode 0644");
  if (::fsync(fd.get()) != 0) fail(path, "cannot sync");
  if (fd.close() != 0) fail(path, "cannot close");
  if (::rename(temporary.path().c_str(), path.c_str()) != 0) fail(path, "cannot rename into place");
  temporary.keep();
  sync_directory(directory, path);
}

}  // namespace meteo::metrics
