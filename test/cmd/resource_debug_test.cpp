// `resource debug-*`: one agent action of a configured resource, run locally
// through the real binary, with the built-in Dummy and an on-disk OCF agent
// written under the scratch root.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "test/cmd/cli_harness.h"

using hactl::test::Run;
using hactl::test::Scratch;

namespace {
Run ok(const Scratch& s, const std::string& args) {
  Run r = s.hactl("-f cib.xml " + args);
  INFO(args << "\n" << r.out << r.err);
  REQUIRE(r.rc == 0);
  return r;
}
bool has(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

// An OCF agent under <scratch>/root: reports its environment and exits with
// $OCF_RESKEY_rc (monitor), sleeps on start when asked to.
void write_fake_agent(const Scratch& s) {
  std::string dir = s.path("root/usr/lib/ocf/resource.d/acme");
  std::filesystem::create_directories(dir);
  std::string path = dir + "/Fake";
  std::ofstream(path) << R"(#!/bin/sh
case "$1" in
meta-data)
  cat <<EOF
<?xml version="1.0"?>
<resource-agent name="Fake" version="1.0">
<version>1.1</version>
<shortdesc lang="en">test agent</shortdesc>
<longdesc lang="en">test agent</longdesc>
<parameters>
<parameter name="rc"><shortdesc lang="en">exit code</shortdesc><content type="integer"/></parameter>
<parameter name="nap"><shortdesc lang="en">sleep on start</shortdesc><content type="integer"/></parameter>
</parameters>
<actions><action name="start" timeout="20s"/><action name="stop" timeout="20s"/>
<action name="monitor" timeout="20s" interval="10s"/><action name="meta-data" timeout="5s"/></actions>
</resource-agent>
EOF
  exit 0;;
start) sleep "${OCF_RESKEY_nap:-0}"; echo "started $OCF_RESOURCE_INSTANCE"; exit 0;;
monitor)
  echo "instance=$OCF_RESOURCE_INSTANCE rc=$OCF_RESKEY_rc timeout=$OCF_RESKEY_CRM_meta_timeout interval=$OCF_RESKEY_CRM_meta_interval"
  echo "ocf-exit-reason:monitor says $OCF_RESKEY_rc" >&2
  exit "${OCF_RESKEY_rc:-0}";;
*) exit 3;;
esac
)";
  ::chmod(path.c_str(), 0755);
}
}  // namespace

TEST_CASE("resource debug-*: built-in Dummy through start, monitor, stop with the OCF rc as exit code") {
  Scratch s;
  std::string state = s.path("d1.state");
  ok(s, "resource create d1 ocf:pacemaker:Dummy state=" + state + " op monitor interval=10s timeout=7s");

  Run probe = s.hactl("-f cib.xml resource debug-monitor d1");
  CHECK(probe.rc == 7);
  CHECK(has(probe.out, "Operation monitor for d1 (ocf:pacemaker:Dummy) returned: 'not running' (7)"));

  Run start = s.hactl("-f cib.xml resource debug-start d1");
  CHECK(start.rc == 0);
  CHECK(has(start.out, "Operation start for d1 (ocf:pacemaker:Dummy) returned: 'ok' (0)"));
  CHECK(std::filesystem::exists(state));
  CHECK(s.hactl("-f cib.xml resource debug-monitor d1").rc == 0);
  CHECK(s.hactl("-f cib.xml resource debug-validate d1").rc == 0);
  // The built-in Dummy has no promote: unimplemented feature (3), as its script says.
  Run promote = s.hactl("-f cib.xml resource debug-promote d1");
  CHECK(promote.rc == 3);
  CHECK(has(promote.out, "'unimplemented feature' (3)"));

  Run stop = s.hactl("-f cib.xml resource debug-stop d1");
  CHECK(stop.rc == 0);
  CHECK_FALSE(std::filesystem::exists(state));
  CHECK(s.hactl("-f cib.xml resource debug-monitor d1").rc == 7);

  // Nothing was written to the CIB: the cluster is not told about debug actions.
  CHECK_FALSE(has(hactl::test::slurp(s.path("cib.xml")), "lrm_rsc_op"));
}

