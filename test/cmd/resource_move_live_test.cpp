// pcs 0.11's `resource move`: on a running cluster the constraint that moves
// the resource is removed once the move has happened; `move-with-constraint`
// keeps it; on a CIB file, where no move can be seen, `move` is refused as pcs -f refuses it.
#include <doctest/doctest.h>

#include "test/cmd/loopback_cluster.h"
#include "test/cmd/offline_cib.h"

using hactl::test::Cluster;
using hactl::test::Run;
using hactl::test::Scratch;

namespace {
bool has(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }
// "n1" or "n2": where D runs, from the resource status line.
std::string where(const Cluster& c) {
  std::string out = c.on(1, "status").out;
  for (const char* n : {"n1", "n2"})
    if (has(out, std::string("D\t(ocf:pacemaker:Dummy):\t Started ") + n + "\n")) return n;
  return "";
}
}  // namespace

TEST_CASE("resource move removes its constraint once moved; move-with-constraint keeps it") {
  Cluster c(2);
  for (int i = 1; i <= 2; ++i) REQUIRE(c.start(i).rc == 0);
  REQUIRE(c.wait_status(1, "Online: [ n1 n2 ]", true, 5000));
  REQUIRE(c.on(1, "property set stonith-enabled=false").rc == 0);
  REQUIRE(c.on(1, "resource create D ocf:pacemaker:Dummy meta resource-stickiness=100").rc == 0);
  REQUIRE(c.wait_for([&] { return !where(c).empty(); }, 10000));

  std::string from = where(c), to = from == "n1" ? "n2" : "n1";
  Run mv = c.on(2, "resource move D");
  INFO(mv.err);
  CHECK(mv.rc == 0);
  CHECK(where(c) == to);
  CHECK_FALSE(has(c.on(1, "constraint").out, "cli-"));
  CHECK(has(mv.err, "is running on node '" + to + "'"));

  Run keep = c.on(1, "resource move-with-constraint D " + from);
  CHECK(keep.rc == 0);
  CHECK(c.wait_for([&] { return where(c) == from; }, 10000));
  CHECK(has(c.on(1, "constraint").out, "cli-prefer-D"));
}

TEST_CASE("resource move on a CIB file is refused as pcs -f refuses it; move-with-constraint works there") {
  Scratch s;
  REQUIRE(hactl::test::setup_cib_file(s, "W n1 addr=10.0.0.1 n2 addr=10.0.0.2", "cib.xml").rc == 0);
  REQUIRE(s.hactl("-f cib.xml resource create A ocf:pacemaker:Dummy").rc == 0);
  const std::string before = hactl::test::slurp(s.path("cib.xml"));
  Run r = s.hactl("-f cib.xml resource move A n2");
  CHECK(r.rc == 64);
  CHECK(r.err.rfind("Error: Specified option '-f'", 0) == 0);
  CHECK(hactl::test::slurp(s.path("cib.xml")) == before);
  CHECK(s.hactl("-f cib.xml resource move-with-constraint A n2").rc == 0);
  CHECK(has(s.hactl("-f cib.xml constraint").out, "cli-prefer-A"));
}
