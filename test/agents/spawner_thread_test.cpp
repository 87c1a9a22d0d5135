// The runner with spawn_off_thread: start() returns at once, the child runs,
// and everything the inline runner guarantees still holds (output, exit code,
// spawn failures, cancel — also a cancel that comes before the child exists —,
// timeouts), driven only by the runner's one watch fd.
#include <doctest/doctest.h>
#include <poll.h>
#include <sys/wait.h>

#include <cerrno>
#include <map>

#include "agents/process_runner.h"
#include "agents_test_util.h"

using namespace hactl::agents;
using hactl::agents::testing::group_gone;

namespace {

PosixProcessRunner::Options off_thread() {
  PosixProcessRunner::Options o;
  o.spawn_off_thread = true;
  return o;
}

SpawnRequest sh(const std::string& script, int64_t timeout_ms = 5000) {
  SpawnRequest r;
  r.argv = {"/bin/sh", "-c", script};
  r.env = {"PATH=/usr/bin:/bin"};
  r.timeout_ms = timeout_ms;
  return r;
}

// As an event loop: wait on the one fd (or the next wakeup), then poll.
std::map<ProcessId, ProcessOutcome> run_all(PosixProcessRunner& runner, size_t count, int64_t cap_ms) {
  std::map<ProcessId, ProcessOutcome> got;
  const int64_t t0 = monotonic_ms();
  while (got.size() < count && monotonic_ms() - t0 < cap_ms) {
    pollfd p{runner.watch_fds().at(0), POLLIN, 0};
    int64_t now = monotonic_ms();
    int64_t until = std::min(runner.next_wakeup(now).value_or(now + 200), now + 200);
    ::poll(&p, 1, static_cast<int>(std::max<int64_t>(0, until - now)));
    for (auto& o : runner.poll(monotonic_ms())) got[o.id] = o;
  }
  return got;
}

}  // namespace

TEST_CASE("spawner thread: children run with their output and exit codes; a missing program fails") {
  PosixProcessRunner runner(off_thread());
  REQUIRE(runner.watch_fds().size() == 1);
  const int64_t t0 = monotonic_ms();
  std::map<ProcessId, int> want;
  for (int i = 0; i < 40; ++i) want[runner.start(sh("echo out" + std::to_string(i) + "; exit " + std::to_string(i)), t0)] = i;
  SpawnRequest missing;
  missing.argv = {"/nonexistent/agent"};
  ProcessId m = runner.start(missing, t0);
  CHECK(runner.running() == 41);
  auto got = run_all(runner, 41, 10000);
  REQUIRE(got.size() == 41);
  for (auto& [id, code] : want) {
    CHECK(got[id].end == ProcessOutcome::End::exited);
    CHECK(got[id].exit_code == code);
    CHECK(got[id].out == "out" + std::to_string(code) + "\n");
    int st;
    CHECK(::waitpid(got[id].pid, &st, WNOHANG) == -1);
  }
  CHECK(got[m].end == ProcessOutcome::End::spawn_failed);
  CHECK(got[m].error.find("cannot execute /nonexistent/agent") != std::string::npos);
  CHECK(runner.running() == 0);
}

TEST_CASE("spawner thread: a cancel before the child exists ends it as cancelled; timeouts still kill the group") {
  PosixProcessRunner runner(off_thread());
  const int64_t t0 = monotonic_ms();
  ProcessId a = runner.start(sh("sleep 30"), t0);
  runner.cancel(a, t0);  // almost surely before the spawner thread ran it
  auto hang = sh("sleep 30 & sleep 30", 300);
  hang.kill_grace_ms = 100;
  ProcessId b = runner.start(hang, t0);
  auto got = run_all(runner, 2, 5000);
  REQUIRE(got.size() == 2);
  CHECK(got[a].end == ProcessOutcome::End::cancelled);
  CHECK(got[b].end == ProcessOutcome::End::timed_out);
  CHECK(group_gone(got[a].pid));
  CHECK(group_gone(got[b].pid));
  CHECK(monotonic_ms() - t0 < 3000);
}

TEST_CASE("spawner thread: a runner destroyed with children queued or running leaves none behind") {
  {
    PosixProcessRunner runner(off_thread());
    const int64_t t0 = monotonic_ms();
    for (int i = 0; i < 5; ++i) runner.start(sh("sleep 30"), t0);
    auto got = run_all(runner, 99, 300);  // lets some be spawned; none ends
    CHECK(got.empty());
  }
  int st;
  CHECK(::waitpid(-1, &st, WNOHANG) == -1);  // no child left at all: killed and reaped
  CHECK(errno == ECHILD);
}
