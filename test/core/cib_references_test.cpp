// Resource templates and tags (core/cib_references.cpp): how a templated
// primitive reads, and constraints that name a template or a tag.
#include <doctest/doctest.h>

#include "core/cib_document.h"
#include "core/cib_model.h"
#include "core/cib_references.h"
#include "core/scheduler/transition.h"

using namespace hactl::core;

namespace {

std::string cib_with(const std::string& resources, const std::string& constraints, const std::string& tags = "") {
  return "<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" have-quorum=\"1\"><configuration><crm_config>"
         "<cluster_property_set id=\"o\"><nvpair id=\"o1\" name=\"stonith-enabled\" value=\"false\"/>"
         "</cluster_property_set></crm_config><nodes><node id=\"1\" uname=\"n1\"/><node id=\"2\" uname=\"n2\"/>"
         "</nodes><resources>" + resources + "</resources><constraints>" + constraints + "</constraints>" +
         (tags.empty() ? "" : "<tags>" + tags + "</tags>") + "</configuration><status>"
         "<node_state id=\"1\" uname=\"n1\" in_ccm=\"true\" crmd=\"online\" join=\"member\" expected=\"member\"/>"
         "<node_state id=\"2\" uname=\"n2\" in_ccm=\"true\" crmd=\"online\" join=\"member\" expected=\"member\"/>"
         "</status></cib>";
}

const std::string kTemplate =
    "<template id=\"T\" class=\"ocf\" provider=\"heartbeat\" type=\"Delay\"><instance_attributes id=\"T-i\">"
    "<nvpair id=\"T-d\" name=\"delay\" value=\"1\"/><nvpair id=\"T-x\" name=\"extra\" value=\"t\"/>"
    "</instance_attributes><operations><op id=\"T-m\" name=\"monitor\" interval=\"10s\"/>"
    "<op id=\"T-s\" name=\"start\" interval=\"0\" timeout=\"30s\"/></operations></template>";
const std::string kUsers =
    "<primitive id=\"A\" template=\"T\"/><primitive id=\"B\" template=\"T\"><instance_attributes id=\"B-i\">"
    "<nvpair id=\"B-d\" name=\"delay\" value=\"5\"/></instance_attributes><operations>"
    "<op id=\"B-m\" name=\"monitor\" interval=\"20s\"/></operations></primitive>";

Cib parse(const std::string& xml) {
  auto doc = CibDocument::parse(xml);
  REQUIRE(doc.is_ok());
  return read_cib(*doc);
}

std::string placement(const Cib& cib) {
  std::string out;
  for (const auto& p : schedule(cib, {}).placement) out += p.rsc + "=" + p.target.value_or("-") + ";";
  return out;
}

}  // namespace

TEST_CASE("template: a primitive takes the template's agent, parameters and operations, its own winning") {
  Cib cib = parse(cib_with(kTemplate + kUsers, ""));
  const Primitive* a = cib.find_primitive("A");
  const Primitive* b = cib.find_primitive("B");
  REQUIRE(a != nullptr);
  REQUIRE(b != nullptr);
  CHECK(a->agent() == "ocf:heartbeat:Delay");
  CHECK(a->params.at("delay") == "1");
  CHECK(a->ops.size() == 2);
  CHECK(b->params.at("delay") == "5");
  CHECK(b->params.at("extra") == "t");
  // B's monitor replaces the template's (same name and role); the start stays.
  REQUIRE(b->ops.size() == 2);
  CHECK(b->ops[0].interval_ms == 20000);
  CHECK(b->ops[1].name == "start");
  CHECK(cib.references.at("T") == std::vector<std::string>{"A", "B"});
  CHECK(cib.unsupported.empty());
}

TEST_CASE("template and tag references in constraints stand for their resources") {
  // A location on the template moves both of its primitives.
  const std::string loc = "<rsc_location id=\"l\" rsc=\"T\" node=\"n2\" score=\"100\"/>";
  CHECK(placement(parse(cib_with(kTemplate + kUsers, loc))) == "A=n2;B=n2;");
  // A tag in a colocation: both tagged resources go with C.
  const std::string dummies = "<primitive id=\"C\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"/>"
                              "<primitive id=\"D\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"/>"
                              "<primitive id=\"E\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"/>";
  const std::string tag = "<tag id=\"pair\"><obj_ref id=\"D\"/><obj_ref id=\"E\"/></tag>";
  const std::string coloc = "<rsc_colocation id=\"c\" rsc=\"pair\" with-rsc=\"C\" score=\"INFINITY\"/>";
  CHECK(placement(parse(cib_with(dummies, coloc, tag))) == "C=n1;D=n1;E=n1;");
  // A location with a resource set holding a tag: one location per member.
  const std::string set_loc = "<rsc_location id=\"s\" node=\"n2\" score=\"100\"><resource_set id=\"s1\">"
                              "<resource_ref id=\"C\"/><resource_ref id=\"pair\"/></resource_set></rsc_location>";
  CHECK(placement(parse(cib_with(dummies, set_loc, tag))) == "C=n2;D=n2;E=n2;");
  Cib plain = parse(cib_with(dummies, ""));
  CHECK(expand_references(plain) == nullptr);
}
