#include "agents/process_runner.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "agents_test_util.h"

using namespace hactl::agents;
using hactl::agents::testing::group_gone;
using hactl::agents::testing::TempRoot;

namespace {

SpawnRequest sh(const std::string& script, int64_t timeout_ms = 5000) {
  SpawnRequest r;
  r.argv = {"/bin/sh", "-c", script};
  r.env = {"PATH=/usr/bin:/bin", "HACTL_TEST=yes"};
  r.timeout_ms = timeout_ms;
  return r;
}

std::string field(const std::string& status, const std::string& name) {
  std::istringstream in(status);
  std::string line;
  while (std::getline(in, line))
    if (line.starts_with(name + ":")) return line.substr(name.size() + 1);
  return "";
}

}  // namespace

TEST_CASE("runner: exit code, stdout, stderr and environment") {
  auto o = run_process_sync(sh("echo out $HACTL_TEST; echo err >&2; exit 7"));
  CHECK(o.end == ProcessOutcome::End::exited);
  CHECK(o.exit_code == 7);
  CHECK(o.out == "out yes\n");
  CHECK(o.err == "err\n");
  CHECK(o.pid > 0);
}

TEST_CASE("runner: stdin data reaches the child") {
  auto req = sh("cat");
  req.stdin_data = "action=monitor\nport=1\n";
  auto o = run_process_sync(req);
  CHECK(o.out == "action=monitor\nport=1\n");
}

TEST_CASE("runner: a hanging child and its grandchild are killed as a group on timeout") {
  int64_t t0 = monotonic_ms();
  auto req = sh("sleep 30 & sleep 30", 300);
  req.kill_grace_ms = 200;
  auto o = run_process_sync(req);
  int64_t took = monotonic_ms() - t0;
  CHECK(o.end == ProcessOutcome::End::timed_out);
  CHECK(took >= 300);
  CHECK(took < 2000);
  CHECK(group_gone(o.pid));
  int st;
  CHECK(::waitpid(o.pid, &st, WNOHANG) == -1);  // reaped: no zombie of ours
}

TEST_CASE("runner: a child ignoring SIGTERM gets SIGKILL after the grace period") {
  int64_t t0 = monotonic_ms();
  auto req = sh("trap '' TERM; sleep 30 & sleep 30", 200);
  req.kill_grace_ms = 300;
  auto o = run_process_sync(req);
  int64_t took = monotonic_ms() - t0;
  CHECK(o.end == ProcessOutcome::End::timed_out);
  CHECK(took >= 500);
  CHECK(took < 2500);
  CHECK(group_gone(o.pid));
}

TEST_CASE("runner: a flood of stderr is capped and does not block the child") {
  auto req = sh("head -c 1000000 /dev/zero | tr '\\0' x >&2; echo done; exit 3");
  req.output_cap = 4096;
  auto o = run_process_sync(req);
  CHECK(o.end == ProcessOutcome::End::exited);
  CHECK(o.exit_code == 3);
  CHECK(o.out == "done\n");
  CHECK(o.err.size() == 4096);
  CHECK(o.err_dropped == 1000000 - 4096);
}

TEST_CASE("runner: child has its own session, empty signal mask, default dispositions, no extra fds") {
  int leak = ::open("/dev/null", O_RDONLY);  // deliberately without O_CLOEXEC
  REQUIRE(leak >= 3);
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  sigprocmask(SIG_BLOCK, &block, &old);
  auto old_int = ::signal(SIGINT, SIG_IGN);

  SpawnRequest st;
  st.argv = {"/bin/cat", "/proc/self/status"};
  auto o = run_process_sync(st);
  auto fds = run_process_sync(sh("ls /proc/$$/fd"));
  SpawnRequest stat;
  stat.argv = {"/bin/cat", "/proc/self/stat"};
  auto s = run_process_sync(stat);

  ::signal(SIGINT, old_int);
  sigprocmask(SIG_SETMASK, &old, nullptr);
  ::close(leak);

  CHECK(field(o.out, "SigBlk").find_first_not_of("\t 0") == std::string::npos);
  // glibc keeps its two internal signals (32, 33) ignored in spawned children;
  // every signal a program can name is back to its default.
  uint64_t ignored = std::stoull(field(o.out, "SigIgn"), nullptr, 16);
  CHECK((ignored & ~((1ULL << 31) | (1ULL << 32))) == 0);
  CHECK(fds.out == "0\n1\n2\n");
  // /proc/self/stat: pid (comm) state ppid pgrp session ...
  std::istringstream in(s.out.substr(s.out.rfind(')') + 2));
  std::string state;
  int ppid, pgrp, session;
  in >> state >> ppid >> pgrp >> session;
  CHECK(pgrp == s.pid);
  CHECK(session == s.pid);
}

