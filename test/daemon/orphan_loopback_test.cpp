// A resource deleted from the configuration while it runs is an orphan: the
// scheduler stops it where it is active, with the agent and parameters the
// node last ran it with (the CIB no longer has them). Real node agents on
// loopback; every wait polls against a deadline.
#include <doctest/doctest.h>

#include <filesystem>

#include "test/cmd/loopback_cluster.h"

namespace {

struct Cluster : hactl::test::Cluster {
  explicit Cluster(int n) : hactl::test::Cluster(n, 70) {}  // apart from the other loopback tests' subnets
};

bool exists(const std::string& path) { return std::filesystem::exists(path); }

}  // namespace

TEST_CASE("a running resource deleted from the configuration is stopped with the parameters it ran with") {
  Cluster c(2);
  for (int i = 1; i <= 2; ++i) REQUIRE(c.start(i).rc == 0);
  REQUIRE(c.wait_status(1, "Online: [ n1 n2 ]", 5000));
  REQUIRE(c.on(1, "property set stonith-enabled=false no-quorum-policy=ignore").rc == 0);
  // A state file where only its parameter says: a stop run without the
  // parameters it was started with would look for the default one instead.
  const std::string state = c.root(2) + "/var/lib/D-custom.state";
  REQUIRE(c.on(1, "resource create D ocf:pacemaker:Dummy state=" + state + " op monitor interval=1s").rc == 0);
  REQUIRE(c.on(1, "resource create Keep ocf:pacemaker:Dummy").rc == 0);
  REQUIRE(c.on(1, "constraint location D prefers n2=100").rc == 0);
  REQUIRE(c.on(1, "constraint location Keep prefers n2=100").rc == 0);
  REQUIRE(c.wait_for([&] { return exists(state); }, 10000));
  const std::string keep = c.root(2) + "/run/hactl/Dummy-Keep.state";
  REQUIRE(c.wait_for([&] { return exists(keep); }, 10000));

  REQUIRE(c.on(1, "resource delete D").rc == 0);
  int64_t took = 0;
  REQUIRE(c.wait_for([&] { return !exists(state); }, 10000, &took));
  MESSAGE("orphan stopped " << took << " ms after the delete");
  CHECK(c.wait_log(1, "Stop D n2 (node availability)", 5000));
  // Gone from the status once stopped; the configured resource is untouched.
  CHECK(c.wait_status(1, "D\t(", false, 5000));
  CHECK(exists(keep));
  CHECK(c.on(1, "status").out.find("Keep\t(ocf:pacemaker:Dummy):\t Started n2") != std::string::npos);
  for (int i = 1; i <= 2; ++i) c.on(i, "cluster stop");
}
