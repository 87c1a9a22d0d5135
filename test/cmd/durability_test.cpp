// Durability of configuration writes in file mode: `hactl -f cib.xml ...` and
// `cluster cib-push` are killed with SIGKILL at random points of a stream of
// writes. After every kill the CIB must still parse, every command that exited
// 0 must have its change present, and the next write must work.
//
// What a crash may leave behind: write_file_atomic writes `<file>.tmp.<pid>`,
// fsyncs it and renames it over the file. A process killed between the open()
// and the rename() leaves its `cib.xml.tmp.<pid>` (at most one per killed
// process, never read by hactl); cib.xml itself is always the old or the new
// version. The test counts those leftovers as kills that landed mid-write.
//
// Half the kills come at a random time of the run (scaled to the measured run
// time of one command), half 0..200 us after the temp file appears. Delays come
// from a seeded generator (HACTL_DURABILITY_SEED); HACTL_DURABILITY_ITERATIONS
// sets the number of kills per case.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/inotify.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/cib_document.h"
#include "test/cmd/cli_harness.h"

extern char** environ;

using hactl::test::Scratch;
using Clock = std::chrono::steady_clock;

namespace {

std::uint64_t env_number(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 10) : fallback;
}

struct Outcome {
  bool exited = false;  // ran to completion (the kill came too late)
  int rc = -1;
  bool tmp_left = false;  // killed between writing its temp file and the rename
};

// When the kill is timed: `delay` after the start, or `delay` after hactl
// creates its temp file next to cib.xml (seen with inotify; aims kills at the
// write itself, which is a small part of a run). No delay: never killed.
struct KillAt {
  std::optional<std::chrono::microseconds> delay;
  bool after_temp_file = false;
};

// Spawns hactl with `args` in the scratch dir, SIGKILLs it as `at` says
// (unless it has already exited) and reaps it.
Outcome run_and_kill(const Scratch& s, const std::vector<std::string>& args, KillAt at) {
  std::vector<std::string> full = {HACTL_BINARY};
  full.insert(full.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : full) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  std::string cwd = s.dir();
  posix_spawn_file_actions_addchdir_np(&fa, cwd.c_str());
  // As Scratch::sh does: every path hactl touches besides -f is under the scratch dir.
  std::vector<std::string> env_strings = {"HACTL_ROOT=" + s.path("root")};
  for (char** e = environ; *e; ++e)
    if (std::string(*e).rfind("HACTL_ROOT=", 0) != 0) env_strings.push_back(*e);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  int watch = -1;
  if (at.after_temp_file) {
    watch = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    REQUIRE(watch >= 0);
    REQUIRE(::inotify_add_watch(watch, s.dir().c_str(), IN_CREATE) >= 0);
  }
  pid_t pid = -1;
  int err = posix_spawn(&pid, HACTL_BINARY, &fa, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  REQUIRE(err == 0);

  if (watch >= 0) {
    // Wait (at most 5 s) for a cib.xml.tmp.* to appear; a command that writes nothing just exits.
    auto give_up = Clock::now() + std::chrono::seconds(5);
    bool seen = false;
    while (!seen && Clock::now() < give_up) {
      pollfd pfd{watch, POLLIN, 0};
      if (::poll(&pfd, 1, 10) <= 0) {
        if (::waitpid(pid, nullptr, WNOHANG | WNOWAIT) == pid) break;  // exited (zombie kept for the reap below)
        continue;
      }
      alignas(inotify_event) char buf[4096];
      ssize_t n = ::read(watch, buf, sizeof buf);
      for (ssize_t off = 0; off < n;) {
        auto* ev = reinterpret_cast<inotify_event*>(buf + off);
        if (ev->len && std::string(ev->name).rfind("cib.xml.tmp.", 0) == 0) seen = true;
        off += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
      }
    }
    ::close(watch);
    if (seen) {
      std::this_thread::sleep_for(at.delay.value_or(std::chrono::microseconds(0)));
      ::kill(pid, SIGKILL);
    }
  } else if (at.delay) {
    std::this_thread::sleep_for(*at.delay);
    ::kill(pid, SIGKILL);  // harmless if it is already a zombie
  }
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  Outcome o;
  o.exited = WIFEXITED(status);
  o.rc = o.exited ? WEXITSTATUS(status) : -1;
  o.tmp_left = std::filesystem::exists(s.path("cib.xml.tmp." + std::to_string(pid)));
  return o;
}

std::vector<std::filesystem::path> temp_files(const Scratch& s) {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::directory_iterator(s.dir()))
    if (e.path().filename().string().rfind("cib.xml.tmp.", 0) == 0) out.push_back(e.path());
  return out;
}

