// Ids as Pacemaker's schema types them, the agent names a node may run, and
// text made safe for a terminal: table tests of the three pure rules.
#include <doctest/doctest.h>

#include "core/agent_confinement.h"
#include "core/node_edit.h"
#include "core/printable_text.h"
#include "core/verify.h"
#include "core/xml_id.h"

using namespace hactl::core;

TEST_CASE("ids: XML NCName, as Pacemaker's schema types xsd:ID") {
  struct Row {
    std::string id;
    bool valid;
  };
  const Row rows[] = {
      {"web", true},         {"_x", true},          {"a1", true},         {"a.b-c_d", true},
      {"Web-Server.2", true}, {"\xc3\xa9t\xc3\xa9", true} /* été */,      {"\xe6\x97\xa5", true} /* 日 */,
      {"a\xc2\xb7" "b", true} /* middle dot inside */,
      {"", false},           {"1abc", false},       {"-dash", false},     {".dot", false},
      {"a b", false},        {"a\"b", false},       {"a'b", false},       {"a<b", false},
      {"a>b", false},        {"a&b", false},        {"a/b", false},       {"../x", false},
      {"a:b", false},        {"a\nb", false},       {"a\tb", false},      {"a\x01" "b", false},
      {"a\x7f", false},      {"a\xff", false},      {"\xff", false},      {"a\xc3", false} /* cut short */,
      {"a\xc0\xaf", false} /* overlong '/' */,       {"a\xed\xa0\x80", false} /* surrogate */,
      {"\xc2\xb7x", false} /* middle dot first */,   {"a,b", false},       {"a;b", false},
      {"a$b", false},        {"a\\b", false},
  };
  for (const Row& r : rows) {
    INFO("id: " << printable(r.id));
    CHECK(is_valid_id(r.id) == r.valid);
    CHECK(id_error(r.id).empty() == r.valid);
  }
  CHECK(id_error("1abc", "resource name") ==
        "invalid resource name '1abc', '1' is not a valid first character for a resource name");
  CHECK(id_error("a b", "resource name") == "invalid resource name 'a b', ' ' is not a valid character for a resource name");
  CHECK(id_error("a\nb") == "invalid id 'a\\nb', '\\n' is not a valid character for an id");
  CHECK(id_error("a\xff") == "invalid id 'a\\xff', '\\xff' is not a valid character for an id");
}

TEST_CASE("generated ids are sanitized as pcs does") {
  CHECK(sanitize_id("A-meta_attributes-x y") == "A-meta_attributes-xy");
  CHECK(sanitize_id("location-A-n:1-INFINITY") == "location-A-n1-INFINITY");
  CHECK(sanitize_id("1-2x") == "x");
  CHECK(sanitize_id("caf\xc3\xa9\xff") == "caf\xc3\xa9");
  CHECK(sanitize_id("\n") == "id");
  auto doc = CibDocument::parse("<cib><configuration><resources/></configuration></cib>");
  REQUIRE(doc);
  CHECK(doc->unique_id("a b") == "ab");
}

TEST_CASE("ids: only the ids an edit creates are checked, and verify names every bad one") {
  auto doc = CibDocument::parse(
      R"(<cib epoch="1"><configuration><crm_config/><nodes><node id="1" uname="n1"/></nodes><resources>
      <primitive id="ok" class="ocf" provider="pacemaker" type="Dummy"/></resources><constraints/></configuration></cib>)");
  REQUIRE(doc);
  auto before = config_ids(*doc);
  CHECK(before.count("ok") == 1);
  CHECK(before.count("1") == 0);  // a node's id is text, not xsd:ID
  CHECK(check_new_ids(before, *doc));
  Element* bad = add_child(doc->section("resources"), "primitive");
  bad->SetAttribute("id", "1abc");
  Status s = check_new_ids(before, *doc);
  CHECK(s.code() == ExitCode::invalid_param);
  CHECK(s.message() == "invalid resource name '1abc', '1' is not a valid first character for a resource name");
  bool found = false;
  for (const Finding& f : verify(*doc, true))
    found = found || f.text == "element primitive: Type ID doesn't allow value '1abc'";
  CHECK(found);
}

