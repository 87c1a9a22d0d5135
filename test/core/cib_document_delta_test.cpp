// Status deltas: applying status_delta(a, b) to a copy of a gives b exactly
// (same text), for hand-picked and seeded random status edits; anything else
// (a configuration change, a copy that is not the base, junk) is refused and
// leaves the document unchanged.
#include <doctest/doctest.h>

#include <random>

#include "core/cib_document_delta.h"

using namespace hactl::core;

namespace {

CibDocument cib_with_status(int resources, int nodes) {
  std::string xml = "<cib admin_epoch=\"0\" epoch=\"5\" num_updates=\"3\"><configuration><crm_config/><nodes/><resources>";
  for (int r = 0; r < resources; ++r)
    xml += "<primitive id=\"D" + std::to_string(r) + "\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"/>";
  xml += "</resources><constraints/></configuration><status>";
  for (int n = 1; n <= nodes; ++n) {
    xml += "<node_state id=\"" + std::to_string(n) + "\" uname=\"n" + std::to_string(n) + "\" crmd=\"online\">";
    xml += "<transient_attributes id=\"" + std::to_string(n) + "\"><instance_attributes id=\"status-" + std::to_string(n) + "\"/></transient_attributes>";
    xml += "<lrm id=\"" + std::to_string(n) + "\"><lrm_resources>";
    for (int r = 0; r < resources; ++r)
      xml += "<lrm_resource id=\"D" + std::to_string(r) + "\" type=\"Dummy\"><lrm_rsc_op id=\"D" + std::to_string(r) +
             "_last_0\" operation=\"monitor\" rc-code=\"7\" call-id=\"" + std::to_string(r) + "\"/></lrm_resource>";
    xml += "</lrm_resources></lrm></node_state>";
  }
  xml += "</status></cib>";
  return std::move(*CibDocument::parse(xml));
}

void check_round_trip(const CibDocument& a, const CibDocument& b) {
  auto delta = status_delta(a, b);
  REQUIRE(delta);
  CibDocument copy = a.clone();
  REQUIRE(apply_status_delta(copy, *delta));
  CHECK(copy.to_xml() == b.to_xml());
}

Element* lrm_resources(CibDocument& doc, int node) {
  Element* ns = children(doc.status_section(), "node_state")[static_cast<size_t>(node)];
  return first_child(first_child(ns, "lrm"), "lrm_resources");
}

}  // namespace

TEST_CASE("status delta: no change gives a delta that only restates the root") {
  CibDocument a = cib_with_status(3, 2);
  auto delta = status_delta(a, a);
  REQUIRE(delta);
  CHECK(delta->find("<put") == std::string::npos);
  CHECK(delta->find("<at") == std::string::npos);
  check_round_trip(a, a);
}

TEST_CASE("status delta: a result recorded, a resource added and one removed, num_updates bumped") {
  CibDocument a = cib_with_status(50, 3);
  CibDocument b = a.clone();
  Element* rs = lrm_resources(b, 1);
  Element* op = first_child(children(rs, "lrm_resource")[7], "lrm_rsc_op");
  op->SetAttribute("rc-code", "0");
  op->SetAttribute("operation", "start");
  Element* added = add_child(rs, "lrm_resource");
  added->SetAttribute("id", "New");
  add_child(added, "lrm_rsc_op")->SetAttribute("id", "New_last_0");
  rs->DeleteChild(children(rs, "lrm_resource")[3]);
  b.bump_num_updates();
  auto delta = status_delta(a, b);
  REQUIRE(delta);
  CHECK(delta->size() < a.to_xml().size() / 20);  // the point: a few elements, not the CIB
  check_round_trip(a, b);
}

TEST_CASE("status delta: a node's history wiped, a node_state added, attributes changed, reordered children") {
  CibDocument a = cib_with_status(10, 3);
  CibDocument b = a.clone();
  Element* ns0 = children(b.status_section(), "node_state")[0];
  ns0->DeleteChild(first_child(ns0, "lrm"));  // wipe
  ns0->SetAttribute("crmd", "offline");
  ns0->DeleteAttribute("uname");
  Element* fresh = add_child(b.status_section(), "node_state");
  fresh->SetAttribute("id", "9");
  // Reorder: the first lrm_resource of node 3 moved to the end.
  Element* rs = lrm_resources(b, 2);
  Element* first = rs->FirstChildElement();
  rs->InsertEndChild(first);
  check_round_trip(a, b);
}

