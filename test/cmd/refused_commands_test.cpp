// Every bad input: "Error: ..." on stderr, a Pacemaker-style exit code, and the
// CIB file byte for byte unchanged.
#include <doctest/doctest.h>

#include "test/cmd/cli_harness.h"
#include "test/cmd/offline_cib.h"

using hactl::test::Run;
using hactl::test::Scratch;

TEST_CASE("refused commands leave the CIB untouched") {
  Scratch s;
  REQUIRE(hactl::test::setup_cib_file(s, "W n1 addr=10.0.0.1 n2 addr=10.0.0.2", "cib.xml").rc == 0);
  for (const char* c : {"property set stonith-enabled=false", "resource create A ocf:pacemaker:Dummy",
                        "resource create B ocf:pacemaker:Dummy"})
    REQUIRE(s.hactl(std::string("-f cib.xml ") + c).rc == 0);
  std::string before = hactl::test::slurp(s.path("cib.xml"));
  struct Bad {
    const char* args;
    int rc;
  };
  for (Bad b : {Bad{"resource create A ocf:pacemaker:Dummy", 108},
                Bad{"resource create C ocf:heartbeat:NoSuchAgent", 5},
                Bad{"resource create V ocf:heartbeat:IPaddr2", 2},
                Bad{"resource create V ocf:heartbeat:IPaddr2 ip=10.0.0.9 bogus=1", 2},
                Bad{"resource delete Ghost", 105},
                Bad{"resource update Ghost x=1", 105},
                Bad{"resource meta Ghost a=b", 105},
                Bad{"resource op add A monitor interval=abc", 2},
                Bad{"constraint location Ghost prefers n1", 105},
                Bad{"constraint location A prefers n1=lots", 2},
                Bad{"constraint colocation add A with Ghost", 105},
                Bad{"constraint colocation add A with A", 2},
                Bad{"constraint order A then Ghost", 105},
                Bad{"constraint order A then B kind=Sometimes", 2},
                Bad{"constraint remove no-such-id", 105},
                Bad{"property set no-such-property=1", 2},
                Bad{"property set stonith-enabled=maybe", 2},
                Bad{"property set no-quorum-policy=bogus", 2},
                Bad{"property set cluster-recheck-interval=soon", 2},
                Bad{"node standby n9", 105},
                Bad{"resource group add G Ghost", 105},
                Bad{"resource clear Ghost", 105},
                Bad{"resource ban A", 7},
                Bad{"resource create D ocf:pacemaker:Dummy bundle B", 3},
                Bad{"nonsense", 64}}) {
    Run r = s.hactl(std::string("-f cib.xml ") + b.args);
    INFO(b.args << "\nstderr: " << r.err);
    CHECK(r.rc == b.rc);
    CHECK(r.err.rfind("Error: ", 0) == 0);
    CHECK(hactl::test::slurp(s.path("cib.xml")) == before);
  }
}

TEST_CASE("cib-push refuses malformed or invalid files and old versions") {
  Scratch s;
  REQUIRE(s.hactl("-f cib.xml resource create A ocf:pacemaker:Dummy").rc == 0);
  std::string before = hactl::test::slurp(s.path("cib.xml"));
  std::ofstream(s.path("broken.xml")) << "<cib><configuration><resources>";
  std::ofstream(s.path("dangling.xml"))
      << "<cib epoch=\"99\"><configuration><crm_config/><nodes/><resources/><constraints>"
         "<rsc_location id=\"l\" rsc=\"ghost\" node=\"n1\" score=\"10\"/></constraints></configuration><status/></cib>";
  std::ofstream(s.path("old.xml"))
      << "<cib epoch=\"0\" num_updates=\"0\" admin_epoch=\"0\"><configuration><crm_config/><nodes/><resources/>"
         "<constraints/></configuration><status/></cib>";
  CHECK(s.hactl("-f cib.xml cluster cib-push broken.xml").rc == 65);
  Run d = s.hactl("-f cib.xml cluster cib-push dangling.xml");
  CHECK(d.rc == 78);
  CHECK(d.err.find("ghost") != std::string::npos);
  CHECK(s.hactl("-f cib.xml cluster cib-push old.xml").rc == 103);
  CHECK(s.hactl("-f cib.xml cluster cib-push missing.xml").rc == 66);
  CHECK(hactl::test::slurp(s.path("cib.xml")) == before);
  // --config replaces only the configuration and moves the version forward.
  CHECK(s.hactl("-f cib.xml cluster cib-push old.xml --config").rc == 0);
  CHECK(hactl::test::slurp(s.path("cib.xml")).find("id=\"A\"") == std::string::npos);
}

TEST_CASE("forced overrides are warnings") {
  Scratch s;
  CHECK(s.hactl("-f cib.xml property set no-such-property=1 --force").rc == 0);
  Run r = s.hactl("-f cib.xml resource create V ocf:heartbeat:IPaddr2 --force");
  CHECK(r.rc == 0);
  CHECK(r.err.find("Warning: required resource option 'ip' is missing") != std::string::npos);
}
