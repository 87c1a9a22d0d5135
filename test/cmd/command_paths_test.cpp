// The happy path of every configuration command, checked through the listings.
#include <doctest/doctest.h>

#include "test/cmd/cli_harness.h"
#include "test/cmd/offline_cib.h"

using hactl::test::Run;
using hactl::test::Scratch;

namespace {
Run ok(const Scratch& s, const std::string& args) {
  const std::string setup = "cluster setup ";
  Run r = args.rfind(setup, 0) == 0 ? hactl::test::setup_cib_file(s, args.substr(setup.size()), "cib.xml")
                                    : s.hactl("-f cib.xml " + args);
  INFO(args << "\n" << r.err);
  REQUIRE(r.rc == 0);
  return r;
}
bool has(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }
}  // namespace

TEST_CASE("resource commands") {
  Scratch s;
  ok(s, "cluster setup W n1 addr=10.0.0.1 n2 addr=10.0.0.2");
  ok(s, "resource create A ocf:pacemaker:Dummy op monitor interval=20s meta resource-stickiness=50");
  ok(s, "resource create B ocf:pacemaker:Dummy --group G");
  ok(s, "resource create C ocf:pacemaker:Dummy --group G --before B");
  Run cfg = ok(s, "resource config G");
  CHECK(cfg.out.find("Resource: C") < cfg.out.find("Resource: B"));
  ok(s, "resource update A fake=x");
  ok(s, "resource meta A target-role=Stopped");
  CHECK(has(ok(s, "resource config A").out, "target-role=Stopped"));
  CHECK(has(ok(s, "resource status").out, "Stopped (disabled)"));
  ok(s, "resource enable A");
  CHECK_FALSE(has(ok(s, "resource config A").out, "target-role"));
  ok(s, "resource disable A");
  CHECK(has(ok(s, "resource config A").out, "target-role=Stopped"));
  ok(s, "resource op add A monitor interval=30s timeout=15s");
  CHECK(has(ok(s, "resource config A").out, "A-monitor-interval-30s"));
  ok(s, "resource op remove A-monitor-interval-30s");
  CHECK_FALSE(has(ok(s, "resource config A").out, "A-monitor-interval-30s"));
  ok(s, "resource op remove A monitor interval=20s");
  CHECK_FALSE(has(ok(s, "resource config A").out, "A-monitor-interval-20s"));
  ok(s, "resource op defaults update timeout=45s");
  CHECK(has(ok(s, "resource op defaults").out, "timeout=45s"));
  ok(s, "resource defaults update resource-stickiness=10");
  CHECK(has(ok(s, "resource defaults").out, "resource-stickiness=10"));
  ok(s, "resource group add G A --after B");
  Run g = ok(s, "resource config G");
  CHECK(g.out.find("Resource: B") < g.out.find("Resource: A"));
  ok(s, "resource group remove G A");
  CHECK(has(ok(s, "resource status").out, "* A\t"));
  ok(s, "resource ban A n1");
  CHECK(has(ok(s, "constraint").out, "cli-ban-A-on-n1"));
  ok(s, "resource move-with-constraint A n2");
  Run c = ok(s, "constraint");
  CHECK(has(c.out, "cli-prefer-A"));
  CHECK(has(c.out, "(role:Started)"));
  ok(s, "resource clear A");
  CHECK_FALSE(has(ok(s, "constraint").out, "cli-"));
  ok(s, "resource delete G");
  CHECK_FALSE(has(ok(s, "resource config").out, "Resource: B"));
  CHECK(has(ok(s, "resource standards").out, "ocf"));
  CHECK(has(ok(s, "resource providers").out, "heartbeat"));
  CHECK(has(ok(s, "resource agents ocf:heartbeat").out, "IPaddr2"));
  Run d = ok(s, "resource describe ocf:heartbeat:IPaddr2");
  CHECK(has(d.out, "ip (required)"));
  CHECK(has(ok(s, "resource failcount show").out, "No failcounts"));
}

