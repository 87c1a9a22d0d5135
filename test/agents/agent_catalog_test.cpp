#include "agents/agent_catalog.h"
#include "agents/agent_action.h"

#include <doctest/doctest.h>

#include <filesystem>

#include "agents_test_util.h"

using namespace hactl::agents;
using hactl::core::ExitCode;
using hactl::agents::testing::TempRoot;

namespace {

const char* kFakeAgent = R"(#!/bin/sh
case "$1" in
meta-data) cat <<END
<?xml version="1.0"?>
<resource-agent name="Fake" version="0.1">
<version>1.0</version>
<longdesc lang="en">A fake
  agent.

Second paragraph.</longdesc>
<shortdesc lang="en">Fake agent</shortdesc>
<parameters>
<parameter name="path" unique="1" required="1">
<longdesc lang="en">Where</longdesc><shortdesc lang="en">Path</shortdesc>
<content type="string" default="/tmp/x"/>
</parameter>
<parameter name="count"><shortdesc lang="en">Count</shortdesc><content type="integer"/></parameter>
</parameters>
<actions>
<action name="start" timeout="33s"/>
<action name="monitor" timeout="21s" interval="7s" depth="0"/>
</actions>
</resource-agent>
END
exit 0;;
esac
exit 3
)";

}  // namespace

TEST_CASE("parse_ocf_metadata reads parameters, flags and actions") {
  auto md = parse_ocf_metadata(R"(<resource-agent name="X"><version>1.1</version>
    <shortdesc lang="de">Nein</shortdesc><shortdesc lang="en">  Short   text </shortdesc>
    <parameters><parameter name="a" required="1" unique="0"><content type="boolean" default="true"/></parameter>
    <parameter name="b" required="true" unique="1" deprecated="true"/></parameters>
    <actions><action name="start" timeout="20s"/><action name="promote" timeout="10s" role="Promoted"/></actions>
    </resource-agent>)");
  REQUIRE(md.is_ok());
  CHECK(md->name == "X");
  CHECK(md->version == "1.1");
  CHECK(md->shortdesc == "Short text");
  REQUIRE(md->parameters.size() == 2);
  CHECK(md->parameters[0].required);
  CHECK_FALSE(md->parameters[0].unique);
  CHECK(md->parameters[0].type == "boolean");
  CHECK(md->parameters[0].default_value == "true");
  CHECK(md->parameters[1].unique);
  CHECK(md->parameters[1].deprecated);
  REQUIRE(md->find_action("promote"));
  CHECK(md->find_action("promote")->role == "Promoted");
  CHECK(md->find_action("start")->timeout == "20s");
}

TEST_CASE("parse_ocf_metadata rejects junk with not_installed") {
  CHECK(parse_ocf_metadata("not xml <").status().code() == ExitCode::not_installed);
  CHECK(parse_ocf_metadata("<foo/>").status().code() == ExitCode::not_installed);
}

TEST_CASE("fence-agents style meta-data: shortdesc as attribute") {
  auto md = parse_ocf_metadata(R"(<resource-agent name="fence_x" shortdesc="Fence X">
    <longdesc>Long</longdesc><parameters><parameter name="ip" required="1"><content type="string"/>
    <shortdesc lang="en">IP</shortdesc></parameter></parameters></resource-agent>)");
  REQUIRE(md.is_ok());
  CHECK(md->shortdesc == "Fence X");
  CHECK(md->longdesc == "Long");
  CHECK(md->parameters.at(0).shortdesc == "IP");
}

TEST_CASE("built-in meta-data is valid and carries the documented defaults") {
  TempRoot root;
  AgentCatalog cat(root.path());
  auto ip = cat.metadata({"ocf", "heartbeat", "IPaddr2"});
  REQUIRE_MESSAGE(ip.is_ok(), ip.status().message());
  CHECK(ip->builtin);
  CHECK(ip->name == "IPaddr2");
  REQUIRE(ip->find_parameter("ip"));
  CHECK(ip->find_parameter("ip")->required);
  CHECK(ip->find_parameter("ip")->unique);
  CHECK_FALSE(ip->find_parameter("nic")->required);
  CHECK(ip->find_action("start")->timeout == "20s");
  CHECK(ip->find_action("stop")->timeout == "20s");
  CHECK(ip->find_action("monitor")->interval == "10s");
  CHECK(ip->find_action("monitor")->timeout == "20s");

  auto ap = cat.metadata({"ocf", "heartbeat", "apache"});
  REQUIRE(ap.is_ok());
  CHECK(ap->find_action("start")->timeout == "40s");
  CHECK(ap->find_action("stop")->timeout == "60s");
  CHECK(ap->find_parameter("statusurl"));
  CHECK(ap->find_parameter("testregex"));

  auto d = cat.metadata({"ocf", "pacemaker", "Dummy"});
  REQUIRE(d.is_ok());
  CHECK(d->find_parameter("state"));
  CHECK(d->find_parameter("op_sleep"));
}

