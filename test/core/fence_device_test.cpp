// Fence device selection and agent arguments (core/fence_device.h), as
// Pacemaker's fencer chooses them.
#include "core/fence_device.h"

#include <doctest/doctest.h>

#include "core/cib_document.h"

using namespace hactl::core;

namespace {

Cib cib_with(const std::string& resources, const std::string& properties = "") {
  std::string xml =
      "<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" validate-with=\"pacemaker-3.7\"><configuration>"
      "<crm_config><cluster_property_set id=\"o\">" + properties + "</cluster_property_set></crm_config>"
      "<nodes><node id=\"1\" uname=\"n1\"/><node id=\"2\" uname=\"n2\"/></nodes><resources>" + resources +
      "</resources><constraints/></configuration><status/></cib>";
  auto doc = CibDocument::parse(xml);
  REQUIRE(doc);
  return read_cib(*doc);
}

std::string device(const std::string& id, const std::string& params, const std::string& meta = "") {
  std::string out = "<primitive id=\"" + id + "\" class=\"stonith\" type=\"fence_x\"><instance_attributes id=\"" + id + "-ia\">";
  int n = 0;
  for (size_t i = 0; i < params.size();) {
    size_t e = params.find('|', i);
    if (e == std::string::npos) e = params.size();
    std::string kv = params.substr(i, e - i);
    i = e + 1;
    if (kv.empty()) continue;
    size_t eq = kv.find('=');
    out += "<nvpair id=\"" + id + "-" + std::to_string(n++) + "\" name=\"" + kv.substr(0, eq) + "\" value=\"" +
           kv.substr(eq + 1) + "\"/>";
  }
  out += "</instance_attributes>";
  if (!meta.empty()) out += "<meta_attributes id=\"" + id + "-ma\">" + meta + "</meta_attributes>";
  return out + "</primitive>";
}

std::string prop(const std::string& name, const std::string& value) {
  return "<nvpair id=\"p-" + name + "\" name=\"" + name + "\" value=\"" + value + "\"/>";
}

}  // namespace

TEST_CASE("fencing params: Pacemaker's own parameters are recognised, the agent's are not") {
  struct Row { const char* name; bool fencing; };
  for (Row r : {Row{"pcmk_host_list", true}, {"pcmk_host_map", true}, {"pcmk_host_check", true},
                {"pcmk_host_argument", true}, {"pcmk_delay_max", true}, {"pcmk_delay_base", true},
                {"pcmk_action_limit", true}, {"pcmk_reboot_action", true}, {"pcmk_off_timeout", true},
                {"pcmk_list_retries", true}, {"pcmk_foo_action", true}, {"stonith-timeout", true},
                {"provides", true}, {"pcmk_", false}, {"pcmk_x", false}, {"pcmk__action", false},
                {"pcmk_reboot_actions", false}, {"port", false}, {"ip", false}, {"delay", false}}) {
    CAPTURE(r.name);
    CHECK(is_fencing_param(r.name) == r.fencing);
  }
  for (const auto& n : standard_fencing_params()) CHECK(is_fencing_param(n));
}

TEST_CASE("fencing host list: separators, list output, duplicates and agent complaints") {
  struct Row { const char* text; std::vector<std::string> want; };
  for (const Row& r : {Row{"n1,n2", {"n1", "n2"}},
                       Row{"n1 n2;n3\tn4", {"n1", "n2", "n3", "n4"}},
                       Row{"  n1 ,, n2  ", {"n1", "n2"}},
                       Row{"n1,n1\nn2,n2\n", {"n1", "n2"}},  // `list` output: name,alias
                       Row{"n1,n1,on\nn2,n2,off", {"n1", "n2"}},
                       Row{"Parse error: invalid option\nn1", {"n1"}},
                       Row{"node-1.example_a", {"node-1.example_a"}},
                       Row{"", {}}}) {
    CAPTURE(r.text);
    CHECK(parse_host_list(r.text) == r.want);
  }
}

