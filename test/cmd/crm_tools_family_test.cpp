// crm_resource, crm_attribute, attrd_updater, crm_node, stonith_admin and the
// corosync-* personalities: offline on a CIB file (texts as Pacemaker 2.1.5's
// tools print them for the same file) and live on a two-node loopback cluster,
// then Debian's ha_cluster_exporter and crmsh pointed at them when installed.
#include <fstream>

#include <doctest/doctest.h>

#include "test/cmd/loopback_cluster.h"

using hactl::test::Cluster;
using hactl::test::Run;
using hactl::test::Scratch;

namespace {

Run tool_on(const Cluster& c, int node, const std::string& tool, const std::string& args) {
  return c.s.sh("HACTL_ROOT=" + c.root(node) + " " + hactl::test::quote(Scratch::tool_path(tool)) + " " + args);
}
bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

const char* kCib = R"(<cib crm_feature_set="3.16.2" validate-with="pacemaker-3.7" epoch="5" num_updates="0" admin_epoch="0" have-quorum="1" dc-uuid="1">
  <configuration>
    <crm_config><cluster_property_set id="cib-bootstrap-options"><nvpair id="o1" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>
    <nodes><node id="1" uname="n1"><instance_attributes id="nodes-1"><nvpair id="nodes-1-foo" name="foo" value="bar"/></instance_attributes></node><node id="2" uname="n2"/></nodes>
    <resources><primitive id="D" class="ocf" provider="pacemaker" type="Dummy"><instance_attributes id="D-instance_attributes"><nvpair id="D-instance_attributes-fake" name="fake" value="x"/></instance_attributes></primitive>
    <group id="G"><primitive id="G1" class="ocf" provider="pacemaker" type="Dummy"/></group></resources>
    <constraints/>
  </configuration>
  <status>
    <node_state id="1" uname="n1" in_ccm="true" crmd="online" join="member" expected="member"><transient_attributes id="1"><instance_attributes id="status-1"><nvpair id="status-1-t" name="t" value="9"/></instance_attributes></transient_attributes>
    <lrm id="1"><lrm_resources><lrm_resource id="D" type="Dummy" class="ocf" provider="pacemaker"><lrm_rsc_op id="D_last_0" operation_key="D_start_0" operation="start" crm-debug-origin="x" crm_feature_set="3.16.2" transition-key="1:1:0:a" transition-magic="0:0;1:1:0:a" call-id="3" rc-code="0" op-status="0" interval="0" last-rc-change="1700000000" exec-time="1" queue-time="0" op-digest="x"/></lrm_resource></lrm_resources></lrm></node_state>
    <node_state id="2" uname="n2" in_ccm="true" crmd="online" join="member" expected="member"/>
  </status>
</cib>
)";

struct Offline {
  Scratch s;
  Offline() { std::ofstream(s.path("cib.xml")) << kCib; }
  Run tool(const std::string& name, const std::string& args) const {
    return s.sh("CIB_file=cib.xml " + hactl::test::quote(Scratch::tool_path(name)) + " " + args);
  }
  std::string cib() const { return hactl::test::slurp(s.path("cib.xml")); }
};

}  // namespace

