// Clone commands on a CIB file (pcs 0.11 grammar): the "Clusters from Scratch"
// dlm clone and DRBD promotable clone with their Promoted constraints, the
// refusals (each leaving the file byte for byte as it was), unclone/delete,
// the pcs 0.9 forms, and, where installed, crm_verify and pcs as oracles.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/cib_document.h"
#include "test/cmd/cli_harness.h"

using hactl::test::have;
using hactl::test::Run;
using hactl::test::Scratch;
using hactl::test::slurp;

namespace {

// Agents a scratch root does not have are taken as written (--force), as a
// node without resource-agents would; the CIB is the same minus default ops.
const std::vector<std::string> kScratch = {
    "property set stonith-enabled=false",
    "resource create dlm ocf:pacemaker:controld op monitor interval=60s clone --force",
    "resource create WebData ocf:linbit:drbd drbd_resource=wwwdata op monitor interval=29s role=Promoted "
    "op monitor interval=31s role=Unpromoted promotable promoted-max=1 promoted-node-max=1 clone-max=2 "
    "clone-node-max=1 notify=true --force",
    "resource create WebFS ocf:heartbeat:Filesystem device=/dev/drbd1 directory=/var/www/html fstype=xfs --force",
    "resource create WebSite ocf:heartbeat:apache configfile=/etc/httpd/conf/httpd.conf op monitor interval=1min --force",
    "constraint colocation add WebFS with Promoted WebData-clone",
    "constraint order promote WebData-clone then start WebFS",
    "constraint colocation add WebSite with WebFS INFINITY",
    "constraint order WebFS then WebSite",
    "constraint location WebData-clone prefers n1",
    "resource create D ocf:pacemaker:Dummy",
    "resource clone D meta interleave=true",
    "resource create G1 ocf:pacemaker:Dummy --group G",
    "resource create G2 ocf:pacemaker:Dummy --group G",
    "resource clone G",
};

void configure(const Scratch& s) {
  for (const std::string& c : kScratch) {
    Run r = s.hactl("-f cib.xml " + c);
    INFO(c << "\n" << r.err);
    REQUIRE(r.rc == 0);
  }
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("Clusters from Scratch clones: the CIB holds the clones, their meta attributes and Promoted constraints") {
  Scratch s;
  configure(s);
  std::string xml = slurp(s.path("cib.xml"));
  CHECK(has(xml, "<clone id=\"dlm-clone\">"));
  CHECK(has(xml, "<clone id=\"WebData-clone\">"));
  CHECK(has(xml, "id=\"WebData-clone-meta_attributes-promotable\" name=\"promotable\" value=\"true\""));
  CHECK(has(xml, "id=\"WebData-clone-meta_attributes-promoted-max\""));
  CHECK(has(xml, "role=\"Promoted\""));
  CHECK(has(xml, "role=\"Unpromoted\""));
  CHECK(has(xml, "id=\"WebData-monitor-interval-29s\""));
  CHECK(has(xml, "id=\"WebData-monitor-interval-31s\""));
  CHECK(has(xml, "rsc-role=\"Started\" with-rsc-role=\"Promoted\""));
  CHECK(has(xml, "first-action=\"promote\" then-action=\"start\""));
  CHECK(has(xml, "<clone id=\"D-clone\">"));
  CHECK(has(xml, "id=\"D-clone-meta_attributes-interleave\""));
  CHECK(has(xml, "<clone id=\"G-clone\">"));
  Run list = s.hactl("-f cib.xml constraint");
  CHECK(has(list.out, "WebFS with WebData-clone (score:INFINITY) (rsc-role:Started) (with-rsc-role:Promoted)"));
  CHECK(has(list.out, "promote WebData-clone then start WebFS (kind:Mandatory)"));
  Run conf = s.hactl("-f cib.xml resource config WebData-clone");
  CHECK(conf.rc == 0);
  CHECK(conf.out.rfind("Clone: WebData-clone\n  Meta Attributes: WebData-clone-meta_attributes\n", 0) == 0);
  for (const char* cmd : {"resource status", "status", "resource config", "config", "--output-as json resource config"}) {
    Run r = s.hactl(std::string("-f cib.xml ") + cmd);
    INFO(cmd << " " << r.err);
    CHECK(r.rc == 0);
  }
}

TEST_CASE("clone meta updates, unclone and delete as pcs does them") {
  Scratch s;
  configure(s);
  REQUIRE(s.hactl("-f cib.xml resource update D-clone interleave=false notify=true").rc == 0);
  REQUIRE(s.hactl("-f cib.xml resource meta D-clone ordered=true").rc == 0);
  std::string xml = slurp(s.path("cib.xml"));
  CHECK(has(xml, "id=\"D-clone-meta_attributes-interleave\" name=\"interleave\" value=\"false\""));
  CHECK(has(xml, "id=\"D-clone-meta_attributes-notify\""));
  CHECK(has(xml, "id=\"D-clone-meta_attributes-ordered\""));
  // A constraint on the clone goes with it when it is uncloned.
  REQUIRE(s.hactl("-f cib.xml constraint location D-clone prefers n2").rc == 0);
  REQUIRE(s.hactl("-f cib.xml resource unclone D").rc == 0);
  xml = slurp(s.path("cib.xml"));
  CHECK_FALSE(has(xml, "D-clone"));
  CHECK(has(xml, "<primitive id=\"D\""));
  // Deleting the primitive of a clone removes the clone and its constraints.
  Run del = s.hactl("-f cib.xml resource delete WebData");
  CHECK(del.rc == 0);
  CHECK(has(del.err, "Removing Constraint - colocation-WebFS-WebData-clone-INFINITY"));
  CHECK(has(del.err, "Deleting Resource - WebData"));
  xml = slurp(s.path("cib.xml"));
  CHECK_FALSE(has(xml, "WebData"));
  Run del_clone = s.hactl("-f cib.xml resource delete dlm-clone");
  CHECK(del_clone.rc == 0);
  CHECK(has(del_clone.err, "Deleting Resource - dlm"));
  CHECK_FALSE(has(slurp(s.path("cib.xml")), "dlm"));
}

TEST_CASE("cloning a group member takes it out of the group, and constraints follow a cloned resource") {
  Scratch s;
  REQUIRE(s.hactl("-f cib.xml resource create A ocf:pacemaker:Dummy --group AG").rc == 0);
  REQUIRE(s.hactl("-f cib.xml resource create B ocf:pacemaker:Dummy --group AG").rc == 0);
  REQUIRE(s.hactl("-f cib.xml resource create C ocf:pacemaker:Dummy").rc == 0);
  REQUIRE(s.hactl("-f cib.xml constraint colocation add C with A").rc == 0);
  REQUIRE(s.hactl("-f cib.xml resource clone A").rc == 0);
  std::string xml = slurp(s.path("cib.xml"));
  CHECK(has(xml, "<clone id=\"A-clone\">"));
  CHECK(has(xml, "with-rsc=\"A-clone\""));
  CHECK(has(xml, "<group id=\"AG\">"));  // B is still in it
  REQUIRE(s.hactl("-f cib.xml resource clone B").rc == 0);
  CHECK_FALSE(has(slurp(s.path("cib.xml")), "<group"));  // its last member left
}

TEST_CASE("clone refusals leave the file unchanged") {
  Scratch s;
  configure(s);
  REQUIRE(s.hactl("-f cib.xml resource create K ocf:pacemaker:Dummy").rc == 0);
  REQUIRE(s.hactl("-f cib.xml resource create H1 ocf:pacemaker:Dummy --group HG").rc == 0);
  REQUIRE(s.hactl("-f cib.xml constraint location HG prefers n1").rc == 0);
  REQUIRE(s.hactl("-f cib.xml stonith create fx fence_xvm --force").rc == 0);
  struct Refusal {
    const char* cmd;
    const char* error;
  };
  for (Refusal r : {
           Refusal{"resource clone D-clone", "unable to find group or resource: D-clone"},
           Refusal{"resource clone D", "D is already a clone resource"},
           Refusal{"resource clone G", "cannot clone a group that has already been cloned"},
           Refusal{"resource clone G1", "G1 is already a clone resource"},
           Refusal{"resource clone fx", "No need to clone stonith resource 'fx'"},
           Refusal{"resource clone K D-clone", "id 'D-clone' already exists"},
           Refusal{"resource clone K bad:id", "invalid id 'bad:id'"},
           Refusal{"resource clone nope", "unable to find group or resource: nope"},
           Refusal{"resource clone K op monitor interval=5s", "op settings must be changed on base resource"},
           Refusal{"resource promotable K promotable=true", "you cannot specify both promotable option and promotable keyword"},
           Refusal{"resource clone H1", "cannot clone 'H1', the last member of group 'HG'"},
           Refusal{"resource create N ocf:pacemaker:Dummy clone --group X", "you can specify only one of clone, promotable, bundle or --group"},
           Refusal{"resource create N ocf:pacemaker:Dummy clone D-clone", "id 'D-clone' already exists"},
           Refusal{"resource unclone K", "'K' is not a clone resource"},
           Refusal{"resource unclone nope", "could not find resource: nope"},
           Refusal{"constraint location G1 prefers n1", "G1 is a clone resource, you should use the clone id: G-clone"},
           Refusal{"constraint colocation add K with D", "D is a clone resource, you should use the clone id: D-clone"},
       }) {
    std::string before = slurp(s.path("cib.xml"));
    Run run = s.hactl(std::string("-f cib.xml ") + r.cmd);
    INFO(r.cmd << "\n" << run.err);
    CHECK(run.rc != 0);
    CHECK(has(run.err, std::string("Error: ") + r.error));
    CHECK(slurp(s.path("cib.xml")) == before);
  }
}

TEST_CASE("pcs 0.9 master forms and role names are written as Pacemaker 2.1 writes them, with a note") {
  Scratch s;
  REQUIRE(s.hactl("-f cib.xml resource create WebData ocf:pacemaker:Dummy").rc == 0);
  Run m = s.hactl("-f cib.xml resource master WebDataClone WebData master-max=1 notify=true");
  CHECK(m.rc == 0);
  CHECK(has(m.err, "'resource master' is the old form of 'resource promotable'"));
  CHECK(has(m.err, "'master-max' is the old form of 'promoted-max'"));
  Run flag = s.hactl("-f cib.xml resource create W2 ocf:pacemaker:Dummy --master");
  CHECK(flag.rc == 0);
  CHECK(has(flag.err, "Deprecation Warning:"));
  Run word = s.hactl("-f cib.xml resource create W3 ocf:pacemaker:Dummy op monitor interval=15s role=Master master");
  CHECK(word.rc == 0);
  CHECK(has(word.err, "'Master' is the old form of 'Promoted'"));
  REQUIRE(s.hactl("-f cib.xml resource create F ocf:pacemaker:Dummy").rc == 0);
  Run col = s.hactl("-f cib.xml constraint colocation add F with Master WebDataClone");
  CHECK(col.rc == 0);
  CHECK(has(col.err, "'Master' is the old form of 'Promoted'"));
  std::string xml = slurp(s.path("cib.xml"));
  CHECK(has(xml, "<clone id=\"WebDataClone\">"));
  CHECK(has(xml, "name=\"promoted-max\" value=\"1\""));
  CHECK(has(xml, "<clone id=\"W2-clone\">"));
  CHECK(has(xml, "<clone id=\"W3-clone\">"));
  CHECK(has(xml, "interval=\"15s\" role=\"Promoted\""));
  CHECK(has(xml, "with-rsc-role=\"Promoted\""));
  CHECK_FALSE(has(xml, "<master"));
  CHECK_FALSE(has(xml, "\"Master\""));
  CHECK_FALSE(has(xml, "master-max"));
}

TEST_CASE("crm_verify accepts every CIB the clone commands write" * doctest::skip(!have("crm_verify"))) {
  Scratch s;
  for (const std::string& c : kScratch) {
    Run r = s.hactl("-f cib.xml " + c);
    REQUIRE(r.rc == 0);
    Run v = s.sh("crm_verify -x cib.xml");
    INFO(c << "\n" << v.err);
    CHECK(v.rc == 0);
  }
  for (const char* c : {"resource unclone G-clone", "resource promotable G", "resource delete WebData-clone",
                        "resource create M ocf:pacemaker:Dummy master", "resource unclone D-clone",
                        "resource master DM D"}) {
    REQUIRE(s.hactl(std::string("-f cib.xml ") + c).rc == 0);
    Run v = s.sh("crm_verify -x cib.xml");
    INFO(c << "\n" << v.err);
    CHECK(v.rc == 0);
  }
}

TEST_CASE("the clone commands write the same CIB as pcs" *
          doctest::skip(!have("pcs") || !have("cibadmin") || !have("test -x /usr/lib/ocf/resource.d/pacemaker/Stateful"))) {
  Scratch s;
  REQUIRE(s.sh("cibadmin --empty > pcs.xml && cibadmin --empty > ours.xml").rc == 0);
  const std::vector<std::string> cmds = {
      "resource create dlm ocf:pacemaker:controld op monitor interval=60s clone",
      "resource create St ocf:pacemaker:Stateful op monitor interval=29s role=Promoted op monitor interval=31s "
      "role=Unpromoted promotable promoted-max=1 notify=true",
      "resource create WebFS ocf:pacemaker:Dummy",
      "constraint colocation add WebFS with Promoted St-clone",
      "constraint order promote St-clone then start WebFS",
      "constraint location St-clone prefers n1",
      "resource create D ocf:pacemaker:Dummy",
      "resource clone D DC interleave=true",
      "resource update DC notify=true",
      "resource create G1 ocf:pacemaker:Dummy --group G",
      "resource create G2 ocf:pacemaker:Dummy --group G",
      "resource clone G1",
      "resource create P ocf:pacemaker:Stateful",
      "resource promotable P PG",
      "resource unclone DC",
      "resource delete dlm",
  };
  for (const std::string& c : cmds) {
    Run p = s.sh("pcs -f pcs.xml " + c);
    Run o = s.hactl("--root / -f ours.xml " + c);
    INFO(c << "\npcs: " << p.err << "\nhactl: " << o.err);
    REQUIRE(p.rc == 0);
    REQUIRE(o.rc == 0);
  }
  auto strip = [](std::string xml) {
    auto doc = hactl::core::CibDocument::parse(xml);
    REQUIRE(doc);
    doc->set_version({0, 0, 0});
    // hactl stamps a file's last change (time, tool); pcs's file writes do not.
    for (const char* a : {"cib-last-written", "update-client", "update-origin", "update-user"}) doc->root()->DeleteAttribute(a);
    return *hactl::core::canonical_xml(doc->to_xml());
  };
  CHECK(strip(slurp(s.path("ours.xml"))) == strip(slurp(s.path("pcs.xml"))));
  Run pc = s.sh("pcs -f ours.xml resource config");
  Run oc = s.hactl("-f ours.xml resource config");
  CHECK(oc.out == pc.out);
  Run pk = s.sh("pcs -f ours.xml constraint --full");
  Run ok = s.hactl("-f ours.xml constraint");
  CHECK(ok.out == pk.out);
}
