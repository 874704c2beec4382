// The notification command: posix_spawn of /bin/sh -c, its stdin a socket (a command that does
// not read it must not kill the run with SIGPIPE: send(MSG_NOSIGNAL) reports EPIPE instead), its
// output kept to the last few KiB, a deadline that kills its whole process group.
#include "alert_command.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "meteo/core/file_descriptor.hpp"

extern char** environ;

namespace meteo::pipeline {
namespace {

constexpr std::size_t kKeptOutputBytes = 4096;

class SpawnActions {
 public:
  SpawnActions() { posix_spawn_file_actions_init(&actions_); }
  ~SpawnActions() { posix_spawn_file_actions_destroy(&actions_); }
  SpawnActions(const SpawnActions&) = delete;
  SpawnActions& operator=(const SpawnActions&) = delete;
  posix_spawn_file_actions_t* get() { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

class SpawnAttributes {
 public:
  SpawnAttributes() { posix_spawnattr_init(&attributes_); }
  ~SpawnAttributes() { posix_spawnattr_destroy(&attributes_); }
  SpawnAttributes(const SpawnAttributes&) = delete;
  SpawnAttributes& operator=(const SpawnAttributes&) = delete;
  posix_spawnattr_t* get() { return &attributes_; }

 private:
  posix_spawnattr_t attributes_;
};

std::string system_error(const char* what, int error_number) {
  return std::string(what) + ": " + std::strerror(error_number);
}

void keep_tail(std::string& output, const char* data, std::size_t size) {
  output.append(data, size);
  if (output.size() > kKeptOutputBytes) output.erase(0, output.size() - kKeptOutputBytes);
}

int exit_code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

struct Child {
  pid_t pid = -1;
  FileDescriptor input;   // our end of its stdin
  FileDescriptor output;  // our end of its stdout and stderr
};

// The child's ends are closed here once it holds them; ours are close-on-exec.
std::optional<Child> spawn(const std::string& command, std::string& error) {
  int input_pair[2], output_pipe[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, input_pair) != 0) {
    error = system_error("socketpair", errno);
    return std::nullopt;
  }
  FileDescriptor ours_in(input_pair[0]), theirs_in(input_pair[1]);
  if (::pipe2(output_pipe, O_CLOEXEC) != 0) {
    error = system_error("pipe", errno);
    return std::nullopt;
  }
  FileDescriptor ours_out(output_pipe[0]), theirs_out(output_pipe[1]);
  SpawnActions actions;
  posix_spawn_file_actions_adddup2(actions.get(), theirs_in.get(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(actions.get(), theirs_out.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(actions.get(), theirs_out.get(), STDERR_FILENO);
  SpawnAttributes attributes;
  // Its own process group, so a timeout ends whatever it started too.
  posix_spawnattr_setpgroup(attributes.get(), 0);
  posix_spawnattr_setflags(attributes.get(), POSIX_SPAWN_SETPGROUP);
  std::string shell = "/bin/sh", flag = "-c", text = command;
  char* argv[] = {shell.data(), flag.data(), text.data(), nullptr};
  Child child;
  const int spawned =
      ::posix_spawn(&child.pid, "/bin/sh", actions.get(), attributes.get(), argv, environ);
  if (spawned != 0) {
    error = system_error("posix_spawn /bin/sh", spawned);
    return std::nullopt;
  }
  ::fcntl(ours_in.get(), F_SETFL, O_NONBLOCK);
  ::fcntl(ours_out.get(), F_SETFL, O_NONBLOCK);
  child.input = std::move(ours_in);
  child.output = std::move(ours_out);
  return child;
}

// Feeds stdin and drains the output until both are done or the deadline passes.
bool exchange(Child& child, const std::string& input,
              std::chrono::steady_clock::time_point deadline, std::string& output) {
  std::size_t written = 0;
  if (input.empty()) child.input.close();
  while (child.output.valid()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    std::vector<pollfd> fds{{child.output.get(), POLLIN, 0}};
    if (child.input.valid()) fds.push_back({child.input.get(), POLLOUT, 0});
    if (::poll(fds.data(), fds.size(), static_cast<int>(left.count())) < 0 && errno != EINTR) {
      return false;
    }
    if (child.input.valid() && fds.size() > 1 && fds[1].revents != 0) {
      const ssize_t sent =
          ::send(child.input.get(), input.data() + written, input.size() - written, MSG_NOSIGNAL);
      if (sent > 0) written += static_cast<std::size_t>(sent);
      // Done, or the command closed its stdin (EPIPE): either way nothing more goes in.
      if (written == input.size() || (sent < 0 && errno != EAGAIN && errno != EINTR)) {
        child.input.close();
      }
    }
    if (fds[0].revents != 0) {
      char buffer[4096];
      const ssize_t got = ::read(child.output.get(), buffer, sizeof buffer);
      if (got > 0) {
        keep_tail(output, buffer, static_cast<std::size_t>(got));
      } else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
        child.output.close();  // every writer closed it: the command (and its children) ended
      }
    }
  }
  return true;
}

// Waits for the child until the deadline; then kills its group and reaps it.
int wait_for(pid_t pid, std::chrono::steady_clock::time_point deadline, bool& timed_out) {
  int status = 0;
  while (true) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) return exit_code_of(status);
    if (done < 0 && errno != EINTR) return -1;
    if (std::chrono::steady_clock::now() >= deadline) break;
    ::usleep(10000);
  }
  timed_out = true;
  ::kill(-pid, SIGKILL);
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return exit_code_of(status);
}

}  // namespace

CommandResult run_command_with_input(const std::string& command, const std::string& input,
                                     std::chrono::seconds timeout) {
  CommandResult result;
  auto child = spawn(command, result.error);
  if (!child) return result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  if (!exchange(*child, input, deadline, result.output)) {
    ::kill(-child->pid, SIGKILL);
    result.timed_out = true;
  }
  child->input.close();
  child->output.close();
  bool timed_out = false;
  result.exit_code = wait_for(child->pid, deadline, timed_out);
  result.timed_out = result.timed_out || timed_out;
  return result;
}

}  // namespace meteo::pipeline
