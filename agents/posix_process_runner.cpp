// The real ProcessRunner. Why each step (measured in the toolchain research):
// - POSIX_SPAWN_SETSID: the child leads a new session and process group
//   (pgid == pid), so kill(-pid) reaches everything it forked, and it has no
//   controlling terminal.
// - SETSIGMASK (empty) + SETSIGDEF (all): ignored dispositions (SIGPIPE) and our
//   blocked signals would otherwise survive exec and break shell scripts.
// - addclosefrom_np(3): our sockets (asio does not set SOCK_CLOEXEC) must not
//   leak into daemons that agents start.
// - posix_spawn's errno is reported as spawn_failed, not disguised as exit 127.
// - Scripts without "#!" fail with ENOEXEC under posix_spawn: rerun via /bin/sh.
// - Only our own pids are reaped (waitpid(pid), never -1): the daemon may have
//   other children.
// - Nothing blocks and nothing scales with the number of children per poll:
//   every pipe and a pidfd per child (readable when it exits) sit in one epoll
//   set, which is the single fd an event loop waits on; poll() asks it which
//   children are ready and runs waitpid(WNOHANG) only for those. (Polling
//   waitpid for every child on every SIGCHLD and 50 ms tick cost the agent
//   most of its loop with a few hundred actions running.)
#include "agents/process_runner.h"

#include "agents/process_spawn.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace hactl::agents {

const char* to_string(ProcessOutcome::End e) {
  switch (e) {
    case ProcessOutcome::End::exited: return "exited";
    case ProcessOutcome::End::signaled: return "signaled";
    case ProcessOutcome::End::timed_out: return "timed out";
    case ProcessOutcome::End::cancelled: return "cancelled";
    case ProcessOutcome::End::spawn_failed: return "spawn failed";
  }
  return "?";
}

int64_t monotonic_ms() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

struct PosixProcessRunner::Child {
  ProcessOutcome outcome;
  int out_fd = -1, err_fd = -1;
  int pidfd = -1;  // readable once the child has exited; -1 without pidfd_open
  size_t cap = 0;
  int64_t deadline = 0;  // 0: none
  int64_t grace = 0;
  bool reaped = false;
  bool terminating = false;  // TERM sent (timeout or cancel)
  bool killed = false;       // KILL sent
  int64_t kill_at = 0;
  ProcessOutcome::End term_reason = ProcessOutcome::End::timed_out;
  bool spawning = false;            // queued on the spawner thread, no pid yet
  bool cancel_when_spawned = false;  // cancel() came first
};

namespace {

// Which fd of a child an epoll event is about: the low bits of its u64.
enum FdKind : uint64_t { kOut = 0, kErr = 1, kPid = 2 };
uint64_t tag(ProcessId id, FdKind kind) { return id << 2 | kind; }
constexpr uint64_t kSpawnerKey = ~uint64_t{0};  // the spawner's eventfd: no child has this id

// glibc may lack the wrapper (older or static builds); the syscall is Linux >= 5.3.
int open_pidfd(pid_t pid) {
#ifdef SYS_pidfd_open
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));  // O_CLOEXEC by definition
#else
  (void)pid;
  errno = ENOSYS;
  return -1;
#endif
}

// Reads what is available; at EOF `close` retires the fd. Keeps the first `cap` bytes.
template <typename Close>
void drain(int& fd, std::string& into, size_t& dropped, size_t cap, Close close) {
  char buf[8192];
  while (fd >= 0) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) {
      size_t room = into.size() < cap ? cap - into.size() : 0;
      size_t take = std::min(room, static_cast<size_t>(n));
      into.append(buf, take);
      dropped += static_cast<size_t>(n) - take;
    } else if (n == 0) {
      close(fd);
    } else if (errno == EINTR) {
      continue;
    } else {
      if (errno != EAGAIN) close(fd);
      return;
    }
  }
}

}  // namespace

PosixProcessRunner::PosixProcessRunner() : PosixProcessRunner(Options{}) {}
PosixProcessRunner::PosixProcessRunner(Options options)
    : options_(options), epoll_fd_(::epoll_create1(EPOLL_CLOEXEC)) {
  if (options_.spawn_off_thread && epoll_fd_ >= 0) {
    spawner_ = std::make_unique<SpawnerThread>();
    if (spawner_->ok()) watch(spawner_->event_fd(), kSpawnerKey);
    else spawner_.reset();
  }
}

PosixProcessRunner::~PosixProcessRunner() {
  // Never leave a child behind: kill the groups still running and reap them.
  // Blocking here is bounded (SIGKILL) and only happens when the owner goes away.
  for (auto& [id, c] : children_) {
    if (!c->reaped && c->outcome.pid > 0) {
      ::kill(-c->outcome.pid, SIGKILL);
      int st = 0;
      while (::waitpid(c->outcome.pid, &st, 0) < 0 && errno == EINTR) {
      }
    }
    retire(c->out_fd);
    retire(c->err_fd);
    retire(c->pidfd);
  }
  if (epoll_fd_ >= 0) ::close(epoll_fd_);
}