TEST_CASE("constraint, property and node commands") {
  Scratch s;
  ok(s, "cluster setup W n1 addr=10.0.0.1 n2 addr=10.0.0.2");
  ok(s, "resource create A ocf:pacemaker:Dummy");
  ok(s, "resource create B ocf:pacemaker:Dummy");
  ok(s, "constraint location A avoids n2=200 resource-discovery=never");
  ok(s, "constraint location add myloc B n1 50");
  ok(s, "constraint colocation add Started A with Started B -INFINITY id=apart");
  ok(s, "constraint order stop A then stop B kind=Optional symmetrical=false");
  Run c = ok(s, "constraint");
  CHECK(has(c.out, "Node: n2 (score:-200)"));
  CHECK(has(c.out, "(id:myloc)"));
  CHECK(has(c.out, "A with B (score:-INFINITY) (rsc-role:Started) (with-rsc-role:Started) (id:apart)"));
  CHECK(has(c.out, "stop A then stop B (kind:Optional) (non-symmetrical) (id:order-A-B-Optional)"));
  CHECK(has(ok(s, "constraint ref A").out, "apart"));
  ok(s, "constraint remove apart myloc");
  CHECK_FALSE(has(ok(s, "constraint").out, "apart"));
  ok(s, "constraint location remove location-A-n2--200");
  ok(s, "constraint colocation add A with B 100");
  ok(s, "constraint colocation remove A B");
  CHECK_FALSE(has(ok(s, "constraint colocation").out, "A with B"));

  ok(s, "property set maintenance-mode=true batch-limit=5 cluster-recheck-interval=2min");
  Run p = ok(s, "property");
  CHECK(has(p.out, " batch-limit: 5"));
  ok(s, "property unset batch-limit");
  CHECK_FALSE(has(ok(s, "property config").out, "batch-limit"));
  ok(s, "property set maintenance-mode=");
  CHECK_FALSE(has(ok(s, "property config").out, "maintenance-mode"));
  CHECK(has(ok(s, "property config --all").out, " symmetric-cluster: true"));
  CHECK(has(ok(s, "property describe no-quorum-policy").out, "'freeze'"));

  ok(s, "node standby n1");
  ok(s, "node maintenance --all");
  ok(s, "node attribute n2 rack=r1");
  Run a = ok(s, "node attribute");
  CHECK(has(a.out, "n1: maintenance=on standby=on"));
  CHECK(has(a.out, "rack=r1"));
  ok(s, "node unstandby n1");
  ok(s, "node unmaintenance --all");
  ok(s, "node attribute n2 rack=");
  CHECK_FALSE(has(ok(s, "node attribute").out, "n1:"));
}

TEST_CASE("cluster cib and verify") {
  Scratch s;
  ok(s, "cluster setup W n1 addr=10.0.0.1 n2 addr=10.0.0.2");
  ok(s, "cluster cib copy.xml");
  CHECK(has(hactl::test::slurp(s.path("copy.xml")), "<cib"));
  CHECK(has(ok(s, "cluster cib scope=nodes").out, "uname=\"n2\""));
  // Without -f setup configures the node itself: cluster.conf, the key and the node's CIB.
  REQUIRE(s.hactl("cluster setup W n1 addr=10.0.0.1 n2 addr=10.0.0.2").rc == 0);
  CHECK(has(hactl::test::slurp(s.path("root/etc/hactl/cluster.conf")), "node 2 n2 addr=10.0.0.2"));
  CHECK(has(hactl::test::slurp(s.path("root/var/lib/hactl/cib.xml")), "uname=\"n2\""));
  Run v = s.hactl("-f cib.xml cluster verify");
  CHECK(v.rc == 78);
  ok(s, "property set stonith-enabled=false");
  CHECK(s.hactl("-f cib.xml cluster verify").rc == 0);
  CHECK(s.sh("stat -c %a root/etc/hactl/authkey").out == "400\n");
  CHECK(s.sh("stat -c %s root/etc/hactl/authkey").out == "32\n");
  Run again = s.hactl("cluster setup W n1 addr=10.0.0.1");
  CHECK(again.rc == 108);  // already set up
  CHECK(s.hactl("cluster destroy --force").rc == 0);
  CHECK_FALSE(hactl::test::have("test -e " + s.path("root/etc/hactl/authkey")));
}