TEST_CASE("resource debug-*: failures, op timeouts, --full and refusals") {
  Scratch s;
  std::string state = s.path("d2.state");
  ok(s, "resource create d2 ocf:pacemaker:Dummy state=" + state +
            " fail_action=start fail_rc=6 op monitor interval=10s timeout=7s --no-default-ops");
  Run start = s.hactl("-f cib.xml resource debug-start d2");
  CHECK(start.rc == 6);
  CHECK(has(start.out, "returned: 'not configured' (6)"));
  CHECK(has(start.out, " >  stderr: Dummy: start fails with 6 as configured"));

  // --full shows the environment; the monitor's timeout comes from its op, the
  // start's (no start op: --no-default-ops) from op_defaults, else Pacemaker's 20 s.
  Run mon = s.hactl("-f cib.xml resource debug-monitor d2 --full");
  CHECK(mon.rc == 7);
  CHECK(has(mon.out, "OCF_RESKEY_CRM_meta_timeout=7000"));
  CHECK(has(mon.out, "OCF_RESKEY_state=" + state));
  CHECK(has(mon.out, "agent: built into hactl"));
  CHECK(has(s.hactl("-f cib.xml resource debug-start d2 --full").out, "OCF_RESKEY_CRM_meta_timeout=20000"));
  ok(s, "resource op defaults update timeout=33s");
  CHECK(has(s.hactl("-f cib.xml resource debug-start d2 --full").out, "OCF_RESKEY_CRM_meta_timeout=33000"));

  ok(s, "resource create g1 ocf:pacemaker:Dummy --group G");
  Run group = s.hactl("-f cib.xml resource debug-start G");
  CHECK(group.rc != 0);
  CHECK(has(group.err, "try one of the group's resource(s) (g1)"));
  Run missing = s.hactl("-f cib.xml resource debug-start nope");
  CHECK(missing.rc == 105);
  CHECK(has(missing.err, "unable to find resource 'nope'"));
  CHECK(s.hactl("-f cib.xml resource debug-start").rc == 64);
}

TEST_CASE("resource debug-*: an on-disk OCF agent under --root gets the OCF environment; its rc is the exit code") {
  Scratch s;
  write_fake_agent(s);
  ok(s, "resource create f1 ocf:acme:Fake rc=7 nap=5 op start timeout=1s");
  Run mon = s.hactl("-f cib.xml resource debug-monitor f1");
  CHECK(mon.rc == 7);
  CHECK(has(mon.out, "Operation monitor for f1 (ocf:acme:Fake) returned: 'not running' (7)"));
  CHECK(has(mon.out, " >  stdout: instance=f1 rc=7 timeout=20000 interval=0"));
  CHECK(has(mon.out, " >  stderr: ocf-exit-reason:monitor says 7"));
  CHECK(has(s.hactl("-f cib.xml resource debug-monitor f1 --full").out,
            "agent: " + s.path("root/usr/lib/ocf/resource.d/acme/Fake") + " monitor"));

  ok(s, "resource update f1 rc=8");
  Run promoted = s.hactl("-f cib.xml resource debug-monitor f1");
  CHECK(promoted.rc == 8);
  CHECK(has(promoted.out, "returned: 'promoted' (8)"));

  // start sleeps 5 s with a 1 s timeout: crm_resource's timeout exit code.
  Run slow = s.hactl("-f cib.xml resource debug-start f1");
  CHECK(slow.rc == 124);
  CHECK(has(slow.out, "Operation start for f1 (ocf:acme:Fake) failed: 'Timed Out'"));

  // The same resource with the agent gone: not installed.
  std::filesystem::remove(s.path("root/usr/lib/ocf/resource.d/acme/Fake"));
  Run gone = s.hactl("-f cib.xml resource debug-monitor f1");
  CHECK(gone.rc == 5);
}
