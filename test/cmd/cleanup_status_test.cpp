// Right after `resource cleanup`, a resource that runs and never failed keeps
// its last known state in status (it is not shown Stopped until a probe
// answers): cleanup forgets only what failed, as crm_resource --cleanup does;
// refresh forgets everything and re-probes.
#include <doctest/doctest.h>

#include "test/cmd/loopback_cluster.h"

using hactl::test::Cluster;
using hactl::test::Run;

TEST_CASE("resource cleanup: running resources never show as Stopped while the cluster re-probes") {
  Cluster c(2);
  for (int i = 1; i <= 2; ++i) REQUIRE(c.start(i).rc == 0);
  REQUIRE(c.wait_status(1, "Online: [ n1 n2 ]", true, 5000));
  REQUIRE(c.on(1, "property set stonith-enabled=false").rc == 0);
  REQUIRE(c.on(1, "resource create D ocf:pacemaker:Dummy").rc == 0);
  REQUIRE(c.on(1, "resource create E ocf:pacemaker:Dummy").rc == 0);
  REQUIRE(c.wait_status(1, "D\t(ocf:pacemaker:Dummy):\t Started", 10000));
  REQUIRE(c.wait_status(1, "E\t(ocf:pacemaker:Dummy):\t Started", 10000));

  for (const char* cmd : {"resource cleanup D", "resource cleanup"}) {
    INFO(std::string(cmd));
    // The status read in the same breath as the cleanup, on the node that asked and on the DC.
    const std::string h = hactl::test::quote(HACTL_BINARY);
    Run r = c.s.sh("export HACTL_ROOT=" + c.root(2) + "; " + h + " " + cmd + " && " + h + " status && " + h +
                   " status && HACTL_ROOT=" + c.root(1) + " " + h + " status");
    REQUIRE(r.rc == 0);
    CHECK(r.out.find("Stopped") == std::string::npos);
    int stopped = 0;
    for (int k = 0; k < 10; ++k)
      if (c.on(1, "status").out.find("Stopped") != std::string::npos) ++stopped;
    CHECK(stopped == 0);
  }
  // refresh re-probes and ends where it was.
  REQUIRE(c.on(2, "resource refresh D").rc == 0);
  CHECK(c.wait_status(1, "D\t(ocf:pacemaker:Dummy):\t Started", 10000));
}