TEST_CASE("crm_resource on a CIB file: Pacemaker's texts, XML and exit codes") {
  Offline o;
  Run r = o.tool("crm_resource", "-W -r D");
  CHECK(r.rc == 0);
  CHECK(r.out == "resource D is running on: n1\n");
  r = o.tool("crm_resource", "--locate -r G1");
  CHECK(r.rc == 0);  // not running is reported, not an error
  CHECK(r.err == "resource G1 is NOT running\n");
  r = o.tool("crm_resource", "-W -r nosuch");
  CHECK(r.rc == 105);
  CHECK(r.err == "crm_resource: Resource 'nosuch' not found\nError performing operation: No such object\n");
  CHECK(o.tool("crm_resource", "-W -r D -Q").out == "n1\n");
  CHECK(o.tool("crm_resource", "-l").out == "D\nG1\n");
  CHECK(o.tool("crm_resource", "-L").out ==
        "Full List of Resources:\n  * D\t(ocf:pacemaker:Dummy):\t Started\n  * Resource Group: G:\n    * G1\t(ocf:pacemaker:Dummy):\t Stopped\n");
  CHECK(o.tool("crm_resource", "-g fake -r D").out == "x\n");
  r = o.tool("crm_resource", "-g nope -r D");
  CHECK(r.rc == 0);
  CHECK(r.err == "Attribute 'nope' not found for 'D'\n");
  CHECK(o.tool("crm_resource", "-W -r D --output-as xml").out ==
        "<pacemaker-result api-version=\"2.25\" request=\"crm_resource -W -r D --output-as xml\">\n  <nodes resource=\"D\">\n"
        "    <node>n1</node>\n  </nodes>\n  <status code=\"0\" message=\"OK\"/>\n</pacemaker-result>\n");
  CHECK(has(o.tool("crm_resource", "-l --output-as xml").out, "  <list name=\"resource names\" count=\"2\">\n    <item name=\"resource\">D</item>\n"));
  CHECK(has(o.tool("crm_resource", "-q -r D").out, "D\t(ocf:pacemaker:Dummy):\t Started n1\nResource XML:\n<primitive id=\"D\""));
  r = o.tool("crm_resource", "-M -r D -N nosuch");
  CHECK(r.rc == 105);
  CHECK(r.err == "crm_resource: Node 'nosuch' not found\nError performing operation: No such object\n");

  // Writes: Pacemaker's messages; a refused one changes nothing.
  const std::string before = o.cib();
  r = o.tool("crm_resource", "-p fake -r D");
  CHECK(r.rc == 64);
  CHECK(o.cib() == before);
  r = o.tool("crm_resource", "-p fake -v y -r D");
  CHECK(r.rc == 0);
  CHECK(r.out == "Set 'D' option: id=D-instance_attributes-fake set=D-instance_attributes name=fake value=y\n");
  CHECK(o.tool("crm_resource", "--get-parameter fake -r D").out == "y\n");
  CHECK(o.tool("crm_resource", "-p target-role -v Stopped --meta -r D").rc == 0);
  CHECK(o.tool("crm_resource", "-g target-role -m -r D").out == "Stopped\n");
  CHECK(o.tool("crm_resource", "-d fake -r D").out == "Deleted 'D' option: id=D-instance_attributes-fake name=fake\n");
  r = o.tool("crm_resource", "-B -r D -N n1");
  CHECK(r.rc == 0);
  CHECK(r.out.rfind("WARNING: Creating rsc_location constraint 'cli-ban-D-on-n1' with a score of -INFINITY for resource D on n1.\n", 0) == 0);
  CHECK(has(o.cib(), "id=\"cli-ban-D-on-n1\""));
  CHECK(o.tool("crm_resource", "-M -r D -N n2").rc == 0);
  CHECK(has(o.cib(), "id=\"cli-prefer-D\""));
  CHECK(o.tool("crm_resource", "-U -r D").out == "Removing constraint: cli-prefer-D\n");
  CHECK(!has(o.cib(), "cli-"));
  r = o.tool("crm_resource", "-M -r G1");  // runs nowhere: no node to move it from
  CHECK(r.rc == 64);
  CHECK(has(r.err, "Resource 'G1' not moved: active in 0 locations."));
  CHECK(o.tool("crm_resource", "-D -r G1").rc == 105);  // Pacemaker wants -t
  CHECK(o.tool("crm_resource", "-D -r G1 -t primitive").rc == 0);
  CHECK(!has(o.cib(), "id=\"G1\""));
  CHECK(o.tool("crm_resource", "-C -r D").err == "Dry run: skipping clean-up of D on n1 due to CIB_file\n");
  CHECK(o.tool("crm_resource", "--output-as yaml -l").rc == 64);
}