TEST_CASE("status delta: text and comments in the status section travel too") {
  CibDocument a = cib_with_status(2, 1);
  CibDocument b = a.clone();
  b.status_section()->InsertEndChild(b.xml().NewComment(" note "));
  check_round_trip(a, b);
  check_round_trip(b, a);
}

TEST_CASE("status delta: a configuration change has no status delta") {
  CibDocument a = cib_with_status(3, 1);
  CibDocument b = a.clone();
  b.section("resources")->FirstChildElement()->SetAttribute("type", "Stateful");
  CHECK_FALSE(status_delta(a, b));
  CibDocument c = a.clone();
  add_child(c.root(), "extra");
  CHECK_FALSE(status_delta(a, c));
}

TEST_CASE("status delta: applied to a copy that is not its base, it changes nothing and says why") {
  CibDocument a = cib_with_status(5, 2);
  CibDocument b = a.clone();
  first_child(children(lrm_resources(b, 0), "lrm_resource")[2], "lrm_rsc_op")->SetAttribute("rc-code", "1");
  b.bump_num_updates();
  auto delta = status_delta(a, b);
  REQUIRE(delta);
  CibDocument other = a.clone();
  lrm_resources(other, 0)->DeleteChild(children(lrm_resources(other, 0), "lrm_resource")[2]);
  other.bump_num_updates();
  const std::string before = other.to_xml();
  auto s = apply_status_delta(other, *delta);
  CHECK_FALSE(s);
  CHECK(s.message().find("lrm_resource id=\"D2\"") != std::string::npos);
  CHECK(other.to_xml() == before);
}

TEST_CASE("status delta: junk is refused, nothing changed") {
  CibDocument a = cib_with_status(2, 1);
  const std::string before = a.to_xml();
  for (std::string junk : {"", "<x/>", "<status_delta/>", "<status_delta><root/><bogus/></status_delta>",
                           "<status_delta><root/><at/></status_delta>", "<status_delta><root/><put/></status_delta>",
                           "<status_delta><root/><children/><drop tag=\"node_state\" id=\"1\"/></status_delta>",
                           "<status_delta><root/>text</status_delta>", "<status_delta><root", "\xff"}) {
    CAPTURE(junk);
    CHECK_FALSE(apply_status_delta(a, junk));
    CHECK(a.to_xml() == before);
  }
}

TEST_CASE("status delta: seeded random status edits round-trip") {
  for (unsigned seed = 1; seed <= 200; ++seed) {
    CAPTURE(seed);
    std::mt19937 rng(seed);
    auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
    CibDocument a = cib_with_status(1 + static_cast<int>(pick(30)), 1 + static_cast<int>(pick(3)));
    CibDocument b = a.clone();
    for (int edit = 0, edits = 1 + static_cast<int>(pick(12)); edit < edits; ++edit) {
      auto states = children(b.status_section(), "node_state");
      if (states.empty()) break;
      Element* ns = states[pick(states.size())];
      Element* rs = first_child(first_child(ns, "lrm"), "lrm_resources");
      auto rsc = children(rs, "lrm_resource");
      switch (pick(7)) {
        case 0: ns->SetAttribute("crmd", pick(2) ? "online" : "offline"); break;
        case 1:
          if (!rsc.empty()) rs->DeleteChild(rsc[pick(rsc.size())]);
          break;
        case 2: {
          Element* r = add_child(rs ? rs : ns, "lrm_resource");
          r->SetAttribute("id", ("R" + std::to_string(rng() % 1000)).c_str());
          add_child(r, "lrm_rsc_op")->SetAttribute("id", "op");
          break;
        }
        case 3:
          if (!rsc.empty()) first_child(rsc[pick(rsc.size())], "lrm_rsc_op")->SetAttribute("call-id", static_cast<int>(rng() % 100));
          break;
        case 4:
          if (!rsc.empty()) rs->InsertEndChild(rsc[pick(rsc.size())]);
          break;
        case 5: b.status_section()->DeleteChild(ns); break;
        case 6:
          if (!rsc.empty()) add_child(rsc[pick(rsc.size())], "lrm_rsc_op")->SetAttribute("id", "extra");
          break;
      }
    }
    b.bump_num_updates();
    check_round_trip(a, b);
  }
}