TEST_CASE("catalog on an empty root lists only built-ins") {
  TempRoot root;
  AgentCatalog cat(root.path());
  CHECK(cat.standards() == std::vector<std::string>{"ocf"});
  CHECK(cat.providers() == std::vector<std::string>{"heartbeat", "pacemaker"});
  auto all = cat.agents();
  REQUIRE(all.size() == 3);
  CHECK(all[0].to_string() == "ocf:heartbeat:apache");
  CHECK(all[1].to_string() == "ocf:heartbeat:IPaddr2");
  CHECK(all[2].to_string() == "ocf:pacemaker:Dummy");
  CHECK(cat.is_builtin({"ocf", "heartbeat", "IPaddr2"}));
  CHECK(cat.resolve("IPaddr2")->to_string() == "ocf:heartbeat:IPaddr2");
  CHECK(cat.resolve("Dummy")->to_string() == "ocf:pacemaker:Dummy");
  auto missing = cat.resolve("ocf:heartbeat:NoSuch");
  REQUIRE_FALSE(missing.is_ok());
  CHECK(missing.status().code() == ExitCode::not_installed);
  CHECK(missing.status().message() ==
        "Agent 'ocf:heartbeat:NoSuch' is not installed or does not provide valid metadata");
  CHECK(cat.metadata({"ocf", "heartbeat", "NoSuch"}).status().code() == ExitCode::not_installed);
  CHECK(cat.resolve("systemd:httpd").status().code() == ExitCode::not_installed);
  CHECK(cat.resolve("lsb:foo").status().code() == ExitCode::not_installed);
  CHECK_FALSE(cat.resolve("ocf:heartbeat:../../bin/sh").is_ok());
}

TEST_CASE("catalog finds fake on-disk agents of every standard") {
  TempRoot root;
  root.write("usr/lib/ocf/resource.d/acme/Fake", kFakeAgent);
  root.write("usr/lib/ocf/resource.d/acme/notexec", "#!/bin/sh\n", false);
  root.write("usr/lib/ocf/resource.d/heartbeat/Dummy", kFakeAgent);
  root.write("etc/init.d/foo", "#!/bin/sh\n### BEGIN INIT INFO\n# Short-Description: Foo daemon\n### END INIT INFO\n");
  root.write("usr/sbin/fence_fake", "#!/bin/sh\n");
  std::filesystem::create_directories(root / "run/systemd/system");
  root.write("usr/lib/systemd/system/httpd.service", "[Unit]\n", false);

  AgentCatalog cat(root.path());
  CHECK(cat.standards() == std::vector<std::string>{"ocf", "lsb", "service", "systemd", "stonith"});
  CHECK(cat.providers() == std::vector<std::string>{"acme", "heartbeat", "pacemaker"});
  auto acme = cat.agents("ocf", "acme");
  REQUIRE(acme.size() == 1);
  CHECK(acme[0].to_string() == "ocf:acme:Fake");
  CHECK(cat.agents("lsb").at(0).to_string() == "lsb:foo");
  CHECK(cat.agents("stonith").at(0).to_string() == "stonith:fence_fake");
  CHECK(cat.agents("systemd").at(0).to_string() == "systemd:httpd");
  CHECK(cat.agents("service").size() == 2);

  CHECK(cat.resolve("Fake")->to_string() == "ocf:acme:Fake");
  auto amb = cat.resolve("Dummy");
  REQUIRE_FALSE(amb.is_ok());
  CHECK(amb.status().code() == ExitCode::multiple);
  CHECK(amb.status().message() ==
        "Multiple agents match 'Dummy', please specify full name: 'ocf:heartbeat:Dummy' or 'ocf:pacemaker:Dummy'");
  CHECK(cat.resolve("systemd:httpd").is_ok());
  CHECK(cat.resolve("service:foo").is_ok());
  CHECK(cat.resolve("lsb:foo").is_ok());
  CHECK(cat.resolve("stonith:fence_fake").is_ok());
  CHECK_FALSE(cat.resolve("ocf:acme:notexec").is_ok());

  auto md = cat.metadata({"ocf", "acme", "Fake"});
  REQUIRE_MESSAGE(md.is_ok(), md.status().message());
  CHECK_FALSE(md->builtin);
  CHECK(md->longdesc == "A fake agent.\n\nSecond paragraph.");
  CHECK(md->find_parameter("path")->required);
  CHECK(md->find_action("start")->timeout == "33s");
  CHECK(md->find_action("monitor")->interval == "7s");

  auto lsb = cat.metadata({"lsb", "", "foo"});
  REQUIRE(lsb.is_ok());
  CHECK(lsb->shortdesc == "Foo daemon");
}