TEST_CASE("runner: scripts without #! run under /bin/sh; a missing program is a spawn failure") {
  TempRoot root;
  std::string p = root.write("noshebang", "echo via sh\nexit 4\n");
  SpawnRequest r;
  r.argv = {p};
  auto o = run_process_sync(r);
  CHECK(o.end == ProcessOutcome::End::exited);
  CHECK(o.exit_code == 4);
  CHECK(o.out == "via sh\n");

  SpawnRequest missing;
  missing.argv = {root / "nope"};
  auto m = run_process_sync(missing);
  CHECK(m.end == ProcessOutcome::End::spawn_failed);
  CHECK(m.error.find("No such file") != std::string::npos);
}

TEST_CASE("runner: in_child runs a function in a forked, isolated child") {
  SpawnRequest r;
  r.in_child = [] {
    std::printf("from child %d\n", static_cast<int>(::getpgrp() == ::getpid()));
    return 6;
  };
  auto o = run_process_sync(r);
  CHECK(o.end == ProcessOutcome::End::exited);
  CHECK(o.exit_code == 6);
  CHECK(o.out == "from child 1\n");

  SpawnRequest hang;
  hang.in_child = [] {
    ::sleep(30);
    return 0;
  };
  hang.timeout_ms = 200;
  auto h = run_process_sync(hang);
  CHECK(h.end == ProcessOutcome::End::timed_out);
  CHECK(group_gone(h.pid));
}

TEST_CASE("runner: cancel ends a running process as cancelled; several run in parallel") {
  PosixProcessRunner runner;
  int64_t t0 = monotonic_ms();
  ProcessId a = runner.start(sh("sleep 30"), t0);
  ProcessId b = runner.start(sh("sleep 0.2; exit 2"), t0);
  ProcessId c = runner.start(sh("sleep 0.2; exit 3"), t0);
  runner.cancel(a, t0);
  std::map<ProcessId, ProcessOutcome> got;
  while (got.size() < 3 && monotonic_ms() - t0 < 5000) {
    int64_t now = monotonic_ms();
    for (auto& o : runner.poll(now)) got[o.id] = o;
    runner.wait(runner.next_wakeup(now).value_or(now + 50));
  }
  REQUIRE(got.size() == 3);
  CHECK(got[a].end == ProcessOutcome::End::cancelled);
  CHECK(got[b].exit_code == 2);
  CHECK(got[c].exit_code == 3);
  CHECK(monotonic_ms() - t0 < 1500);  // b and c ran side by side
  CHECK(runner.running() == 0);
}

namespace {

// Waits on the runner's watch fds as an event loop does: readable, or the
// runner's own next wakeup, or `cap_ms` (the test's bound), whichever is first.
bool wait_like_a_loop(PosixProcessRunner& runner, int64_t cap_ms) {
  std::vector<pollfd> pfds;
  for (int fd : runner.watch_fds()) pfds.push_back(pollfd{fd, POLLIN, 0});
  int64_t now = monotonic_ms();
  int64_t until = std::min(runner.next_wakeup(now).value_or(now + cap_ms), now + cap_ms);
  return ::poll(pfds.data(), pfds.size(), static_cast<int>(std::max<int64_t>(0, until - now))) > 0;
}

}  // namespace