void PosixProcessRunner::watch(int fd, uint64_t key) {
  if (fd < 0 || epoll_fd_ < 0) return;
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = key;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev);
}

void PosixProcessRunner::retire(int& fd) {
  if (fd < 0) return;
  // Explicitly: a forked built-in may briefly hold a copy of the fd, which
  // would keep a closed fd in the interest list.
  if (epoll_fd_ >= 0) ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
  ::close(fd);
  fd = -1;
}

ProcessId PosixProcessRunner::start(SpawnRequest req, int64_t now_ms) {
  ProcessId id = next_id_++;
  auto c = std::make_unique<Child>();
  c->outcome.id = id;
  c->outcome.started_ms = now_ms;
  c->cap = req.output_cap;
  c->deadline = req.timeout_ms > 0 ? now_ms + req.timeout_ms : 0;
  c->grace = std::max<int64_t>(0, req.kill_grace_ms);
  if (spawner_ && !req.in_child) {
    c->spawning = true;  // no pid yet: in no due set until adopt()
    children_.emplace(id, std::move(c));
    spawner_->submit(id, std::move(req));
    return id;
  }
  SpawnedChild s = spawn_child(req);
  if (s.pid <= 0) {
    ProcessOutcome o;
    o.id = id;
    o.end = ProcessOutcome::End::spawn_failed;
    o.error = s.error;
    o.started_ms = o.ended_ms = now_ms;
    failed_spawns_.push_back(std::move(o));
    return id;
  }
  adopt(*c, s);
  children_.emplace(id, std::move(c));
  return id;
}

void PosixProcessRunner::adopt(Child& c, const SpawnedChild& s) {
  const ProcessId id = c.outcome.id;
  c.spawning = false;
  c.outcome.pid = s.pid;
  c.out_fd = s.out_fd;
  c.err_fd = s.err_fd;
  // Without pidfd (kernel < 5.3) the exit of a child whose pipes a grandchild
  // still holds is only seen by polling waitpid(WNOHANG): see next_wakeup().
  c.pidfd = epoll_fd_ >= 0 ? open_pidfd(s.pid) : -1;
  watch(c.out_fd, tag(id, kOut));
  watch(c.err_fd, tag(id, kErr));
  watch(c.pidfd, tag(id, kPid));
  if (epoll_fd_ < 0 || c.pidfd < 0) unwatched_.insert(id);
  if (c.deadline > 0) timed_.insert(id);
}

// Children the spawner thread started (or failed to) since the last poll.
void PosixProcessRunner::collect_spawned(int64_t now_ms, std::vector<ProcessOutcome>& done) {
  if (!spawner_) return;
  for (auto& [id, s] : spawner_->collect()) {
    auto it = children_.find(id);
    if (it == children_.end()) continue;
    Child& c = *it->second;
    if (s.pid <= 0) {
      c.outcome.end = ProcessOutcome::End::spawn_failed;
      c.outcome.error = s.error;
      c.outcome.ended_ms = now_ms;
      done.push_back(std::move(c.outcome));
      children_.erase(it);
      continue;
    }
    adopt(c, s);
    if (c.cancel_when_spawned) cancel(id, now_ms);
  }
}

void PosixProcessRunner::cancel(ProcessId id, int64_t now_ms) {
  auto it = children_.find(id);
  if (it == children_.end() || it->second->terminating || it->second->reaped) return;
  Child& c = *it->second;
  if (c.spawning) {
    c.cancel_when_spawned = true;
    return;
  }
  c.terminating = true;
  c.term_reason = ProcessOutcome::End::cancelled;
  c.kill_at = now_ms + c.grace;
  ::kill(-c.outcome.pid, SIGTERM);
  timed_.insert(id);
}

// The children with something to do now: those whose pipe or pidfd is ready
// (one epoll_wait, not a syscall per child), those without a pidfd, and those
// with a deadline (kept in timed_, so an idle poll touches no one else).
std::set<ProcessId> PosixProcessRunner::due_children(int64_t now_ms) {
  std::set<ProcessId> due(unwatched_);
  if (epoll_fd_ >= 0 && !children_.empty()) {
    // Room for every registered fd, so one call sees all that is ready (the
    // fds are level-triggered: a second call would repeat the same ones).
    std::vector<epoll_event> evs(3 * children_.size());
    int n = 0;
    do n = ::epoll_wait(epoll_fd_, evs.data(), static_cast<int>(evs.size()), 0);
    while (n < 0 && errno == EINTR);
    for (int i = 0; i < n; ++i) due.insert(evs[i].data.u64 >> 2);
  }
  for (ProcessId id : timed_) {
    const Child& c = *children_.at(id);
    if (!c.killed && (c.terminating ? c.kill_at : c.deadline) <= now_ms) due.insert(id);
  }
  return due;
}