// name -> value of every nvpair in the CIB's cluster properties.
std::map<std::string, std::string> properties(const hactl::core::CibDocument& doc) {
  std::map<std::string, std::string> out;
  if (auto* crm = doc.find_section("crm_config"))
    for (auto* nv : hactl::core::descendants(crm, "nvpair"))
      out[hactl::core::attr(nv, "name")] = hactl::core::attr(nv, "value");
  return out;
}

// The median wall time of a few unkilled runs that each write (args_for(n)
// must change the file every time). Kills land uniformly in 0.5..1.3x that:
// most of a run is process start-up and parsing, the write comes last.
template <typename ArgsFor>
std::chrono::microseconds median_run(const Scratch& s, ArgsFor args_for) {
  std::vector<long> us;
  for (int i = 0; i < 7; ++i) {
    auto t0 = Clock::now();
    Outcome o = run_and_kill(s, args_for(i), KillAt{});
    REQUIRE(o.exited);
    REQUIRE(o.rc == 0);
    us.push_back(std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count());
  }
  std::sort(us.begin(), us.end());
  return std::chrono::microseconds(std::max(200L, us[us.size() / 2]));
}

struct Figures {
  std::uint64_t kills = 0, completed = 0, killed_running = 0, killed_mid_write = 0, failures = 0;
};

void report(const char* what, const Figures& f, std::uint64_t seed, std::chrono::microseconds median) {
  MESSAGE(std::string(what) << ": " << f.kills << " kills (seed " << seed << ", command median " << median.count()
               << " us), killed while running " << f.killed_running << ", of which mid-write (temp file left) "
               << f.killed_mid_write << ", completed before the kill " << f.completed << ", failures "
               << f.failures);
}

}  // namespace

// Under sanitizers these kill-and-retry loops outrun ctest's timeout (the
// CLI's live edits retry for up to 30 s against agents several times slower):
// they run in the real build only.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSlowSanitizedBuild = true;
#else
constexpr bool kSlowSanitizedBuild = false;
#endif

TEST_CASE("durability: configuration writes killed at random points lose no acknowledged change" * doctest::skip(kSlowSanitizedBuild)) {
  const std::uint64_t seed = env_number("HACTL_DURABILITY_SEED", 8);
  const std::uint64_t iterations = env_number("HACTL_DURABILITY_ITERATIONS", 300);
  std::mt19937_64 rng(seed);
  Scratch s;
  const std::string cib = s.path("cib.xml");
  REQUIRE(s.hactl("-f cib.xml --force property set base=0").rc == 0);
  auto median = median_run(s, [&](int n) {
    return std::vector<std::string>{"-f", cib, "--force", "property", "set", "calibrate=" + std::to_string(n)};
  });

  std::map<std::string, std::string> acknowledged;  // property -> value of commands that exited 0
  std::set<std::string> acked_resources;
  Figures f;
  std::uniform_int_distribution<long> delay_us(median.count() / 2, median.count() * 13 / 10);
  std::uniform_int_distribution<long> write_us(0, 200);
  for (std::uint64_t i = 0; i < iterations; ++i) {
    // A stream of distinct changes: new properties, rewrites of one hot property, new resources.
    std::vector<std::string> args;
    std::string key, value = "v" + std::to_string(i), resource;
    switch (i % 3) {
      case 0: key = "p" + std::to_string(i); break;
      case 1: key = "hot"; break;
      case 2: resource = "R" + std::to_string(i); break;
    }
    if (resource.empty())
      args = {"-f", cib, "--force", "property", "set", key + "=" + value};
    else
      args = {"-f", cib, "resource", "create", resource, "ocf:pacemaker:Dummy"};

    // Every other kill is aimed at the write: 0..200 us after the temp file appears.
    KillAt at = i % 2 ? KillAt{std::chrono::microseconds(write_us(rng)), true}
                      : KillAt{std::chrono::microseconds(delay_us(rng)), false};
    Outcome o = run_and_kill(s, args, at);
    ++f.kills;
    if (o.exited) {
      ++f.completed;
      INFO("iteration " << i << " exited with " << o.rc);
      CHECK(o.rc == 0);
      if (o.rc == 0) {
        if (resource.empty())
          acknowledged[key] = value;
        else
          acked_resources.insert(resource);
      } else {
        ++f.failures;
      }
    } else {
      ++f.killed_running;
      if (o.tmp_left) ++f.killed_mid_write;
    }

    auto doc = hactl::core::CibDocument::parse(hactl::test::slurp(cib));
    INFO("iteration " << i << " (seed " << seed << ")");
    REQUIRE(doc);
    auto props = properties(*doc);
    for (const auto& [k, v] : acknowledged) {
      // "hot" may have been rewritten by a later killed command that still committed.
      bool ok = k == "hot" ? props.count(k) == 1 : props[k] == v;
      if (!ok) ++f.failures;
      CHECK_MESSAGE(ok, "acknowledged property " << k << "=" << v << " lost");
    }
    for (const auto& r : acked_resources) {
      bool ok = doc->find_id(r) != nullptr;
      if (!ok) ++f.failures;
      CHECK_MESSAGE(ok, "acknowledged resource " << r << " lost");
    }
    if (!acknowledged.empty() && acknowledged.count("hot")) {
      // The hot property holds the value of the last acknowledged write or of a later (killed) one.
      int last_acked = std::stoi(acknowledged["hot"].substr(1));
      CHECK(std::stoi(props["hot"].substr(1)) >= last_acked);
    }
  }
  // Leftovers: exactly the temp files of processes killed mid-write, and the next write works.
  CHECK(temp_files(s).size() == f.killed_mid_write);
  CHECK(s.hactl("-f cib.xml --force property set after=1").rc == 0);
  auto final_doc = hactl::core::CibDocument::parse(hactl::test::slurp(cib));
  REQUIRE(final_doc);
  CHECK(properties(*final_doc)["after"] == "1");
  report("configuration writes", f, seed, median);
  CHECK(f.failures == 0);
  CHECK(f.killed_running > 0);  // the kills must really interrupt commands, or the test proves nothing
}