TEST_CASE("crm_attribute, crm_standby, crm_failcount and attrd_updater on a CIB file") {
  Offline o;
  CHECK(o.tool("crm_attribute", "-n stonith-enabled -G").out == "scope=crm_config  name=stonith-enabled value=false\n");
  CHECK(o.tool("crm_attribute", "-n stonith-enabled -G -q").out == "false\n");
  Run r = o.tool("crm_attribute", "-n nope -G");
  CHECK(r.rc == 105);
  CHECK(r.err == "crm_attribute: Error performing operation: No such device or address\n");
  CHECK(o.tool("crm_attribute", "-n nope -G -d dflt -q").out == "dflt\n");
  CHECK(o.tool("crm_attribute", "-n foo -N n1 -G").out == "scope=nodes  name=foo value=bar\n");
  CHECK(o.tool("crm_attribute", "-n t -N n1 -l reboot -G").out == "scope=status  name=t value=9\n");
  CHECK(o.tool("crm_attribute", "-n foo -N n1 -G --output-as xml").out ==
        "<pacemaker-result api-version=\"2.25\" request=\"crm_attribute -n foo -N n1 -G --output-as xml\">\n"
        "  <attribute name=\"foo\" value=\"bar\" scope=\"nodes\"/>\n  <status code=\"0\" message=\"OK\"/>\n</pacemaker-result>\n");
  r = o.tool("crm_attribute", "-n foo -N nosuch -v 1");
  CHECK(r.rc == 105);
  CHECK(r.err == "crm_attribute: Could not map name=nosuch to a UUID\n");
  CHECK(o.tool("crm_attribute", "-n foo -t bogus -G").rc == 64);

  CHECK(o.tool("crm_attribute", "-n no-quorum-policy -v freeze").rc == 0);
  CHECK(has(o.cib(), "name=\"no-quorum-policy\" value=\"freeze\""));
  CHECK(o.tool("crm_attribute", "-n pingd -v 5 -N n2 -l reboot").rc == 0);
  CHECK(has(o.cib(), "<nvpair id=\"status-2-pingd\" name=\"pingd\" value=\"5\"/>"));
  CHECK(o.tool("attrd_updater", "-n pingd -Q -N n2").out == "name=\"pingd\" host=\"n2\" value=\"5\"\n");
  CHECK(o.tool("attrd_updater", "-n pingd -U 7 -N n2").rc == 0);
  CHECK(o.tool("attrd_updater", "-n pingd -Q -A").out == "name=\"pingd\" host=\"n2\" value=\"7\"\n");
  CHECK(o.tool("attrd_updater", "-n pingd -D -N n2").rc == 0);
  CHECK(o.tool("attrd_updater", "-n pingd -Q -N n2").rc == 105);
  CHECK(o.tool("crm_attribute", "-n foo -N n1 -D").out == "Deleted nodes attribute: id=nodes-1-foo name=foo\n");
  CHECK(o.tool("crm_attribute", "-n foo -N n1 -D").out.empty());  // nothing left to delete: silent success

  CHECK(o.tool("crm_attribute", "-z -N n2 -n cpu -v 4").rc == 0);
  CHECK(has(o.cib(), "<utilization id=\"nodes-2-utilization\">"));
  CHECK(o.tool("crm_attribute", "--utilization -N n2 -n cpu -G -q").out == "4\n");
  CHECK(o.tool("crm_attribute", "-N n2 -n cpu -G").rc == 105);  // not a plain node attribute

  CHECK(o.tool("crm_standby", "-N n1 -G").out == "scope=nodes  name=standby value=off\n");
  CHECK(o.tool("crm_standby", "-N n1 -v on").rc == 0);
  CHECK(o.tool("crm_standby", "-N n1 -G -q").out == "on\n");
  CHECK(o.tool("crm_failcount", "-r D -N n1 -G").out == "scope=status  name=fail-count-D value=0\n");
  CHECK(o.s.sh("CIB_file=cib.xml OCF_RESOURCE_INSTANCE=D:0 " + hactl::test::quote(Scratch::tool_path("crm_master")) + " -v 10 -N n1").rc == 0);
  CHECK(has(o.cib(), "name=\"master-D\" value=\"10\""));
  if (hactl::test::have("crm_verify")) CHECK(o.s.sh("crm_verify -x cib.xml").rc == 0);  // Pacemaker accepts what we wrote
}