void PosixProcessRunner::reap(Child& c, int64_t now_ms) {
  ProcessOutcome& o = c.outcome;
  int st = 0;
  pid_t r = ::waitpid(o.pid, &st, WNOHANG);  // never blocks: only after the pidfd said so, or a poll
  if (r != o.pid) return;
  c.reaped = true;
  if (WIFEXITED(st)) {
    o.end = ProcessOutcome::End::exited;
    o.exit_code = WEXITSTATUS(st);
  } else if (WIFSIGNALED(st)) {
    o.end = ProcessOutcome::End::signaled;
    o.signal = WTERMSIG(st);
  }
  o.ended_ms = now_ms;
  // What the child wrote before exiting is in the pipe now; output of
  // grandchildren still holding the pipe afterwards is not waited for.
  auto close = [this](int& fd) { retire(fd); };
  drain(c.out_fd, o.out, o.out_dropped, c.cap, close);
  drain(c.err_fd, o.err, o.err_dropped, c.cap, close);
  retire(c.out_fd);
  retire(c.err_fd);
  retire(c.pidfd);
}

std::vector<ProcessOutcome> PosixProcessRunner::poll(int64_t now_ms) {
  std::vector<ProcessOutcome> done;
  done.swap(failed_spawns_);
  collect_spawned(now_ms, done);
  auto close = [this](int& fd) { retire(fd); };
  for (ProcessId id : due_children(now_ms)) {
    auto it = children_.find(id);
    if (it == children_.end()) continue;  // an event of a child already retired
    Child& c = *it->second;
    ProcessOutcome& o = c.outcome;
    drain(c.out_fd, o.out, o.out_dropped, c.cap, close);
    drain(c.err_fd, o.err, o.err_dropped, c.cap, close);
    if (!c.reaped) reap(c, now_ms);
    if (!c.terminating && c.deadline > 0 && now_ms >= c.deadline && !c.reaped) {
      c.terminating = true;
      c.term_reason = ProcessOutcome::End::timed_out;
      c.kill_at = now_ms + c.grace;
      ::kill(-o.pid, SIGTERM);
    }
    if (c.terminating && !c.killed && now_ms >= c.kill_at) {
      ::kill(-o.pid, SIGKILL);
      c.killed = true;
    }
    if (!c.reaped) continue;
    if (c.terminating && !c.killed) {
      // The leader had its grace period to clean up and is gone; whatever is
      // left of its group (grandchildren ignoring TERM) is killed now. Not
      // waited for: they may stay zombies until init reaps them.
      ::kill(-o.pid, SIGKILL);
      c.killed = true;
    }
    if (c.terminating) o.end = c.term_reason;
    done.push_back(std::move(o));
    retire(c.out_fd);
    retire(c.err_fd);
    retire(c.pidfd);
    children_.erase(it);
    unwatched_.erase(id);
    timed_.erase(id);
  }
  return done;
}

std::optional<int64_t> PosixProcessRunner::next_wakeup(int64_t now_ms) const {
  if (!failed_spawns_.empty()) return now_ms;
  std::optional<int64_t> at;
  auto consider = [&](int64_t t) { at = at ? std::min(*at, t) : t; };
  for (ProcessId id : timed_) {
    const Child& c = *children_.at(id);
    if (c.terminating && !c.killed) consider(c.kill_at);
    else if (!c.terminating && c.deadline > 0) consider(c.deadline);
  }
  for (ProcessId id : unwatched_) {
    const Child& c = *children_.at(id);
    // Both pipes at EOF: the child is exiting, its zombie appears within a
    // scheduler tick, so check again soon rather than after reap_poll_ms.
    bool exiting = c.out_fd < 0 && c.err_fd < 0 && !c.reaped;
    consider(now_ms + (exiting ? 1 : options_.reap_poll_ms));
  }
  return at;
}

std::vector<int> PosixProcessRunner::watch_fds() const {
  if (epoll_fd_ >= 0) return {epoll_fd_};
  std::vector<int> fds;
  for (const auto& [id, c] : children_) {
    if (c->out_fd >= 0) fds.push_back(c->out_fd);
    if (c->err_fd >= 0) fds.push_back(c->err_fd);
  }
  return fds;
}

size_t PosixProcessRunner::running() const { return children_.size(); }

void PosixProcessRunner::wait(int64_t until_ms) {
  std::vector<pollfd> pfds;
  for (int fd : watch_fds()) pfds.push_back(pollfd{fd, POLLIN, 0});
  int64_t left = std::max<int64_t>(0, until_ms - monotonic_ms());
  ::poll(pfds.data(), pfds.size(), static_cast<int>(std::min<int64_t>(left, 60000)));
}

ProcessOutcome run_process_sync(SpawnRequest request) {
  PosixProcessRunner runner;
  ProcessId id = runner.start(std::move(request), monotonic_ms());
  for (;;) {
    int64_t now = monotonic_ms();
    for (auto& o : runner.poll(now)) {
      if (o.id == id) return std::move(o);
    }
    runner.wait(runner.next_wakeup(now).value_or(now + 50));
  }
}

}  // namespace hactl::agents
