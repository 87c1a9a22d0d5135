#include <doctest/doctest.h>

#include "core/cib_rebase.h"
#include "core/cib_replace.h"
#include "core/resource_edit.h"

using namespace hactl::core;

namespace {

CibDocument parse(const std::string& resources, const std::string& crm = "") {
  auto d = CibDocument::parse("<cib admin_epoch=\"0\" epoch=\"5\" num_updates=\"0\"><configuration><crm_config>" + crm +
                              "</crm_config><nodes/><resources>" + resources +
                              "</resources><constraints/></configuration><status/></cib>");
  REQUIRE(d);
  return std::move(*d);
}

std::string prim(const std::string& id, const std::string& extra = "") {
  return "<primitive id=\"" + id + "\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"" + extra + "/>";
}

bool has_id(const CibDocument& d, const std::string& id) { return d.find_id(id) != nullptr; }

}  // namespace

TEST_CASE("rebase: edits of different elements both land") {
  CibDocument base = parse(prim("A"));
  CibDocument mine = parse(prim("A") + prim("B"));    // a client added B
  CibDocument theirs = parse(prim("A") + prim("C"));  // meanwhile another added C
  auto r = rebase_configuration(base, mine, theirs);
  INFO(r.status().message());
  REQUIRE(r);
  CHECK(has_id(*r, "A"));
  CHECK(has_id(*r, "B"));
  CHECK(has_id(*r, "C"));

  // A deletion and an addition; an attribute change and a property change.
  r = rebase_configuration(parse(prim("A") + prim("B")), parse(prim("B")), parse(prim("A") + prim("B") + prim("C")));
  REQUIRE(r);
  CHECK_FALSE(has_id(*r, "A"));
  CHECK(has_id(*r, "C"));
  const std::string props = "<cluster_property_set id=\"cib-bootstrap-options\">"
                            "<nvpair id=\"o-a\" name=\"a\" value=\"1\"/></cluster_property_set>";
  const std::string props2 = "<cluster_property_set id=\"cib-bootstrap-options\">"
                             "<nvpair id=\"o-a\" name=\"a\" value=\"1\"/><nvpair id=\"o-b\" name=\"b\" value=\"2\"/></cluster_property_set>";
  r = rebase_configuration(parse(prim("A"), props), parse(prim("A", " description=\"x\""), props),
                           parse(prim("A"), props2));
  REQUIRE(r);
  CHECK(attr(r->find_id("A"), "description") == "x");
  CHECK(has_id(*r, "o-b"));
}

TEST_CASE("rebase: the same element changed on both sides is a conflict") {
  auto r = rebase_configuration(parse(prim("A")), parse(prim("A", " description=\"mine\"")),
                                parse(prim("A", " description=\"theirs\"")));
  REQUIRE_FALSE(r);
  CHECK(r.status().code() == ExitCode::temp_fail);
  CHECK(r.status().message().find("primitive[@id='A']") != std::string::npos);
  // Deleted here, changed there; and the same id added with different content.
  CHECK_FALSE(rebase_configuration(parse(prim("A")), parse(""), parse(prim("A", " description=\"t\""))));
  CHECK_FALSE(rebase_configuration(parse(""), parse(prim("B")), parse(prim("B", " description=\"t\""))));
  // The same addition on both sides is no conflict (a retried create).
  auto same = rebase_configuration(parse(""), parse(prim("B")), parse(prim("B")));
  REQUIRE(same);
  CHECK(has_id(*same, "B"));
}

TEST_CASE("cib_replace: a stale edit is rebased, a stale push is refused, an older one is old") {
  CibDocument base = parse(prim("A"));
  CibDocument current = parse(prim("A") + prim("C"));
  current.set_version({0, 6, 3});
  CibDocument mine = parse(prim("A") + prim("B"));
  mine.bump_epoch();
  CibReplaceRequest req{mine.to_xml(), base.version().to_string(), base.to_xml(), "configuration"};
  auto r = apply_cib_replace(current, req);
  REQUIRE(r);
  CHECK(has_id(*r, "B"));
  CHECK(has_id(*r, "C"));
  CHECK(r->version().epoch == 7);  // above what it replaced

  req.base_cib.clear();  // a push: no base to rebase from
  auto refused = apply_cib_replace(current, req);
  REQUIRE_FALSE(refused);
  CHECK(refused.status().code() == ExitCode::temp_fail);

  CibDocument older = parse(prim("X"));
  older.set_version({0, 1, 0});
  auto old = apply_cib_replace(current, {older.to_xml(), "", "", "all"});
  REQUIRE_FALSE(old);
  CHECK(old.status().code() == ExitCode::old);
}