TEST_CASE("the tool family on a live two-node cluster, with ha_cluster_exporter and crmsh when installed") {
  Cluster c(2, 60);
  for (int i = 1; i <= 2; ++i) REQUIRE(c.start(i).rc == 0);
  REQUIRE(c.wait_status(1, "Online: [ n1 n2 ]", true, 8000));
  REQUIRE(c.on(1, "property set stonith-enabled=false").rc == 0);
  REQUIRE(c.on(1, "resource create D ocf:pacemaker:Dummy").rc == 0);
  REQUIRE(c.wait_for([&] { return has(tool_on(c, 2, "crm_resource", "-W -r D").out, "resource D is running on: n"); }, 10000));

  // crm_node and corosync-* answer from the agent's membership.
  CHECK(tool_on(c, 2, "crm_node", "-n").out == "n2\n");
  CHECK(tool_on(c, 2, "crm_node", "-i").out == "2\n");
  CHECK(tool_on(c, 1, "crm_node", "-q").out == "1\n");
  CHECK(tool_on(c, 1, "crm_node", "-l").out == "1 n1 member\n2 n2 member\n");
  Run q = tool_on(c, 1, "corosync-quorumtool", "-p");
  CHECK(q.rc == 0);
  CHECK(has(q.out, "Node ID:          1\n"));
  CHECK(has(q.out, "Quorate:          Yes\n"));
  CHECK(has(q.out, "Expected votes:   2\nHighest expected: 2\nTotal votes:      2\n"));
  CHECK(has(q.out, "         1          1         NR n1 (local)\n         2          1         NR n2\n"));
  Run cfg = tool_on(c, 2, "corosync-cfgtool", "-s");
  CHECK(cfg.rc == 0);
  CHECK(has(cfg.out, "Local node ID 2\nLink ID 0\n\taddr\t= " + c.addr(2) + "\n"));

  // Writes through the DC, read on the other node.
  CHECK(tool_on(c, 2, "crm_resource", "-p fake -v 42 -r D").rc == 0);
  CHECK(c.wait_for([&] { return tool_on(c, 1, "crm_resource", "-g fake -r D").out == "42\n"; }, 5000));
  CHECK(tool_on(c, 2, "crm_attribute", "-n pingd -v 3 -l reboot").rc == 0);
  CHECK(c.wait_for([&] { return tool_on(c, 1, "attrd_updater", "-n pingd -Q -N n2").out == "name=\"pingd\" host=\"n2\" value=\"3\"\n"; }, 5000));
  CHECK(tool_on(c, 1, "attrd_updater", "-n pingd -U 4 -N n2").rc == 0);
  CHECK(c.wait_for([&] { return tool_on(c, 2, "crm_attribute", "-n pingd -l reboot -G -q").out == "4\n"; }, 5000));
  CHECK(tool_on(c, 1, "stonith_admin", "-L").out == "0 fence devices found\n");
  CHECK(tool_on(c, 1, "crm_resource", "--wait").rc == 0);

  if (hactl::test::have("ha_cluster_exporter") && hactl::test::have("curl")) {
    const std::string dir = Scratch::tool_path("");
    const std::string listen = c.addr(1) + ":" + std::to_string(c.port + 1);
    Run ex = c.s.sh("HACTL_ROOT=" + c.root(1) + " ha_cluster_exporter --web.listen-address=" + listen + " --crm-mon-path=" + dir +
                    "crm_mon --cibadmin-path=" + dir + "cibadmin --corosync-cfgtoolpath-path=" + dir +
                    "corosync-cfgtool --corosync-quorumtool-path=" + dir + "corosync-quorumtool >exporter.log 2>&1 & echo $! > exporter.pid");
    REQUIRE(ex.rc == 0);
    std::string metrics;
    c.wait_for([&] {
      metrics = c.s.sh("curl -sf http://" + listen + "/metrics").out;
      return has(metrics, "ha_cluster_corosync_quorate");
    }, 10000);
    c.s.sh("kill $(cat exporter.pid)");
    CHECK(has(metrics, "ha_cluster_pacemaker_nodes{node=\"n1\""));
    CHECK(has(metrics, "ha_cluster_pacemaker_nodes{node=\"n2\""));
    CHECK_MESSAGE(has(metrics, "resource=\"D\",role=\"started\""), metrics);
    CHECK(has(metrics, "ha_cluster_corosync_quorate 1"));
    CHECK(has(metrics, "ha_cluster_corosync_member_votes{local=\"true\",node=\"n1\",node_id=\"1\"} 1"));
    CHECK(has(metrics, "ha_cluster_corosync_quorum_votes{type=\"total_votes\"} 2"));
    std::string log = hactl::test::slurp(c.s.path("exporter.log"));
    CHECK_MESSAGE(!has(log, "scrape failed"), log);
  } else {
    MESSAGE("ha_cluster_exporter or curl not installed: exporter check skipped");
  }

  if (hactl::test::have("crm") && hactl::test::have("crm_diff")) {
    // crmsh with hactl's tools first in PATH (crm_diff, which only compares
    // files, stays Pacemaker's). crmsh pings a node before standby: the test's
    // node names do not resolve, so a ping that answers stands in for the host's.
    REQUIRE(c.s.sh("mkdir -p shim && printf '#!/bin/sh\\nexit 0\\n' > shim/ping && chmod +x shim/ping").rc == 0);
    auto crm = [&](const std::string& args) {
      return c.s.sh("HACTL_ROOT=" + c.root(1) + " PATH=" + c.s.path("shim") + ":" + Scratch::tool_path("") + ":$PATH timeout 60 crm " + args);
    };
    Run st = crm("status");
    CHECK(st.rc == 0);
    CHECK(has(st.out, "  * Online: [ n1 n2 ]\n"));
    CHECK(has(st.out, "  * D\t(ocf:pacemaker:Dummy):\t Started n"));
    Run show = crm("configure show");
    CHECK(show.rc == 0);
    CHECK(has(show.out, "primitive D ocf:pacemaker:Dummy"));
    Run prim = crm("configure primitive P2 ocf:pacemaker:Dummy op monitor interval=15s");
    CHECK_MESSAGE(prim.rc == 0, prim.err);
    CHECK(c.wait_for([&] { return has(tool_on(c, 2, "crm_resource", "-W -r P2").out, "resource P2 is running on: n"); }, 10000));
    Run stop = crm("resource stop D");
    CHECK_MESSAGE(stop.rc == 0, stop.err);
    CHECK(c.wait_for([&] { return has(tool_on(c, 2, "crm_resource", "-W -r D").err, "resource D is NOT running"); }, 10000));
    Run standby = crm("node standby n2");
    CHECK_MESSAGE(standby.rc == 0, standby.err);
    CHECK(c.wait_for([&] { return tool_on(c, 1, "crm_standby", "-N n2 -G -q").out == "on\n"; }, 5000));
    CHECK(c.wait_for([&] { return !has(tool_on(c, 1, "crm_resource", "-W -r P2").out, "running on: n2"); }, 10000));
  } else {
    MESSAGE("crmsh or crm_diff not installed: crmsh check skipped");
  }
}