TEST_CASE("fencing host map: node:port entries, '=' accepted, malformed ones reported") {
  HostMap m = parse_host_map(" n1:1;n2=2,3 n3:\t:4;n4:p:x ");
  REQUIRE(m.entries.size() == 3);
  CHECK(m.entries[0] == std::pair<std::string, std::string>{"n1", "1"});
  CHECK(m.entries[1] == std::pair<std::string, std::string>{"n2", "2,3"});
  CHECK(m.entries[2] == std::pair<std::string, std::string>{"n4", "p:x"});
  CHECK(m.malformed == std::vector<std::string>{"n3:", ":4"});
  CHECK(m.port_of("N1") == "1");
  CHECK(!m.port_of("n3"));
  CHECK(parse_host_map("").entries.empty());
}

TEST_CASE("fencing host check: explicit value or Pacemaker's default") {
  struct Row { Attributes params; HostCheck want; };
  for (const Row& r : {Row{{}, HostCheck::none},
                       Row{{{"pcmk_host_list", "n1"}}, HostCheck::static_list},
                       Row{{{"pcmk_host_map", "n1:1"}}, HostCheck::static_list},
                       Row{{{"pcmk_host_list", "n1"}, {"pcmk_host_check", "none"}}, HostCheck::none},
                       Row{{{"pcmk_host_check", "Dynamic-List"}}, HostCheck::dynamic_list},
                       Row{{{"pcmk_host_check", "status"}}, HostCheck::status},
                       Row{{{"pcmk_host_check", "sometimes"}}, HostCheck::invalid}}) {
    CHECK(host_check(r.params) == r.want);
  }
}

TEST_CASE("fencing eligibility: static list, map, dynamic list and status answers") {
  struct Row { Attributes params; const char* target; std::optional<std::vector<std::string>> listed; std::optional<bool> known; bool can, ask; };
  const std::vector<std::string> ports = {"1", "n2"};
  for (const Row& r : {
           Row{{}, "n1", {}, {}, true, false},
           Row{{{"pcmk_host_list", "n1,n3"}}, "n1", {}, {}, true, false},
           Row{{{"pcmk_host_list", "n1,n3"}}, "N3", {}, {}, true, false},
           Row{{{"pcmk_host_list", "n1,n3"}}, "n2", {}, {}, false, false},
           Row{{{"pcmk_host_map", "n2:2"}}, "n2", {}, {}, true, false},
           Row{{{"pcmk_host_map", "n2:2"}, {"pcmk_host_list", "n1"}}, "n1", {}, {}, true, false},
           Row{{{"pcmk_host_map", "n2:2"}}, "n1", {}, {}, false, false},
           Row{{{"pcmk_host_check", "static-list"}}, "n1", {}, {}, false, false},
           Row{{{"pcmk_host_check", "none"}, {"pcmk_host_list", "n9"}}, "n1", {}, {}, true, false},
           Row{{{"pcmk_host_check", "dynamic-list"}}, "n1", std::nullopt, {}, false, true},
           Row{{{"pcmk_host_check", "dynamic-list"}}, "n2", ports, {}, true, false},
           Row{{{"pcmk_host_check", "dynamic-list"}}, "n3", ports, {}, false, false},
           Row{{{"pcmk_host_check", "dynamic-list"}, {"pcmk_host_map", "n1:1"}}, "n1", ports, {}, true, false},
           Row{{{"pcmk_host_check", "status"}}, "n1", {}, std::nullopt, false, true},
           Row{{{"pcmk_host_check", "status"}}, "n1", {}, true, true, false},
           Row{{{"pcmk_host_check", "status"}}, "n1", {}, false, false, false},
           Row{{{"pcmk_host_check", "bogus"}}, "n1", {}, {}, false, false}}) {
    Eligibility e = can_fence(r.params, r.target, r.listed, r.known);
    CAPTURE(r.target);
    CAPTURE(e.why);
    CHECK(e.can == r.can);
    CHECK(e.ask == r.ask);
  }
}

TEST_CASE("fencing agent args: pcmk_* stripped, nodename always, host argument from the map or the name") {
  Attributes base = {{"ip", "10.0.0.1"}, {"pcmk_host_list", "n1"}, {"pcmk_delay_max", "5s"}, {"action", "on"}};
  Attributes a = fence_agent_args(base, "n1");
  CHECK(a == Attributes{{"ip", "10.0.0.1"}, {"nodename", "n1"}, {"port", "n1"}});

  Attributes mapped = {{"pcmk_host_map", "n1:7;n2:8"}};
  CHECK(fence_agent_args(mapped, "n2").at("port") == "8");
  CHECK(fence_agent_args(mapped, "n3").at("port") == "n3");

  Attributes plug = {{"pcmk_host_argument", "plug"}, {"pcmk_host_map", "n1:7"}};
  a = fence_agent_args(plug, "n1");
  CHECK(a.at("plug") == "7");
  CHECK(!a.count("port"));

  a = fence_agent_args({{"pcmk_host_argument", "none"}}, "n1");
  CHECK(a == Attributes{{"nodename", "n1"}});

  // A value of the user's own is kept, unless it says "dynamic".
  CHECK(fence_agent_args({{"port", "fixed"}}, "n1").at("port") == "fixed");
  CHECK(fence_agent_args({{"port", "dynamic"}}, "n1").at("port") == "n1");
}

