// IPaddr2 (built-in and resource-agents' script, one contract) in network
// namespaces the test creates and deletes: node namespace A holds the agent's
// interface, peer namespace B learns the address from gratuitous ARP.
// Nothing is configured in the root namespace. Skipped unless root with netns.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include "agents/executor_loop.h"
#include "agents_test_util.h"

using namespace hactl::agents;

namespace {

std::string sh(const std::string& cmd) {
  SpawnRequest r;
  r.argv = {"/bin/sh", "-c", cmd};
  r.env = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin"};
  r.timeout_ms = 10000;
  auto o = run_process_sync(r);
  return o.end == ProcessOutcome::End::exited && o.exit_code == 0 ? o.out : "FAILED: " + o.err;
}

// Two namespaces joined by a veth pair; removed (with everything in them) at the end.
struct NetnsPair {
  std::string a, b;
  bool ok = false;
  NetnsPair() {
    std::string base = "hactl-t-" + std::to_string(::getpid());
    a = base + "-a";
    b = base + "-b";
    if (::geteuid() != 0) return;
    std::string out = sh("ip netns add " + a + " && ip netns add " + b + " && ip -n " + a +
                         " link add v0 type veth peer name v1 netns " + b + " && ip -n " + a +
                         " addr add 10.213.77.1/24 dev v0 && ip -n " + b + " addr add 10.213.77.2/24 dev v1 && ip -n " +
                         a + " link set v0 up && ip -n " + b + " link set v1 up && ip -n " + a +
                         " link set lo up && ip netns exec " + b + " sysctl -qw net.ipv4.conf.all.arp_accept=1" +
                         " && ip netns exec " + b + " sysctl -qw net.ipv4.conf.v1.arp_accept=1");
    ok = !out.starts_with("FAILED");
    if (!ok) MESSAGE("netns setup failed: " << out);
  }
  ~NetnsPair() { sh("ip netns del " + a + " 2>/dev/null; ip netns del " + b + " 2>/dev/null; true"); }
};

// Runs `fn` with this (single-threaded) process inside namespace `name`; forked
// agents inherit it.
template <typename Fn>
auto in_netns(const std::string& name, Fn fn) {
  int self = ::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  int target = ::open(("/run/netns/" + name).c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(self >= 0);
  REQUIRE(target >= 0);
  REQUIRE(::setns(target, CLONE_NEWNET) == 0);
  auto result = fn();
  REQUIRE(::setns(self, CLONE_NEWNET) == 0);
  ::close(self);
  ::close(target);
  return result;
}

ActionResult act(const std::string& ns, const std::string& action, bool builtin) {
  return in_netns(ns, [&] {
    AgentCatalog cat("/");
    ActionRequest r;
    r.rsc = "vip";
    r.agent = {"ocf", "heartbeat", "IPaddr2"};
    r.action = action;
    r.timeout_ms = 20000;
    r.params = {{"ip", "10.213.77.100"}, {"cidr_netmask", "24"}, {"arp_count", "3"}, {"arp_interval", "50"}};
    r.meta = {{"hactl-builtin", builtin ? "true" : "false"}};
    return run_action_sync(cat, r);
  });
}

void contract(bool builtin) {
  NetnsPair net;
  if (!net.ok) {
    MESSAGE("skipping: needs root and network namespaces");
    return;
  }
  CHECK(act(net.a, "monitor", builtin).rc == OcfRc::not_running);
  auto start = act(net.a, "start", builtin);
  REQUIRE_MESSAGE(start.ok(), start.output << start.errors);
  CHECK(start.builtin == builtin);
  std::string mac = sh("ip -n " + net.a + " -o link show v0 | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2");
  CHECK(sh("ip -n " + net.a + " -o -4 addr show dev v0").find("10.213.77.100/24") != std::string::npos);
  CHECK(sh("ip -o -4 addr show").find("10.213.77.100") == std::string::npos);  // not in the root namespace
  // The peer learned the address's owner from unsolicited ARP alone (it never asked).
  std::string neigh;
  for (int i = 0; i < 100 && neigh.find(mac.substr(0, 17)) == std::string::npos; ++i) {
    neigh = sh("ip -n " + net.b + " neigh show 10.213.77.100");
    ::usleep(20000);
  }
  CHECK_MESSAGE(neigh.find(mac.substr(0, 17)) != std::string::npos, "peer neighbour table: " << neigh);
  CHECK(act(net.a, "monitor", builtin).rc == OcfRc::ok);
  CHECK(act(net.a, "start", builtin).ok());  // idempotent
  sh("ip -n " + net.a + " addr del 10.213.77.100/24 dev v0");  // behind the agent's back
  CHECK(act(net.a, "monitor", builtin).rc == OcfRc::not_running);
  CHECK(act(net.a, "stop", builtin).ok());  // idempotent on an absent address
  CHECK(act(net.a, "start", builtin).ok());
  CHECK(act(net.a, "stop", builtin).ok());
  CHECK(act(net.a, "monitor", builtin).rc == OcfRc::not_running);
  CHECK(sh("ip -n " + net.a + " -o -4 addr show").find("10.213.77.100") == std::string::npos);
}

}  // namespace

TEST_CASE("netns: built-in IPaddr2 adds, announces, monitors and removes the address") { contract(true); }

TEST_CASE("netns: resource-agents' IPaddr2 script passes the same contract") {
  if (AgentCatalog("/").on_disk_path({"ocf", "heartbeat", "IPaddr2"}).empty()) {
    MESSAGE("resource-agents IPaddr2 not installed: skipping");
    return;
  }
  contract(false);
}
