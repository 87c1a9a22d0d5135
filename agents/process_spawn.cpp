#include "agents/process_spawn.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace hactl::agents {

namespace {

std::vector<char*> c_strings(std::vector<std::string>& v) {
  std::vector<char*> out;
  out.reserve(v.size() + 1);
  for (auto& s : v) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Child side of the fork path (built-ins): same hygiene as the spawn attributes.
[[noreturn]] void run_in_child(const std::function<int()>& fn, int in_fd, int out_fd, int err_fd) {
  ::setsid();
  sigset_t empty;
  sigemptyset(&empty);
  sigprocmask(SIG_SETMASK, &empty, nullptr);
  for (int s = 1; s < NSIG; ++s) {
    if (s != SIGKILL && s != SIGSTOP) ::signal(s, SIG_DFL);
  }
  ::dup2(in_fd, 0);
  ::dup2(out_fd, 1);
  ::dup2(err_fd, 2);
  ::closefrom(3);
  int rc = 1;
  rc = fn();
  fflush(stdout);
  fflush(stderr);
  ::_exit(rc);
}

}  // namespace

SpawnedChild spawn_child(SpawnRequest& req) {
  SpawnedChild out;
  if (!req.in_child && req.argv.empty()) {
    out.error = "empty command";
    return out;
  }
  int in_p[2], out_p[2], err_p[2];
  if (::pipe2(in_p, O_CLOEXEC) != 0) {
    out.error = std::string("pipe: ") + std::strerror(errno);
    return out;
  }
  if (::pipe2(out_p, O_CLOEXEC) != 0) {
    ::close(in_p[0]), ::close(in_p[1]);
    out.error = std::string("pipe: ") + std::strerror(errno);
    return out;
  }
  if (::pipe2(err_p, O_CLOEXEC) != 0) {
    ::close(in_p[0]), ::close(in_p[1]), ::close(out_p[0]), ::close(out_p[1]);
    out.error = std::string("pipe: ") + std::strerror(errno);
    return out;
  }

  pid_t pid = -1;
  int err = 0;
  if (req.in_child) {
    // Unflushed stdio buffers would be written twice (by the child too).
    std::fflush(nullptr);
    pid = ::fork();
    if (pid == 0) run_in_child(req.in_child, in_p[0], out_p[1], err_p[1]);
    if (pid < 0) err = errno;
  } else {
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in_p[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out_p[1], 1);
    posix_spawn_file_actions_adddup2(&fa, err_p[1], 2);
    posix_spawn_file_actions_addclosefrom_np(&fa, 3);
    posix_spawnattr_init(&attr);
    sigset_t empty, all;
    sigemptyset(&empty);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &empty);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    auto argv = c_strings(req.argv);
    auto envp = c_strings(req.env);
    err = ::posix_spawn(&pid, argv[0], &fa, &attr, argv.data(), envp.data());
    if (err == ENOEXEC) {
      std::vector<std::string> sh_args{"/bin/sh"};
      sh_args.insert(sh_args.end(), req.argv.begin(), req.argv.end());
      auto sh_argv = c_strings(sh_args);
      err = ::posix_spawn(&pid, sh_argv[0], &fa, &attr, sh_argv.data(), envp.data());
    }
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
  }
  ::close(in_p[0]);
  ::close(out_p[1]);
  ::close(err_p[1]);
  if (err != 0 || pid <= 0) {
    ::close(in_p[1]), ::close(out_p[0]), ::close(err_p[0]);
    std::string what = req.in_child ? "fork" : "cannot execute " + req.argv[0];
    out.error = what + ": " + std::strerror(err);
    return out;
  }

  // stdin: small (fence agent arguments), fits the pipe buffer; a child that
  // does not read it must not block us, hence non-blocking and best effort.
  ::fcntl(in_p[1], F_SETFL, O_NONBLOCK);
  if (!req.stdin_data.empty()) {
    ssize_t ignored = ::write(in_p[1], req.stdin_data.data(), req.stdin_data.size());
    (void)ignored;
  }
  ::close(in_p[1]);
  ::fcntl(out_p[0], F_SETFL, O_NONBLOCK);
  ::fcntl(err_p[0], F_SETFL, O_NONBLOCK);
  out.pid = pid;
  out.out_fd = out_p[0];
  out.err_fd = err_p[0];
  return out;
}

SpawnerThread::SpawnerThread() : event_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  if (event_fd_ >= 0) thread_ = std::thread([this] { run(); });
}

SpawnerThread::~SpawnerThread() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    queue_.clear();
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  for (auto& [id, c] : done_) {
    if (c.pid > 0) {
      ::kill(-c.pid, SIGKILL);
      int st = 0;
      while (::waitpid(c.pid, &st, 0) < 0 && errno == EINTR) {
      }
    }
    if (c.out_fd >= 0) ::close(c.out_fd);
    if (c.err_fd >= 0) ::close(c.err_fd);
  }
  if (event_fd_ >= 0) ::close(event_fd_);
}

void SpawnerThread::submit(ProcessId id, SpawnRequest request) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.emplace_back(id, std::move(request));
  }
  wake_.notify_one();
}

std::vector<std::pair<ProcessId, SpawnedChild>> SpawnerThread::collect() {
  uint64_t count = 0;
  ssize_t ignored = ::read(event_fd_, &count, sizeof count);  // resets it (EAGAIN when nothing)
  (void)ignored;
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::pair<ProcessId, SpawnedChild>> out;
  out.swap(done_);
  return out;
}

void SpawnerThread::run() {
  for (;;) {
    std::pair<ProcessId, SpawnRequest> job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    SpawnedChild c = spawn_child(job.second);
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_.emplace_back(job.first, std::move(c));
    }
    const uint64_t one = 1;
    ssize_t ignored = ::write(event_fd_, &one, sizeof one);
    (void)ignored;
  }
}

}  // namespace hactl::agents
