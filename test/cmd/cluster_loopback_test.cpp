// Three real node agents on loopback (separate roots, 127.0.N.x): membership,
// failure detection, configuration replication, restart, and a node with the
// wrong key kept out. Every wait polls against a deadline.
#include <doctest/doctest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "test/cmd/cli_harness.h"

using hactl::test::Run;
using hactl::test::Scratch;

namespace {

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct Cluster {
  Scratch s;
  // A subnet and port of its own per cluster, so clusters of one test run
  // (and agents of a previous case still exiting) never share an address.
  static inline int instances = 0;
  int subnet = 10 + instances++;
  int port = 20000 + ::getpid() % 20000;
  int nodes;
  explicit Cluster(int n) : nodes(n) {
    std::string setup = "cluster setup Lab";
    for (int i = 1; i <= n; ++i)
      setup += " n" + std::to_string(i) + " addr=127.0." + std::to_string(subnet) + "." + std::to_string(i) + ":" +
               std::to_string(port);
    REQUIRE(on(1, setup).rc == 0);
    for (int i = 2; i <= n; ++i)
      REQUIRE(s.sh("mkdir -p r" + std::to_string(i) + "/etc && cp -a r1/etc/hactl r" + std::to_string(i) + "/etc/").rc == 0);
  }
  ~Cluster() {
    for (int i = 1; i <= nodes; ++i) kill9(i);
  }
  Run on(int i, const std::string& args) const {
    return s.sh("HACTL_ROOT=" + s.path("r" + std::to_string(i)) + " " + hactl::test::quote(HACTL_BINARY) + " " + args);
  }
  Run start(int i) const { return on(i, "cluster start --node=n" + std::to_string(i)); }
  int pid(int i) const { return std::atoi(hactl::test::slurp(s.path("r" + std::to_string(i) + "/run/hactl/hactl.pid")).c_str()); }
  void kill9(int i) const {
    int p = pid(i);
    if (p > 1) ::kill(p, SIGKILL);
    ::unlink(s.path("r" + std::to_string(i) + "/run/hactl/hactl.pid").c_str());
  }
  // Polls `hactl status` on node i until `text` appears (or disappears).
  bool wait_status(int i, const std::string& text, bool present, int64_t timeout_ms, int64_t* took = nullptr) const {
    int64_t t0 = now_ms();
    while (now_ms() - t0 < timeout_ms) {
      bool has = on(i, "status").out.find(text) != std::string::npos;
      if (has == present) {
        if (took) *took = now_ms() - t0;
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }
  bool wait_output(int i, const std::string& args, const std::string& text, int64_t timeout_ms) const {
    int64_t t0 = now_ms();
    while (now_ms() - t0 < timeout_ms) {
      if (on(i, args).out.find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }
};

}  // namespace

TEST_CASE("three agents: membership, replication, failure detection, restart") {
  Cluster c(3);
  for (int i = 1; i <= 3; ++i) REQUIRE(c.start(i).rc == 0);
  REQUIRE(c.wait_status(1, "Online: [ n1 n2 n3 ]", true, 5000));
  Run st = c.on(2, "status");
  CHECK(st.out.find("Current DC: n1 - partition with quorum") != std::string::npos);
  CHECK(c.on(3, "--output-as json cluster status").out.find("\"quorate\": true") != std::string::npos);

  // A change made on node 2 is visible on nodes 1 and 3; one made on the DC
  // itself is answered too.
  REQUIRE(c.on(2, "property set stonith-enabled=false").rc == 0);
  REQUIRE(c.on(1, "property set no-quorum-policy=ignore").rc == 0);
  REQUIRE(c.on(3, "resource create D ocf:pacemaker:Dummy").rc == 0);
  CHECK(c.wait_output(1, "property", "stonith-enabled: false", 3000));
  CHECK(c.wait_output(3, "property", "stonith-enabled: false", 3000));
  CHECK(c.wait_output(1, "resource config", "Resource: D", 3000));
  // A refused change is refused cluster-wide, with the same error as offline.
  Run dup = c.on(1, "resource create D ocf:pacemaker:Dummy");
  CHECK(dup.rc == 108);

  // kill -9 one agent: the others declare it lost within the failure timeout.
  int64_t killed = now_ms();
  c.kill9(3);
  int64_t took = 0;
  REQUIRE(c.wait_status(1, "OFFLINE: [ n3 ]", true, 5000, &took));
  int64_t detect = now_ms() - killed;
  MESSAGE("n3 declared lost after about " << detect << " ms (failure_timeout_ms = 700 in cluster.conf)");
  CHECK(detect < 3000);
  CHECK(c.wait_status(2, "OFFLINE: [ n3 ]", true, 2000));
  Run q = c.on(1, "status");
  CHECK(q.out.find("partition with quorum") != std::string::npos);  // 2 of 3 votes

  // Restart everything: nothing configured is lost.
  for (int i = 1; i <= 2; ++i) CHECK(c.on(i, "cluster stop").rc == 0);
  for (int i = 1; i <= 3; ++i) REQUIRE(c.start(i).rc == 0);
  REQUIRE(c.wait_status(3, "Online: [ n1 n2 n3 ]", true, 5000));
  CHECK(c.on(3, "property").out.find("stonith-enabled: false") != std::string::npos);
  CHECK(c.on(2, "resource config").out.find("Resource: D") != std::string::npos);

  // crm_node answers from the agent.
  std::string dir = std::string(HACTL_BINARY).substr(0, std::string(HACTL_BINARY).rfind('/'));
  Run l = c.s.sh("HACTL_ROOT=" + c.s.path("r2") + " " + dir + "/crm_node -l");
  CHECK(l.out == "1 n1 member\n2 n2 member\n3 n3 member\n");
  CHECK(c.s.sh("HACTL_ROOT=" + c.s.path("r2") + " " + dir + "/crm_node -n").out == "n2\n");
  CHECK(c.s.sh("HACTL_ROOT=" + c.s.path("r2") + " " + dir + "/crm_node -q").out == "1\n");

  // Only root (or haclient) may talk to the agent.
  if (hactl::test::have("setpriv")) {
    Run denied = c.s.sh("setpriv --reuid=65534 --regid=65534 --clear-groups env HACTL_ROOT=" + c.s.path("r1") + " " +
                        hactl::test::quote(HACTL_BINARY) + " status");
    CHECK(denied.rc != 0);
    CHECK(denied.err.find("Error:") == 0);
  }
  for (int i = 1; i <= 3; ++i) CHECK(c.on(i, "cluster stop").rc == 0);
}

TEST_CASE("a node with the wrong key is never admitted, and the others say why") {
  Cluster c(3);
  // n3 gets a key of its own.
  REQUIRE(c.s.sh("head -c 32 /dev/urandom > r3/etc/hactl/authkey").rc == 0);
  for (int i = 1; i <= 3; ++i) REQUIRE(c.start(i).rc == 0);
  REQUIRE(c.wait_status(1, "Online: [ n1 n2 ]", true, 5000));
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  Run st = c.on(1, "status");
  CHECK(st.out.find("OFFLINE: [ n3 ]") != std::string::npos);
  CHECK(c.on(3, "status").out.find("OFFLINE: [ n1 n2 ]") != std::string::npos);
  std::string log = hactl::test::slurp(c.s.path("r1/var/log/hactl/hactl.log"));
  CHECK(log.find("bad_auth") != std::string::npos);
  for (int i = 1; i <= 3; ++i) c.on(i, "cluster stop");
}
