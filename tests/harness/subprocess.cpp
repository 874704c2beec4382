// Child processes through posix_spawn, with pipes drained by poll() so a chatty child can never
// block on a full pipe while we wait on the other one.
#include "subprocess.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>
#include <utility>

namespace meteo::testing {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kTerminationGrace = std::chrono::seconds(5);

std::runtime_error system_error(const std::string& what, int error) {
  return std::runtime_error(what + ": " + std::strerror(error));
}

// A file descriptor closed on destruction.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    reset(std::exchange(other.fd_, -1));
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

struct Pipe {
  Fd read;
  Fd write;
};

Pipe make_pipe() {
  int fds[2];
  // Close-on-exec, so no other child (spawned concurrently) inherits our ends.
  if (::pipe2(fds, O_CLOEXEC) != 0) throw system_error("pipe2", errno);
  return Pipe{Fd(fds[0]), Fd(fds[1])};
}

// argv and envp as the NULL-terminated arrays exec wants; the strings stay owned here.
class CStrings {
 public:
  explicit CStrings(std::vector<std::string> strings) : strings_(std::move(strings)) {
    for (auto& s : strings_) pointers_.push_back(s.data());
    pointers_.push_back(nullptr);
  }
  char* const* get() { return pointers_.data(); }

 private:
  std::vector<std::string> strings_;
  std::vector<char*> pointers_;
};

std::vector<std::string> environment_lines(const Environment& environment) {
  std::vector<std::string> lines;
  for (const auto& [name, value] : environment) lines.push_back(name + "=" + value);
  return lines;
}

class FileActions {
 public:
  FileActions() { posix_spawn_file_actions_init(&actions_); }
  ~FileActions() { posix_spawn_file_actions_destroy(&actions_); }
  FileActions(const FileActions&) = delete;
  FileActions& operator=(const FileActions&) = delete;
  void open_null_stdin() {
    posix_spawn_file_actions_addopen(&actions_, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  }
  void append_to(int fd, const std::string& path) {
    posix_spawn_file_actions_addopen(&actions_, fd, path.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                     0644);
  }
  void redirect(int from, int to) { posix_spawn_file_actions_adddup2(&actions_, from, to); }
  const posix_spawn_file_actions_t* get() const { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

// argv[0] is looked up in our own PATH when it has no slash: the child's environment may have none.
pid_t spawn(const std::vector<std::string>& argv, const Environment& environment,
            const FileActions& actions) {
  if (argv.empty()) throw std::invalid_argument("spawn: empty argv");
  CStrings args(argv);
  CStrings env(environment_lines(environment));
  pid_t pid = -1;
  const int error =
      ::posix_spawnp(&pid, argv[0].c_str(), actions.get(), nullptr, args.get(), env.get());
  if (error != 0) throw system_error("cannot start " + argv[0], error);
  return pid;
}

int exit_code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return exit_code_of(status);
}

// Reads both pipes until the child closes them or the deadline passes; false on timeout.
bool drain(Fd& out_fd, Fd& err_fd, std::string& out, std::string& err, Clock::time_point deadline) {
  std::array<char, 65536> buffer;
  while (out_fd || err_fd) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    std::array<pollfd, 2> fds{
        {{out_fd.get(), POLLIN, 0}, {err_fd.get(), POLLIN, 0}}};  // -1: ignored
    const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR) throw system_error("poll", errno);
    for (std::size_t i = 0; i < fds.size() && ready > 0; ++i) {
      if (fds[i].revents == 0) continue;
      Fd& fd = i == 0 ? out_fd : err_fd;
      std::string& sink = i == 0 ? out : err;
      const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
      if (n > 0) {
        sink.append(buffer.data(), static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fd.reset();  // end of file (or a broken pipe): nothing more will come
      }
    }
  }
  return true;
}

std::string joined(const std::vector<std::string>& argv) {
  std::string text;
  for (const auto& arg : argv) text += (text.empty() ? "" : " ") + arg;
  return text;
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const Environment& environment,
                          std::chrono::seconds timeout) {
  Pipe out = make_pipe();
  Pipe err = make_pipe();
  FileActions actions;
  actions.open_null_stdin();
  actions.redirect(out.write.get(), STDOUT_FILENO);
  actions.redirect(err.write.get(), STDERR_FILENO);
  const pid_t pid = spawn(argv, environment, actions);
  out.write.reset();  // only the child writes now: EOF arrives when it exits
  err.write.reset();

  ProcessResult result;
  const bool finished = drain(out.read, err.read, result.out, result.err, Clock::now() + timeout);
  if (!finished) {
    ::kill(pid, SIGKILL);
    ADD_FAILURE() << "killed after " << timeout.count() << " s: " << joined(argv)
                  << "\nstderr so far:\n"
                  << result.err;
  }
  result.exit_code = wait_for(pid);
  return result;
}

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv,
                                     const Environment& environment) {
  FileActions actions;
  actions.open_null_stdin();  // stdout and stderr are the test's: its log shows the child's
  pid_ = spawn(argv, environment, actions);
}

BackgroundProcess::~BackgroundProcess() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  const auto deadline = Clock::now() + kTerminationGrace;
  int status = 0;
  while (Clock::now() < deadline) {
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_ || (done < 0 && errno != EINTR)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid_, SIGKILL);
  wait_for(pid_);
}

KillableProcess::KillableProcess(const std::vector<std::string>& argv,
                                 const Environment& environment, const std::string& log_path) {
  FileActions actions;
  actions.open_null_stdin();
  actions.append_to(STDOUT_FILENO, log_path);
  actions.redirect(STDOUT_FILENO, STDERR_FILENO);
  pid_ = spawn(argv, environment, actions);
}

KillableProcess::~KillableProcess() {
  if (pid_ > 0) kill_hard();
}

void KillableProcess::send(int signal) const {
  if (pid_ > 0) ::kill(pid_, signal);
}

int KillableProcess::wait_exit(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return -1;
  const auto deadline = Clock::now() + timeout;
  int status = 0;
  while (true) {
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      pid_ = -1;
      return exit_code_of(status);
    }
    if (done < 0 && errno != EINTR) return -1;
    if (Clock::now() >= deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

int KillableProcess::kill_hard() {
  ::kill(pid_, SIGKILL);
  const int exit_code = wait_for(pid_);
  pid_ = -1;
  return exit_code;
}

}  // namespace meteo::testing
