// Small inputs that used to be silently accepted or misread: each now gives
// "Error: ...", a Pacemaker exit code, and changes nothing.
#include <doctest/doctest.h>

#include "test/cmd/cli_harness.h"
#include "test/cmd/offline_cib.h"

using hactl::test::Run;
using hactl::test::Scratch;

TEST_CASE("small refusals: bad port, unknown nodes, empty option values, unknown subcommands") {
  Scratch s;
  REQUIRE(hactl::test::setup_cib_file(s, "W n1 addr=10.0.0.1 n2 addr=10.0.0.2", "cib.xml").rc == 0);
  REQUIRE(s.hactl("-f cib.xml resource create A ocf:pacemaker:Dummy").rc == 0);
  std::string before = hactl::test::slurp(s.path("cib.xml"));
  struct Bad {
    const char* args;
    int rc;
    const char* says;
  };
  for (Bad b : {Bad{"cluster setup X n1 addr=127.0.0.1:99999", 2, "'99999' is not a port number"},
                Bad{"cluster setup X n1 addr=127.0.0.1:0", 2, "'0' is not a port number"},
                Bad{"cluster setup X n1 addr=127.0.0.1:54x", 2, "'54x' is not a port number"},
                Bad{"cluster setup X n1 addr=127.0.0.1:", 2, "is not a port number"},
                Bad{"constraint location A prefers n9", 105, "Node 'n9' does not appear to exist in configuration"},
                Bad{"constraint location A avoids n1 n9=50", 105, "Node 'n9' does not appear to exist in configuration"},
                Bad{"constraint location add L A n9 10", 105, "Node 'n9' does not appear to exist in configuration"},
                Bad{"resource move-with-constraint A n9", 105, "Node 'n9' does not appear to exist in configuration"},
                Bad{"resource ban A n9", 105, "Node 'n9' does not appear to exist in configuration"},
                Bad{"resource create B ocf:pacemaker:Dummy --group ''", 64, "'--group' needs a non-empty value"},
                Bad{"resource create B ocf:pacemaker:Dummy --group=", 64, "'--group' needs a non-empty value"},
                Bad{"resource create B ocf:pacemaker:Dummy group ''", 64, "group needs a group id"},
                Bad{"status bogus", 64, "unknown status command 'bogus'"},
                Bad{"property describe nonexist", 2, "invalid cluster property: 'nonexist'"}}) {
    // setup acts on the node (-f is refused for it): its refusals are checked there.
    const bool setup = std::string(b.args).rfind("cluster setup", 0) == 0;
    Run r = s.hactl(std::string(setup ? "" : "-f cib.xml ") + b.args);
    INFO(b.args << "\nstderr: " << r.err);
    CHECK(r.rc == b.rc);
    CHECK(r.err.rfind("Error: ", 0) == 0);
    CHECK(r.err.find(b.says) != std::string::npos);
    CHECK(hactl::test::slurp(s.path("cib.xml")) == before);
  }
  CHECK_FALSE(hactl::test::have("test -e " + s.path("root/etc/hactl/cluster.conf")));
}

TEST_CASE("small refusals: what pcs allows stays allowed") {
  Scratch s;
  REQUIRE(hactl::test::setup_cib_file(s, "W n1 addr=10.0.0.1 n2 addr=10.0.0.2", "cib.xml").rc == 0);
  REQUIRE(s.hactl("-f cib.xml resource create A ocf:pacemaker:Dummy").rc == 0);
  // --force names a node that is not (yet) configured, as pcs allows.
  CHECK(s.hactl("-f cib.xml constraint location A prefers n9 --force").rc == 0);
  CHECK(s.hactl("-f cib.xml resource ban A n9 --force").rc == 0);
  CHECK(s.hactl("-f cib.xml constraint").out.find("cli-ban-A-on-n9") != std::string::npos);
  // Known nodes, a valid port, the status and describe forms that exist.
  CHECK(s.hactl("-f cib.xml constraint location A prefers n2=50").rc == 0);
  CHECK(s.hactl("-f cib.xml resource move-with-constraint A n1").rc == 0);
  CHECK(hactl::test::setup_cib_file(s, "X n1 addr=127.0.0.1:65535", "new.xml").rc == 0);
  CHECK(s.hactl("-f cib.xml status resources").rc == 0);
  CHECK(s.hactl("-f cib.xml property describe no-quorum-policy").rc == 0);
  // A CIB that lists no node at all (a new -f file) cannot tell: pcs -f skips the check too.
  REQUIRE(s.hactl("-f bare.xml resource create B ocf:pacemaker:Dummy").rc == 0);
  CHECK(s.hactl("-f bare.xml constraint location B prefers anywhere").rc == 0);
}