TEST_CASE("agent names: each class runs only from its own agent directory") {
  struct Row {
    const char *standard, *provider, *type;
    bool allowed;
  };
  const Row rows[] = {
      {"ocf", "heartbeat", "IPaddr2", true},  {"ocf", "pacemaker", "Dummy", true},
      {"ocf", "", "Dummy", false},            {"ocf", "..", "x", false},
      {"ocf", "heartbeat/../..", "x", false}, {"ocf", "heartbeat", "../../../usr/sbin/reboot", false},
      {"ocf", "heartbeat", "..", false},      {"ocf", ".hidden", "x", false},
      {"ocf", "heartbeat", "", false},        {"ocf", "heart\nbeat", "x", false},
      {"lsb", "", "httpd", true},             {"lsb", "", "../sbin/reboot", false},
      {"lsb", "", "..", false},               {"lsb", "x", "httpd", false},
      {"systemd", "", "httpd", true},         {"systemd", "", "httpd.service", true},
      {"systemd", "", "getty@tty1", true},    {"systemd", "", "--root=/tmp", false},
      {"systemd", "", "a b", false},          {"systemd", "", "../x", false},
      {"service", "", "httpd", true},         {"service", "", "-H", false},
      {"stonith", "", "fence_xvm", true},     {"stonith", "", "fence_ipmilan", true},
      {"stonith", "", "notafence", false},    {"stonith", "", "reboot", false},
      {"stonith", "", "fence_", false},       {"stonith", "", "fence_../../bin/sh", false},
      {"stonith", "", "fence_x/y", false},    {"nagios", "", "check_x", false},
  };
  for (const Row& r : rows) {
    INFO(r.standard << ":" << r.provider << ":" << printable(r.type));
    Status s = check_agent_name(r.standard, r.provider, r.type);
    CHECK(s.is_ok() == r.allowed);
    if (!r.allowed) CHECK(s.code() == ExitCode::not_installed);
  }
  CHECK(check_agent_name("stonith", "", "notafence").message() ==
        "Agent 'stonith:notafence' is not allowed: stonith devices are fence agents, named fence_*");
}

TEST_CASE("verify refuses a stonith primitive that is not a fence agent") {
  auto doc = CibDocument::parse(
      R"(<cib epoch="1"><configuration><crm_config/><nodes/><resources>
      <primitive id="f" class="stonith" type="notafence"/></resources><constraints/></configuration></cib>)");
  REQUIRE(doc);
  auto findings = verify(*doc, true);
  CHECK(has_errors(findings));
  CHECK(findings.at(0).text == "Resource f: Agent 'stonith:notafence' is not allowed: stonith devices are fence agents, named fence_*");
}

TEST_CASE("printable: control characters and stray bytes become visible escapes") {
  struct Row {
    std::string in, out;
  };
  const Row rows[] = {
      {"plain text", "plain text"}, {"a\nb", "a\\nb"},     {"a\tb", "a\\tb"},  {"a\rb", "a\\rb"},
      {"a\x01" "b", "a\\x01b"},     {"\x1b[31m", "\\x1b[31m"}, {"a\x7f", "a\\x7f"}, {"a\xff", "a\\xff"},
      {"caf\xe9", "caf\\xe9"},      {"caf\xc3\xa9", "caf\xc3\xa9"}, {"\xc2\x85", "\\xc2\\x85"} /* C1 NEL */,
      {"back\\slash", "back\\slash"}, {"", ""},
  };
  for (const Row& r : rows) {
    CHECK(printable(r.in) == r.out);
    CHECK(printable(printable(r.in)) == r.out);  // escaping twice changes nothing more
  }
}

TEST_CASE("node names: what a pushed <nodes> drops and adds") {
  auto d = diff_node_names({"n1", "n2", "n3"}, {"a", "b", "n1"});
  CHECK(d.dropped == std::vector<std::string>{"n2", "n3"});
  CHECK(d.added == std::vector<std::string>{"a", "b"});
  CHECK(diff_node_names({"n2", "n1"}, {"n1", "n2"}).empty());
  auto doc = CibDocument::parse(R"(<cib><configuration><nodes><node id="1" uname="n1"/><node id="2" uname="n2" type="member"/>
      <node id="r" uname="remote1" type="remote"/></nodes></configuration></cib>)");
  REQUIRE(doc);
  CHECK(member_node_names(*doc) == std::vector<std::string>{"n1", "n2"});
}