TEST_CASE("durability: cluster cib-push killed at random points leaves the old or the new CIB" * doctest::skip(kSlowSanitizedBuild)) {
  const std::uint64_t seed = env_number("HACTL_DURABILITY_SEED", 8);
  const std::uint64_t iterations = env_number("HACTL_DURABILITY_ITERATIONS", 300) * 2 / 3 + 1;  // 300 + 201: over 500 kills per run
  std::mt19937_64 rng(seed + 1);
  Scratch s;
  const std::string cib = s.path("cib.xml");

  // Push files with growing epochs, each a little different, made by hactl itself.
  REQUIRE(s.hactl("-f gen.xml --force property set push=0").rc == 0);
  REQUIRE(s.hactl("-f gen.xml resource create Base ocf:pacemaker:Dummy").rc == 0);
  std::vector<std::string> canon;  // canonical text of push-<i>.xml
  for (std::uint64_t i = 0; i < iterations; ++i) {
    std::string n = std::to_string(i);
    REQUIRE(s.hactl("-f gen.xml --force property set push=" + n).rc == 0);
    REQUIRE(s.sh("cp gen.xml push-" + n + ".xml").rc == 0);
    auto c = hactl::core::canonical_xml(hactl::test::slurp(s.path("push-" + n + ".xml")));
    REQUIRE(c);
    canon.push_back(*c);
  }
  REQUIRE(s.sh("cp push-0.xml cib.xml").rc == 0);
  auto median = median_run(s, [&](int n) {
    return std::vector<std::string>{"-f", s.path("calibrate.xml"), "--force", "cluster", "cib-push",
                                    s.path(n % 2 ? "push-0.xml" : "push-1.xml")};
  });

  Figures f;
  std::uniform_int_distribution<long> delay_us(median.count() / 2, median.count() * 13 / 10);
  std::uniform_int_distribution<long> write_us(0, 200);
  std::uint64_t last_acked = 0;
  for (std::uint64_t i = 1; i < iterations; ++i) {
    KillAt at = i % 2 ? KillAt{std::chrono::microseconds(write_us(rng)), true}
                      : KillAt{std::chrono::microseconds(delay_us(rng)), false};
    Outcome o = run_and_kill(s, {"-f", cib, "cluster", "cib-push", s.path("push-" + std::to_string(i) + ".xml")}, at);
    ++f.kills;
    if (o.exited) {
      ++f.completed;
      INFO("push " << i << " exited with " << o.rc);
      CHECK(o.rc == 0);
      if (o.rc == 0) last_acked = i; else ++f.failures;
    } else {
      ++f.killed_running;
      if (o.tmp_left) ++f.killed_mid_write;
    }
    // cib.xml is exactly one of the pushed files, not older than the last acknowledged push.
    auto now = hactl::core::canonical_xml(hactl::test::slurp(cib));
    INFO("push " << i << " (seed " << seed << ")");
    REQUIRE(now);
    auto it = std::find(canon.begin(), canon.end(), *now);
    bool ok = it != canon.end() && static_cast<std::uint64_t>(it - canon.begin()) >= last_acked &&
              static_cast<std::uint64_t>(it - canon.begin()) <= i;
    if (!ok) ++f.failures;
    CHECK_MESSAGE(ok, "cib.xml is not push " << last_acked << ".." << i);
  }
  CHECK(temp_files(s).size() == f.killed_mid_write);
  CHECK(s.hactl("-f cib.xml cluster cib-push push-" + std::to_string(iterations - 1) + ".xml --force").rc == 0);
  report("cib-push", f, seed, median);
  CHECK(f.failures == 0);
  CHECK(f.killed_running > 0);
}
