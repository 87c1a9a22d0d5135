// The tutorial's configuration with `hactl -f`, checked by Pacemaker's own tools.
#include <doctest/doctest.h>

#include <vector>

#include "core/cib_document.h"
#include "test/cmd/cli_harness.h"
#include "test/cmd/offline_cib.h"

using hactl::test::Run;
using hactl::test::Scratch;

namespace {

const std::vector<std::string> kTutorial = {
    "cluster setup ClusterWeb httpd1 addr=127.0.0.11 httpd2 addr=127.0.0.12",
    "property set stonith-enabled=false",
    "property set no-quorum-policy=ignore",
    "resource defaults migration-threshold=1",
    "resource create IPClusterWeb ocf:heartbeat:IPaddr2 ip=192.168.5.150 cidr_netmask=32 op monitor interval=10s",
    "constraint location IPClusterWeb prefers httpd1=INFINITY",
    "resource create WebSite ocf:heartbeat:apache configfile=/etc/httpd/conf/httpd.conf "
    "statusurl=http://localhost/server-status op monitor interval=1min",
    "constraint colocation add IPClusterWeb with WebSite INFINITY",
    "constraint order IPClusterWeb then WebSite",
    "node standby httpd1",
    "node unstandby httpd1",
    "resource move-with-constraint WebSite httpd2",
    "resource clear WebSite",
};

void configure(const Scratch& s) {
  const std::string setup = "cluster setup ";
  for (const std::string& c : kTutorial) {
    Run r = c.rfind(setup, 0) == 0 ? hactl::test::setup_cib_file(s, c.substr(setup.size()), "cib.xml")
                                   : s.hactl("-f cib.xml " + c);
    INFO(c << "\n" << r.err);
    REQUIRE(r.rc == 0);
  }
}

}  // namespace

TEST_CASE("tutorial configuration is accepted by crm_verify and listed like pcs") {
  Scratch s;
  configure(s);
  Run conf = s.hactl("-f cib.xml config");
  CHECK(conf.rc == 0);
  CHECK(conf.out.find("IPClusterWeb") != std::string::npos);
  CHECK(conf.out.find("migration-threshold=1") != std::string::npos);
  if (!hactl::test::have("crm_verify")) {
    MESSAGE("crm_verify not installed: Pacemaker oracle checks skipped");
    return;
  }
  Run v = s.sh("crm_verify -x cib.xml -V");
  INFO(v.err);
  CHECK(v.rc == 0);
  if (!hactl::test::have("pcs")) {
    MESSAGE("pcs not installed: listing comparison skipped");
    return;
  }
  Run pcs_c = s.sh("pcs -f cib.xml constraint --full");
  Run our_c = s.hactl("-f cib.xml constraint");
  CHECK(pcs_c.rc == 0);
  CHECK(our_c.out == pcs_c.out);
  Run pcs_r = s.sh("pcs -f cib.xml resource config");
  Run our_r = s.hactl("-f cib.xml resource config");
  CHECK(our_r.out == pcs_r.out);
}

TEST_CASE("hactl writes the same CIB as pcs for the same commands") {
  if (!hactl::test::have("pcs") || !hactl::test::have("cibadmin")) {
    MESSAGE("pcs/cibadmin not installed: skipped");
    return;
  }
  Scratch s;
  REQUIRE(s.sh("cibadmin --empty > pcs.xml").rc == 0);
  REQUIRE(s.sh("cibadmin --empty > ours.xml").rc == 0);
  for (size_t i = 1; i < 9; ++i) {  // the commands pcs -f supports offline
    REQUIRE(s.sh("pcs -f pcs.xml " + kTutorial[i]).rc == 0);
    REQUIRE(s.hactl("-f ours.xml " + kTutorial[i]).rc == 0);
  }
  auto strip = [](std::string xml) {
    auto doc = hactl::core::CibDocument::parse(xml);
    REQUIRE(doc);
    doc->set_version({0, 0, 0});
    // hactl stamps a file's last change (time, tool); Pacemaker's file writes do not.
    for (const char* a : {"cib-last-written", "update-client", "update-origin", "update-user"}) doc->root()->DeleteAttribute(a);
    return *hactl::core::canonical_xml(doc->to_xml());
  };
  CHECK(strip(hactl::test::slurp(s.path("ours.xml"))) == strip(hactl::test::slurp(s.path("pcs.xml"))));
}

TEST_CASE("JSON listings parse and carry the ids") {
  Scratch s;
  configure(s);
  for (const char* cmd : {"constraint", "property", "resource config", "resource status", "config",
                          "resource agents ocf:heartbeat", "node attribute", "constraint ref WebSite"}) {
    Run r = s.hactl(std::string("-f cib.xml --output-as json ") + cmd);
    INFO(cmd << " " << r.err);
    CHECK(r.rc == 0);
    CHECK((r.out.front() == '{' || r.out.front() == '['));
  }
  Run c = s.hactl("-f cib.xml --output-format=json constraint");
  CHECK(c.out.find("\"constraint_id\": \"colocation-IPClusterWeb-WebSite-INFINITY\"") != std::string::npos);
}

TEST_CASE("pcs 0.9 forms are accepted with a one-line note") {
  Scratch s;
  configure(s);
  struct Legacy {
    const char* cmd;
    const char* modern;
  };
  for (Legacy l : {Legacy{"cluster standby httpd2", "node standby"}, Legacy{"cluster unstandby httpd2", "node unstandby"},
                   Legacy{"resource show", "resource status"}, Legacy{"property list", "property config"},
                   Legacy{"resource failcount reset WebSite", "resource cleanup"}}) {
    Run r = s.hactl(std::string("-f cib.xml ") + l.cmd);
    INFO(l.cmd << " " << r.err);
    CHECK(r.rc == 0);
    CHECK(r.err.find(l.modern) != std::string::npos);
  }
  Scratch fresh;
  Run setup = fresh.hactl("cluster setup --name Old n1 addr=10.0.0.1 n2 addr=10.0.0.2");
  CHECK(setup.rc == 0);
  CHECK(setup.err.find("cluster setup Old") != std::string::npos);
}