TEST_CASE("fencing plan: devices for the target in CIB order, disabled and excluded ones left out") {
  Cib cib = cib_with(device("f-all", "ip=a") + device("f-n1", "pcmk_host_list=n1") +
                     device("f-n2", "pcmk_host_map=n2:port2") +
                     device("f-off", "", "<nvpair id=\"f-off-r\" name=\"target-role\" value=\"Stopped\"/>"));
  FencePlan p = plan_fence(cib, "n2");
  REQUIRE(p.attempts.size() == 2);
  CHECK(p.attempts[0].device == "f-all");
  CHECK(p.attempts[1].device == "f-n2");
  CHECK(p.attempts[1].args.at("port") == "port2");
  CHECK(p.action == "reboot");
  CHECK(p.attempts[0].timeout_ms == 60000);
  CHECK(p.notes.size() == 2);  // f-n1 excluded, f-off disabled

  p = plan_fence(cib, "n1");
  REQUIRE(p.attempts.size() == 2);
  CHECK(p.attempts[1].device == "f-n1");
  CHECK(p.attempts[1].args.at("port") == "n1");
}

TEST_CASE("fencing plan: stonith-action, stonith-timeout and the per-device overrides") {
  struct Row { std::string props, params; std::string action, sent; int64_t timeout_ms; size_t notes; };
  for (const Row& r : {Row{"", "", "reboot", "reboot", 60000, 0},
                       Row{prop("stonith-action", "off"), "", "off", "off", 60000, 0},
                       Row{prop("stonith-action", "poweroff"), "", "off", "off", 60000, 0},
                       Row{prop("stonith-action", "explode"), "", "reboot", "reboot", 60000, 1},
                       Row{prop("stonith-timeout", "90s"), "", "reboot", "reboot", 90000, 0},
                       Row{prop("stonith-timeout", "soon"), "", "reboot", "reboot", 60000, 1},
                       Row{prop("stonith-timeout", "90s"), "pcmk_reboot_timeout=2min", "reboot", "reboot", 120000, 0},
                       Row{prop("stonith-action", "off"), "pcmk_reboot_timeout=2min|pcmk_off_timeout=5s", "off", "off", 5000, 0},
                       Row{"", "pcmk_reboot_action=off", "reboot", "off", 60000, 0},
                       Row{prop("stonith-action", "off"), "pcmk_off_action=power-off", "off", "power-off", 60000, 0}}) {
    CAPTURE(r.props);
    CAPTURE(r.params);
    FencePlan p = plan_fence(cib_with(device("f", r.params), r.props), "n1");
    REQUIRE(p.attempts.size() == 1);
    CHECK(p.action == r.action);
    CHECK(p.attempts[0].action == r.sent);
    CHECK(p.attempts[0].timeout_ms == r.timeout_ms);
    CHECK(p.notes.size() == r.notes);
  }
}

TEST_CASE("fencing plan: no stonith device, or none for this target, gives no attempt") {
  CHECK(plan_fence(cib_with(""), "n1").attempts.empty());
  FencePlan p = plan_fence(cib_with(device("f", "pcmk_host_list=n2")), "n1");
  CHECK(p.attempts.empty());
  REQUIRE(p.notes.size() == 1);
  CHECK(p.notes[0].find("not in pcmk_host_list") != std::string::npos);
}

TEST_CASE("fencing plan: a device to ask (dynamic-list) is kept, marked for the question") {
  FencePlan p = plan_fence(cib_with(device("f", "pcmk_host_check=dynamic-list")), "n1");
  REQUIRE(p.attempts.size() == 1);
  CHECK(p.attempts[0].check == HostCheck::dynamic_list);
}