TEST_CASE("an on-disk agent shadows the built-in of the same name") {
  TempRoot root;
  root.write("usr/lib/ocf/resource.d/pacemaker/Dummy", kFakeAgent);
  AgentCatalog cat(root.path());
  AgentName dummy{"ocf", "pacemaker", "Dummy"};
  CHECK(cat.has_builtin(dummy));
  CHECK_FALSE(cat.is_builtin(dummy));
  CHECK(cat.agents("ocf", "pacemaker").size() == 1);
  auto md = cat.metadata(dummy);
  REQUIRE(md.is_ok());
  CHECK(md->name == "Fake");
  CHECK(cat.builtin_metadata(dummy)->name == "Dummy");
}

TEST_CASE("an agent printing bad meta-data or hanging is reported as not installed") {
  TempRoot root;
  root.write("usr/lib/ocf/resource.d/acme/Bad", "#!/bin/sh\necho '<nope'\n");
  root.write("usr/lib/ocf/resource.d/acme/Fails", "#!/bin/sh\nexit 1\n");
  AgentCatalog cat(root.path());
  CHECK(cat.metadata({"ocf", "acme", "Bad"}).status().message() ==
        "Agent 'ocf:acme:Bad' is not installed or does not provide valid metadata");
  CHECK(cat.metadata({"ocf", "acme", "Fails"}).status().code() == ExitCode::not_installed);
}

TEST_CASE("real resource-agents: heartbeat IPaddr2, apache, Dummy meta-data") {
  AgentCatalog cat("/");
  if (cat.on_disk_path({"ocf", "heartbeat", "IPaddr2"}).empty()) {
    MESSAGE("resource-agents not installed: skipping");
    return;
  }
  for (const char* t : {"IPaddr2", "apache", "Dummy"}) {
    auto md = cat.metadata({"ocf", "heartbeat", t});
    REQUIRE_MESSAGE(md.is_ok(), md.status().message());
    CHECK_FALSE(md->builtin);
    CHECK(md->name == t);
    CHECK(md->find_action("start"));
    CHECK(md->find_action("monitor"));
  }
  auto ip = cat.metadata({"ocf", "heartbeat", "IPaddr2"});
  CHECK(ip->find_parameter("ip")->required);
  CHECK(ip->find_parameter("cidr_netmask"));
  // Same contract as the built-in: every parameter the built-in accepts exists in the script.
  auto builtin = cat.builtin_metadata({"ocf", "heartbeat", "IPaddr2"});
  for (const char* p : {"ip", "cidr_netmask", "nic", "broadcast", "iflabel", "arp_count", "arp_interval"}) {
    CHECK_MESSAGE(ip->find_parameter(p), p);
    CHECK_MESSAGE(builtin->find_parameter(p), p);
  }
}

TEST_CASE("agents run only from their class's directory: a stonith type that is no fence agent runs nothing") {
  TempRoot root;
  root.write("usr/sbin/notafence", "#!/bin/sh\ntouch \"$0.ran\"\n");
  root.write("usr/sbin/fence_ok", "#!/bin/sh\nexit 0\n");
  root.write("usr/lib/ocf/resource.d/heartbeat/Fake", kFakeAgent);
  root.write("usr/lib/ocf/bin/evil", "#!/bin/sh\nexit 0\n");
  AgentCatalog cat(root.path());

  // Resolution (resource create, stonith create) says why.
  auto r = cat.resolve("stonith:notafence");
  REQUIRE_FALSE(r);
  CHECK(r.status().code() == ExitCode::not_installed);
  CHECK(r.status().message().find("named fence_*") != std::string::npos);
  CHECK(cat.resolve("stonith:fence_ok"));
  CHECK_FALSE(cat.resolve("ocf:..:bin"));
  CHECK(cat.on_disk_path({"stonith", "", "notafence"}).empty());
  CHECK(cat.on_disk_path({"ocf", "..", "bin/evil"}).empty());
  CHECK(cat.on_disk_path({"ocf", "heartbeat", "../../bin/evil"}).empty());
  CHECK_FALSE(cat.on_disk_path({"ocf", "heartbeat", "Fake"}).empty());

  // The executor's plan: a recorded "not installed" with the reason, no process.
  for (const char* action : {"monitor", "start", "stop"}) {
    ActionRequest req;
    req.rsc = "f";
    req.agent = {"stonith", "", "notafence"};
    req.action = action;
    ActionPlan p = plan_action(cat, req, {});
    REQUIRE(p.immediate.has_value());
    CHECK(p.immediate->first == OcfRc::not_installed);
    CHECK(p.immediate->second == ExecStatus::not_installed);
    CHECK(p.immediate_reason == "Agent 'stonith:notafence' is not allowed: stonith devices are fence agents, named fence_*");
  }
  ActionRequest up;
  up.rsc = "x";
  up.agent = {"ocf", "heartbeat", "../../bin/evil"};
  up.action = "start";
  CHECK(plan_action(cat, up, {}).immediate.has_value());
  CHECK_FALSE(std::filesystem::exists(root / "usr/sbin/notafence.ran"));
}
