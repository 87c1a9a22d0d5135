// Input that Pacemaker's schema or a node's safety forbids, refused by the real
// binary: ids that are not XML NCNames in every command that makes one and in
// pushed files; pushed primitives naming agents outside their class's
// directory; a pushed configuration with another cluster's nodes; control
// characters shown escaped in text listings. Each refusal: "Error: ...", a
// Pacemaker exit code, the CIB file byte for byte unchanged.
#include <doctest/doctest.h>

#include <fstream>

#include <chrono>
#include <thread>

#include <nlohmann/json.hpp>

#include "cmd/sys/ipc_client.h"
#include "test/cmd/loopback_cluster.h"

using hactl::test::quote;
using hactl::test::Run;
using hactl::test::Scratch;
using hactl::test::slurp;

namespace {

const char* const kBadIds[] = {"a\"b", "a<b", "a b", "a/b", "../x", "1abc", "a:b", "a\nb", "a\tb", "a\x01z", "a\xff"};

std::string cib_with(const std::string& resources, const std::string& nodes = "") {
  return "<cib epoch=\"50\" num_updates=\"0\" admin_epoch=\"0\"><configuration><crm_config><cluster_property_set id=\"cib-bootstrap-options\">"
         "<nvpair id=\"cib-bootstrap-options-stonith\" name=\"stonith-enabled\" value=\"false\"/></cluster_property_set></crm_config><nodes>" + nodes +
         "</nodes><resources>" + resources + "</resources><constraints/></configuration><status/></cib>";
}

}  // namespace

TEST_CASE("ids that are not XML NCNames are refused by every command that makes one") {
  Scratch s;
  for (const char* c : {"resource create A ocf:pacemaker:Dummy", "resource create B ocf:pacemaker:Dummy"})
    REQUIRE(s.hactl(std::string("-f cib.xml ") + c).rc == 0);
  const std::string before = slurp(s.path("cib.xml"));
  const std::string commands[] = {
      "resource create ID ocf:pacemaker:Dummy",
      "resource create G1 ocf:pacemaker:Dummy --group ID",
      "resource group add ID A",
      "constraint location add ID A n1 100",
      "constraint colocation add A with B id=ID",
      "constraint order A then B id=ID",
      "resource op add A monitor interval=33s id=ID",
  };
  for (const std::string& pattern : commands) {
    for (const char* bad : kBadIds) {
      std::string args = pattern;
      args.replace(args.find("ID"), 2, quote(bad));
      if (pattern.find("id=ID") != std::string::npos) args = pattern.substr(0, pattern.find("id=ID")) + quote(std::string("id=") + bad);
      Run r = s.hactl("-f cib.xml " + args);
      INFO(args << "\nstderr: " << r.err);
      CHECK(r.rc == 2);
      CHECK(r.err.rfind("Error: ", 0) == 0);
      CHECK(r.err.find('\n') == r.err.size() - 1);  // one line: a newline in the id is shown as \n
      CHECK(r.out.empty());
      CHECK(slurp(s.path("cib.xml")) == before);
    }
  }
  Run r = s.hactl("-f cib.xml resource create 1abc ocf:pacemaker:Dummy");
  CHECK(r.err == "Error: invalid resource name '1abc', '1' is not a valid first character for a resource name\n");
  Run dash = s.hactl("-f cib.xml resource create -dash ocf:pacemaker:Dummy");
  CHECK(dash.rc == 2);
  CHECK(dash.err == "Error: invalid resource name '-dash', '-' is not a valid first character for a resource name\n");
  CHECK(slurp(s.path("cib.xml")) == before);
  // Ids hactl derives from names are sanitized as pcs does, not refused.
  CHECK(s.hactl("-f cib.xml resource meta A " + quote("my attr=1")).rc == 0);
  CHECK(slurp(s.path("cib.xml")).find("id=\"A-meta_attributes-myattr\"") != std::string::npos);
  // Non-ASCII letters are name characters.
  CHECK(s.hactl("-f cib.xml resource create " + quote("caf\xc3\xa9") + " ocf:pacemaker:Dummy").rc == 0);
}

