// ProcessRunner: the one seam through which hactl starts agent processes.
//
// Event-driven and clock-free: the caller passes `now_ms` (a monotonic
// millisecond clock it owns) to start() and poll(), and asks next_wakeup() when
// poll() must run again even without I/O. The real implementation also exposes
// watch_fds(): readable when a child wrote or ended (one epoll fd over every
// pipe and pidfd), so an event loop waits on it instead of polling, and a
// blocking wait() for simple synchronous callers (CLI, catalog, tests).
// FakeProcessRunner (test/agents/fake_process_runner.h) records requests and lets tests
// decide outcomes, so the Executor is tested on a fake clock.
//
// Contract of the real runner (see posix_process_runner.cpp for the why):
// each child leads its own session and process group, starts with an empty
// signal mask and default dispositions, inherits no fd above 2; stdout/stderr
// are captured up to a cap; on timeout the whole group gets SIGTERM, then
// SIGKILL after a grace period; only our own pids are reaped.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace hactl::agents {

using ProcessId = uint64_t;  // runner-local handle, never reused; not a pid

struct SpawnRequest {
  // Either an executable (argv[0] is its path; scripts without "#!" run under
  // /bin/sh) or, when in_child is set, a function run in a forked child whose
  // return value is the exit code (built-in agents: same isolation, timeouts
  // and output capture as scripts, and the event loop never blocks on them).
  std::vector<std::string> argv;
  std::function<int()> in_child;
  std::vector<std::string> env;  // the complete environment, "NAME=value"
  std::string stdin_data;        // written to the child's stdin, then closed
  int64_t timeout_ms = 20000;    // <= 0: no timeout
  int64_t kill_grace_ms = 2000;  // SIGTERM → SIGKILL delay after a timeout or cancel
  size_t output_cap = 64 * 1024; // per stream; the rest is dropped and counted
};

struct ProcessOutcome {
  enum class End { exited, signaled, timed_out, cancelled, spawn_failed };
  ProcessId id = 0;
  End end = End::exited;
  int exit_code = -1;  // when exited
  int signal = 0;      // when signaled (or the signal that ended a timed-out child)
  int pid = 0;         // for logs and tests (the process group id too)
  std::string out, err;
  size_t out_dropped = 0, err_dropped = 0;
  std::string error;  // spawn_failed: why (errno text)
  int64_t started_ms = 0, ended_ms = 0;
};

const char* to_string(ProcessOutcome::End e);

class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  // Never blocks on the child. A spawn failure is reported by the next poll().
  virtual ProcessId start(SpawnRequest request, int64_t now_ms) = 0;
  // Reads output, reaps, enforces deadlines; returns the processes that ended.
  virtual std::vector<ProcessOutcome> poll(int64_t now_ms) = 0;
  // Ends a running process as on timeout (TERM group, grace, KILL group); its
  // outcome is reported by poll() as `cancelled`.
  virtual void cancel(ProcessId id, int64_t now_ms) = 0;
  // When poll() must be called next even if nothing happens on watch_fds().
  virtual std::optional<int64_t> next_wakeup(int64_t now_ms) const = 0;
  // Fds whose readability means poll() has work; stable while the runner lives
  // when it is the single epoll fd (the usual case), so a loop registers it once.
  virtual std::vector<int> watch_fds() const { return {}; }
  virtual size_t running() const = 0;
};

struct SpawnedChild;
class SpawnerThread;

// The real runner (posix_spawn / fork). Not thread-safe: one event loop thread.
class PosixProcessRunner final : public ProcessRunner {
 public:
  struct Options {
    // Only without pidfd_open (kernel < 5.3): the exit of a child whose pipes
    // a grandchild still holds is only seen by waitpid, re-checked this often.
    int64_t reap_poll_ms = 50;
    // Executables are started by a thread of the runner (process_spawn.h), so
    // start() never waits for a child to be scheduled. For event loops.
    bool spawn_off_thread = false;
  };
  PosixProcessRunner();
  explicit PosixProcessRunner(Options options);
  ~PosixProcessRunner() override;
  PosixProcessRunner(const PosixProcessRunner&) = delete;
  PosixProcessRunner& operator=(const PosixProcessRunner&) = delete;

  ProcessId start(SpawnRequest request, int64_t now_ms) override;
  std::vector<ProcessOutcome> poll(int64_t now_ms) override;
  void cancel(ProcessId id, int64_t now_ms) override;
  std::optional<int64_t> next_wakeup(int64_t now_ms) const override;
  std::vector<int> watch_fds() const override;
  size_t running() const override;

  // Blocks until a watched fd is readable or `until_ms` (monotonic_ms clock).
  void wait(int64_t until_ms);

 private:
  struct Child;
  void adopt(Child& c, const SpawnedChild& s);
  void collect_spawned(int64_t now_ms, std::vector<ProcessOutcome>& done);
  void watch(int fd, uint64_t key);
  void retire(int& fd);  // leaves the epoll set, closes, sets -1
  std::set<ProcessId> due_children(int64_t now_ms);
  void reap(Child& c, int64_t now_ms);

  Options options_;
  int epoll_fd_ = -1;  // every child's pipes and pidfd; -1 if epoll is unavailable
  ProcessId next_id_ = 1;
  std::map<ProcessId, std::unique_ptr<Child>> children_;
  std::set<ProcessId> unwatched_;  // no pidfd: reaped by polling
  std::set<ProcessId> timed_;      // with a deadline or a pending KILL
  std::vector<ProcessOutcome> failed_spawns_;
  std::unique_ptr<SpawnerThread> spawner_;  // spawn_off_thread only
};

// CLOCK_MONOTONIC in milliseconds: the clock real callers pass as now_ms.
int64_t monotonic_ms();

// Runs one process to completion on a private PosixProcessRunner (blocking).
ProcessOutcome run_process_sync(SpawnRequest request);

}  // namespace hactl::agents