TEST_CASE("cibadmin --patch applies crm_diff's format 2 and refuses what it cannot apply") {
  Offline o;
  const std::string patch =
      "<diff format=\"2\">"
      "<change operation=\"delete\" path=\"/cib/configuration/resources/group[@id='G']\"/>"
      "<change operation=\"modify\" path=\"/cib\"><change-list><change-attr name=\"epoch\" operation=\"set\" value=\"99\"/>"
      "</change-list></change>"
      "<change operation=\"create\" path=\"/cib/configuration/nodes/node[@id='2']\" position=\"0\">"
      "<instance_attributes id=\"nodes-2\"><nvpair id=\"nodes-2-standby\" name=\"standby\" value=\"on\"/></instance_attributes>"
      "</change>"
      "<change operation=\"modify\" path=\"/cib/configuration/resources/primitive[@id='D']/instance_attributes[@id='D-instance_attributes']/nvpair[@id='D-instance_attributes-fake']\">"
      "<change-list><change-attr name=\"value\" operation=\"set\" value=\"patched\"/></change-list></change>"
      "</diff>";
  std::ofstream(o.s.path("patch.xml")) << patch;
  Run r = o.tool("cibadmin", "--patch -x patch.xml");
  CHECK_MESSAGE(r.rc == 0, r.err);
  const std::string cib = o.cib();
  CHECK(!has(cib, "id=\"G\""));
  CHECK(has(cib, "<nvpair id=\"nodes-2-standby\" name=\"standby\" value=\"on\"/>"));
  CHECK(has(cib, "value=\"patched\""));
  CHECK(has(cib, "epoch=\"6\""));  // the write's own bump; the patch's version is not taken
  const std::string before = o.cib();
  std::ofstream(o.s.path("bad.xml")) << "<diff format=\"2\"><change operation=\"modify\" "
                                          "path=\"/cib/configuration/resources/primitive[@id='nosuch']\"><change-list/></change></diff>";
  r = o.tool("cibadmin", "-P -x bad.xml");
  CHECK(r.rc == 105);
  CHECK(o.cib() == before);
  r = o.tool("cibadmin", "-P -X '<diff><diff-removed/><diff-added/></diff>'");  // format 1
  CHECK(r.rc == 76);
  CHECK(o.cib() == before);
}