TEST_CASE("cib-push and verify refuse ids the schema refuses; control characters are shown escaped") {
  Scratch s;
  REQUIRE(s.hactl("-f cib.xml resource create A ocf:pacemaker:Dummy").rc == 0);
  const std::string before = slurp(s.path("cib.xml"));
  for (const char* bad : {"1abc", "a b", "a&#10;b", "a&lt;b"}) {
    std::ofstream(s.path("bad.xml")) << cib_with(std::string("<primitive id=\"") + bad +
                                                 "\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"/>");
    Run p = s.hactl("-f cib.xml cluster cib-push bad.xml --config");
    INFO(bad << "\nstderr: " << p.err);
    CHECK(p.rc == 78);
    CHECK(p.err.find("Type ID doesn't allow value") != std::string::npos);
    CHECK(slurp(s.path("cib.xml")) == before);
    Run v = s.hactl("cluster verify bad.xml");
    CHECK(v.rc == 78);
    CHECK(v.err.find("Type ID doesn't allow value") != std::string::npos);
    CHECK(v.err.find("config not valid") != std::string::npos);
  }
  // A byte that is not UTF-8 is refused before any id check: the file does
  // not parse as the UTF-8 XML a CIB is.
  std::ofstream(s.path("bad.xml")) << cib_with("<primitive id=\"a\xff\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"/>");
  Run p = s.hactl("-f cib.xml cluster cib-push bad.xml --config");
  CHECK(p.rc == 65);
  CHECK(p.err.find("not valid UTF-8") != std::string::npos);
  CHECK(slurp(s.path("cib.xml")) == before);
  Run v = s.hactl("cluster verify bad.xml");
  CHECK(v.rc != 0);
  CHECK(v.err.find("not valid UTF-8") != std::string::npos);

  // A CIB written by hand with a newline and an escape character in an id is
  // listed with both escaped: no forged line, no terminal control.
  std::ofstream(s.path("raw.xml")) << cib_with(
      "<primitive id=\"x&#10;  * Fake\tline\x1b[31m\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\">"
      "<instance_attributes id=\"x-ia\"><nvpair id=\"x-ia-v\" name=\"v\" value=\"1&#10;2\"/></instance_attributes>"
      "</primitive>",
      "<node id=\"1\" uname=\"n&#9;1\"/>");
  Run cfg = s.hactl("-f raw.xml resource config");
  CHECK(cfg.rc == 0);
  CHECK(cfg.out.find("Resource: x\\n  * Fake\\tline\\x1b[31m (class=ocf") != std::string::npos);
  CHECK(cfg.out.find("v=1\\n2\n") != std::string::npos);
  Run st = s.hactl("-f raw.xml resource status");
  CHECK(st.out.find("x\\n  * Fake\\tline\\x1b[31m\t(ocf:pacemaker:Dummy):\t Stopped") != std::string::npos);
  CHECK(st.out.find('\x1b') == std::string::npos);
}

TEST_CASE("cib-push refuses a primitive naming an agent outside its class's directory") {
  Scratch s;
  REQUIRE(s.hactl("-f cib.xml resource create A ocf:pacemaker:Dummy").rc == 0);
  REQUIRE(s.sh("mkdir -p root/usr/sbin && printf '#!/bin/sh\\ntouch ran\\n' > root/usr/sbin/notafence && "
               "chmod 755 root/usr/sbin/notafence").rc == 0);
  const std::string before = slurp(s.path("cib.xml"));
  for (const char* prim : {"<primitive id=\"f\" class=\"stonith\" type=\"notafence\"/>",
                           "<primitive id=\"f\" class=\"stonith\" type=\"reboot\"/>",
                           "<primitive id=\"o\" class=\"ocf\" provider=\"..\" type=\"x\"/>",
                           "<primitive id=\"o\" class=\"ocf\" provider=\"heartbeat\" type=\"../../../../usr/sbin/notafence\"/>",
                           "<primitive id=\"l\" class=\"lsb\" type=\"../../usr/sbin/notafence\"/>",
                           "<primitive id=\"u\" class=\"systemd\" type=\"--root=/tmp\"/>"}) {
    std::ofstream(s.path("push.xml")) << cib_with(prim);
    Run p = s.hactl("-f cib.xml cluster cib-push push.xml --config");
    INFO(prim << "\nstderr: " << p.err);
    CHECK(p.rc == 78);
    CHECK(p.err.find("is not allowed") != std::string::npos);
    CHECK(slurp(s.path("cib.xml")) == before);
    CHECK(s.hactl("cluster verify push.xml").rc == 78);
  }
  Run c = s.hactl("-f cib.xml stonith create f notafence");
  CHECK(c.rc == 5);
  CHECK(c.err.find("is not allowed") != std::string::npos);
  // Refused without being run (stonith create would ask it for meta-data).
  CHECK_FALSE(std::ifstream(s.path("ran")).good());
  CHECK(slurp(s.path("cib.xml")) == before);
}

TEST_CASE("cib-push refuses another cluster's nodes unless --force, which says what changes") {
  Scratch s;
  REQUIRE(s.hactl("cluster setup W n1 addr=10.0.0.1 n2 addr=10.0.0.2").rc == 0);
  REQUIRE(s.sh("cp root/var/lib/hactl/cib.xml cib.xml").rc == 0);
  REQUIRE(s.hactl("-f cib.xml resource create A ocf:pacemaker:Dummy").rc == 0);
  const std::string before = slurp(s.path("cib.xml"));
  std::ofstream(s.path("other.xml")) << cib_with("", "<node id=\"1\" uname=\"a\"/><node id=\"2\" uname=\"n2\"/>");
  std::ofstream(s.path("same.xml")) << cib_with("", "<node id=\"2\" uname=\"n2\"/><node id=\"1\" uname=\"n1\"/>");
  for (const char* scope : {"--config", "", "scope=nodes"}) {
    Run p = s.hactl(std::string("-f cib.xml cluster cib-push other.xml ") + scope);
    INFO(scope << "\nstderr: " << p.err);
    CHECK(p.rc == 78);
    CHECK(p.err.find("it would drop node(s) n1 and add node(s) a, use --force to override") != std::string::npos);
    CHECK(slurp(s.path("cib.xml")) == before);
  }
  Run f = s.hactl("-f cib.xml cluster cib-push other.xml --config --force");
  CHECK(f.rc == 0);
  CHECK(f.err.find("Warning: the pushed configuration's nodes do not match the cluster's: it will drop node(s) n1 and "
                   "add node(s) a") != std::string::npos);
  CHECK(slurp(s.path("cib.xml")).find("uname=\"a\"") != std::string::npos);
  Run ok = s.hactl("-f cib.xml cluster cib-push same.xml --config");
  CHECK(ok.rc == 0);
  CHECK(ok.err.find("Warning") == std::string::npos);
}

// Live: the executor itself refuses a stonith type that is no fence agent,
// whatever the CIB says (here a cib.xml written by hand, which no CLI check
// sees), and the CLI refuses to push one or another cluster's nodes.
TEST_CASE("live: a stonith primitive of type notafence never runs; pushes of it or of other nodes are refused") {
  hactl::test::Cluster c(2);
  const std::string fence = cib_with(
      "<primitive id=\"f\" class=\"stonith\" type=\"notafence\"><operations>"
      "<op id=\"f-monitor-interval-1s\" name=\"monitor\" interval=\"1s\"/></operations></primitive>",
      "<node id=\"1\" uname=\"n1\"/><node id=\"2\" uname=\"n2\"/>");
  for (int i = 1; i <= 2; ++i) {
    std::string marker = c.root(i) + "/notafence.ran";
    REQUIRE(c.s.sh("mkdir -p " + quote(c.root(i) + "/usr/sbin") + " && printf '#!/bin/sh\\necho ran >> " + marker +
                   "\\n' > " + quote(c.root(i) + "/usr/sbin/notafence") + " && chmod 755 " +
                   quote(c.root(i) + "/usr/sbin/notafence")).rc == 0);
  }
  std::ofstream(c.root(1) + "/var/lib/hactl/cib.xml") << fence;
  for (int i = 1; i <= 2; ++i) REQUIRE(c.start(i).rc == 0);
  REQUIRE(c.wait_status(1, "Online: [ n1 n2 ]", 5000));
  // Both nodes probe f and record the refusal; then a few monitor intervals pass.
  for (int i = 1; i <= 2; ++i) CHECK(c.wait_log(i, "result f_monitor_0", 8000));
  CHECK(c.wait_status(1, "is not allowed: stonith devices are fence agents", 5000));
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  for (int i = 1; i <= 2; ++i) CHECK_FALSE(std::ifstream(c.root(i) + "/notafence.ran").good());

  // The CLI refuses to push it, and another cluster's nodes, changing nothing.
  std::ofstream(c.s.path("fence.xml")) << fence;
  std::ofstream(c.s.path("other.xml")) << cib_with("", "<node id=\"1\" uname=\"a\"/><node id=\"2\" uname=\"b\"/>");
  const std::string before = c.on(1, "cluster cib --config").out;
  Run p = c.on(1, "cluster cib-push fence.xml --config");
  CHECK(p.rc == 78);
  CHECK(p.err.find("Agent 'stonith:notafence' is not allowed") != std::string::npos);
  Run o = c.on(2, "cluster cib-push other.xml --config");
  CHECK(o.rc == 78);
  CHECK(o.err.find("it would drop node(s) n1, n2 and add node(s) a, b, use --force") != std::string::npos);
  // A client speaking IPC itself, past the CLI's checks: the DC refuses it too.
  auto raw = hactl::cmd::ipc_call(c.root(1) + "/run/hactl/hactl.sock",
                                  nlohmann::json{{"op", "cib_replace"}, {"cib", fence}, {"scope", "configuration"}}, 10000);
  CHECK_FALSE(raw);
  CHECK(raw.status().code() == hactl::core::ExitCode::config);
  CHECK(raw.status().message().find("is not allowed") != std::string::npos);
  CHECK(c.on(1, "cluster cib --config").out == before);
  Run forced = c.on(2, "cluster cib-push other.xml --config --force");
  CHECK(forced.rc == 0);
  CHECK(forced.err.find("it will drop node(s) n1, n2 and add node(s) a, b") != std::string::npos);
  for (int i = 1; i <= 2; ++i) CHECK(c.on(i, "cluster stop").rc == 0);
}
