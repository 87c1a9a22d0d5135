// `cluster stop NODE` typed on another node stops the named node, and only it;
// an unknown name is an error that stops nothing.
#include <doctest/doctest.h>

#include <signal.h>

#include "test/cmd/loopback_cluster.h"

using hactl::test::Cluster;
using hactl::test::Run;

namespace {
bool alive(const Cluster& c, int i) {
  int pid = c.pid(i);
  return pid > 1 && ::kill(pid, 0) == 0;
}
}  // namespace

TEST_CASE("cluster stop NODE stops the named node, not this one; an unknown node is an error") {
  Cluster c(2);
  for (int i = 1; i <= 2; ++i) REQUIRE(c.start(i).rc == 0);
  REQUIRE(c.wait_status(1, "Online: [ n1 n2 ]", true, 5000));

  Run bad = c.on(1, "cluster stop nosuchnode");
  CHECK(bad.rc == 105);
  CHECK(bad.err.find("Error: node 'nosuchnode' is not in the cluster configuration") != std::string::npos);
  Run bad_start = c.on(1, "cluster start n2");  // another node's agent starts only there
  CHECK(bad_start.rc != 0);
  CHECK(bad_start.err.rfind("Error: ", 0) == 0);
  CHECK(alive(c, 1));
  CHECK(alive(c, 2));

  int n2 = c.pid(2);
  Run stop = c.on(1, "cluster stop n2");
  INFO(stop.err);
  CHECK(stop.rc == 0);
  CHECK(c.wait_for([&] { return ::kill(n2, 0) != 0; }, 10000));
  CHECK(alive(c, 1));
  CHECK(c.wait_status(1, "OFFLINE: [ n2 ]", true, 5000));

  // Naming this node stops it, as a plain `cluster stop` does.
  int n1 = c.pid(1);
  CHECK(c.on(1, "cluster stop n1").rc == 0);
  CHECK(c.wait_for([&] { return ::kill(n1, 0) != 0; }, 10000));
}