TEST_CASE("runner: many concurrent children are reaped through one fd, without polling waitpid") {
  PosixProcessRunner runner;
  REQUIRE(runner.watch_fds().size() == 1);
  const int watch = runner.watch_fds()[0];
  int64_t t0 = monotonic_ms();
  std::map<ProcessId, int> want;
  for (int i = 0; i < 100; ++i) want[runner.start(sh("exit " + std::to_string(i % 50), 0), t0)] = i % 50;
  CHECK(runner.watch_fds() == std::vector<int>{watch});  // registered once by a loop, stays valid
  // No deadline and a pidfd per child: nothing to re-check on a timer.
  CHECK_FALSE(runner.next_wakeup(t0).has_value());
  std::map<ProcessId, ProcessOutcome> got;
  while (got.size() < want.size() && monotonic_ms() - t0 < 10000) {
    wait_like_a_loop(runner, 10000);
    for (auto& o : runner.poll(monotonic_ms())) got[o.id] = o;
  }
  REQUIRE(got.size() == want.size());
  for (auto& [id, code] : want) {
    CHECK(got[id].end == ProcessOutcome::End::exited);
    CHECK(got[id].exit_code == code);
    int st;
    CHECK(::waitpid(got[id].pid, &st, WNOHANG) == -1);  // reaped, no zombie left
  }
  CHECK(runner.running() == 0);
}

TEST_CASE("runner: a leader whose grandchild keeps its pipes is reaped when it exits, not on a poll tick") {
  PosixProcessRunner runner;
  int64_t t0 = monotonic_ms();
  ProcessId id = runner.start(sh("sleep 30 & exit 9", 0), t0);
  CHECK_FALSE(runner.next_wakeup(t0).has_value());
  std::optional<ProcessOutcome> got;
  while (!got && monotonic_ms() - t0 < 5000) {
    wait_like_a_loop(runner, 5000);
    for (auto& o : runner.poll(monotonic_ms()))
      if (o.id == id) got = o;
  }
  REQUIRE(got);
  CHECK(got->exit_code == 9);
  CHECK(monotonic_ms() - t0 < 2000);
  ::kill(-got->pid, SIGKILL);  // the grandchild we started (its group is the leader's pid)
}

TEST_CASE("runner: a child that exits while the loop is busy is reported by the next poll") {
  PosixProcessRunner runner;
  int64_t t0 = monotonic_ms();
  ProcessId id = runner.start(sh("echo bye; exit 4", 0), t0);
  // The loop is busy elsewhere and polls nothing meanwhile.
  while (monotonic_ms() - t0 < 300) {
  }
  pollfd p{runner.watch_fds()[0], POLLIN, 0};
  CHECK(::poll(&p, 1, 0) == 1);  // the loop's fd says there is work
  auto done = runner.poll(monotonic_ms());
  REQUIRE(done.size() == 1);
  CHECK(done[0].id == id);
  CHECK(done[0].exit_code == 4);
  CHECK(done[0].out == "bye\n");
  CHECK(::poll(&p, 1, 0) == 0);  // nothing left: an idle loop sleeps
}

TEST_CASE("runner: on timeout the whole group gets TERM then KILL, driven by the loop's fd and wakeups") {
  PosixProcessRunner runner;
  int64_t t0 = monotonic_ms();
  auto req = sh("trap '' TERM; sleep 30 & sleep 30", 200);
  req.kill_grace_ms = 200;
  ProcessId id = runner.start(req, t0);
  std::optional<ProcessOutcome> got;
  while (!got && monotonic_ms() - t0 < 5000) {
    wait_like_a_loop(runner, 5000);
    for (auto& o : runner.poll(monotonic_ms()))
      if (o.id == id) got = o;
  }
  REQUIRE(got);
  CHECK(got->end == ProcessOutcome::End::timed_out);
  CHECK(monotonic_ms() - t0 >= 400);
  CHECK(group_gone(got->pid));
  CHECK(runner.running() == 0);
}
