// CIB model, edits, scores, durations, verify, cluster.conf: the pure core.
#include <doctest/doctest.h>

#include "core/cib_model.h"
#include "core/cluster_conf.h"
#include "core/constraint_edit.h"
#include "core/duration.h"
#include "core/node_edit.h"
#include "core/resource_edit.h"
#include "core/score.h"
#include "core/verify.h"

using namespace hactl::core;

TEST_CASE("scores saturate and minus infinity wins") {
  CHECK(parse_score("INFINITY") == kInfinity);
  CHECK(parse_score("+INFINITY") == kInfinity);
  CHECK(parse_score("-INFINITY") == -kInfinity);
  CHECK(parse_score("-200") == -200);
  CHECK(parse_score("5000000") == kInfinity);
  CHECK_FALSE(parse_score("abc").has_value());
  CHECK_FALSE(parse_score("").has_value());
  CHECK(add_scores(kInfinity, -kInfinity) == -kInfinity);
  CHECK(add_scores(kInfinity, 5) == kInfinity);
  CHECK(add_scores(999999, 5) == kInfinity);
  CHECK(add_scores(-999999, -5) == -kInfinity);
  CHECK(score_to_string(kInfinity) == "INFINITY");
  CHECK(score_to_string(-42) == "-42");
}

TEST_CASE("lenient scores take the leading integer as Pacemaker's char2score does") {
  CHECK(parse_score_lenient("2.0") == 2);
  CHECK(parse_score_lenient("-7x") == -7);
  CHECK(parse_score_lenient(" 12") == 12);
  CHECK(parse_score_lenient("abc") == 0);
  CHECK(parse_score_lenient("") == 0);
  CHECK(parse_score_lenient("-INFINITY") == -kInfinity);
  CHECK(parse_score_lenient("99999999999999999999") == kInfinity);
}

TEST_CASE("durations in Pacemaker's forms") {
  CHECK(parse_duration_ms("10") == 10000);
  CHECK(parse_duration_ms("10s") == 10000);
  CHECK(parse_duration_ms("500ms") == 500);
  CHECK(parse_duration_ms("1min") == 60000);
  CHECK(parse_duration_ms("2h") == 7200000);
  CHECK(parse_duration_ms("PT1M30S") == 90000);
  CHECK(parse_duration_ms("P30S") == 30000);  // no T needed for hours and seconds
  CHECK(parse_duration_ms("P1M") == 30LL * 86400000);  // M before T is months
  CHECK_FALSE(parse_duration_ms("abc").has_value());
  CHECK_FALSE(parse_duration_ms("10 parsecs").has_value());
  CHECK(format_duration(60000) == "1min");
  CHECK(format_duration(90000) == "90s");
}

TEST_CASE("unknown elements and attributes survive a round trip") {
  const char* xml =
      "<cib epoch=\"3\" num_updates=\"1\" admin_epoch=\"0\" x-custom=\"keep\"><configuration><crm_config/><nodes/>"
      "<resources><bundle id=\"c\"><primitive id=\"p\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\" foo=\"bar\"/>"
      "</bundle></resources><constraints><rsc_future id=\"t\" rsc=\"c\" ticket=\"T\"/></constraints>"
      "<acls><acl_role id=\"r\"/></acls></configuration><status/></cib>";
  auto doc = CibDocument::parse(xml);
  REQUIRE(doc);
  auto again = CibDocument::parse(doc->to_xml());
  REQUIRE(again);
  CHECK(*canonical_xml(again->to_xml()) == *canonical_xml(xml));
  Cib cib = read_cib(*doc);
  CHECK(cib.unsupported.size() == 2);  // the bundle and the unknown constraint are reported, not dropped
}

TEST_CASE("malformed XML is an error, not a crash") {
  CHECK_FALSE(CibDocument::parse("<cib><configuration>"));
  CHECK_FALSE(CibDocument::parse("<notcib/>"));
  CHECK_FALSE(CibDocument::parse(""));
  CHECK(CibDocument::parse("<cib/>").status().code() == ExitCode::data_err);
}

TEST_CASE("epoch bumps reset num_updates") {
  CibDocument doc = CibDocument::empty();
  doc.bump_num_updates();
  CHECK(doc.version().num_updates == 1);
  doc.bump_epoch();
  CHECK(doc.version() == CibVersion{0, 2, 0});
}

TEST_CASE("pcs default ops: user ops first, then the agent's, sorted") {
  std::vector<OpSpec> user = {{"monitor", {{"interval", "10s"}}}};
  std::vector<DefaultOp> defs = {{"start", "0s", "20s", "", ""}, {"stop", "0s", "20s", "", ""},
                                 {"monitor", "10s", "20s", "", ""}, {"meta-data", "0s", "5s", "", ""},
                                 {"validate-all", "0s", "20s", "", ""}, {"status", "0s", "20s", "", ""}};
  auto ops = merge_default_ops(user, defs);
  REQUIRE(ops.size() == 3);
  CHECK(ops[0].name == "monitor");
  CHECK(ops[0].attrs.size() == 1);
  CHECK(ops[1].name == "start");
  CHECK(ops[2].name == "stop");
}

TEST_CASE("pcs default ops: user and agent ops sorted together by action, user order kept within one") {
  std::vector<OpSpec> user = {{"stop", {{"timeout", "30s"}}},
                              {"monitor", {{"interval", "15s"}, {"role", "Promoted"}}},
                              {"monitor", {{"interval", "16s"}, {"role", "Unpromoted"}}}};
  std::vector<DefaultOp> defs = {{"demote", "0s", "10s", "", ""}, {"start", "0s", "20s", "", ""}};
  auto ops = merge_default_ops(user, defs);
  REQUIRE(ops.size() == 5);
  CHECK(ops[0].name == "demote");
  CHECK(ops[1].attrs[0].second == "15s");
  CHECK(ops[2].attrs[0].second == "16s");
  CHECK(ops[3].name == "start");
  CHECK(ops[4].name == "stop");
}

TEST_CASE("primitives, constraints and ids as pcs writes them") {
  CibDocument doc = CibDocument::empty();
  PrimitiveSpec ip{"IP", "ocf", "heartbeat", "IPaddr2", {{"ip", "10.0.0.1"}, {"cidr_netmask", "32"}},
                   {{"monitor", {{"interval", "10s"}}}}, {}};
  REQUIRE(create_primitive(doc, ip, {}));
  CHECK(doc.find_id("IP-instance_attributes-cidr_netmask"));
  CHECK(doc.find_id("IP-monitor-interval-10s"));
  CHECK(create_primitive(doc, ip, {}).code() == ExitCode::exists);
  PrimitiveSpec web{"Web", "ocf", "heartbeat", "apache", {}, {}, {}};
  REQUIRE(create_primitive(doc, web, {"grp", "", ""}));

  auto loc = add_location(doc, {"IP", "n1", "INFINITY", false, {}}, false);
  REQUIRE(loc);
  CHECK(*loc == "location-IP-n1-INFINITY");
  auto avoid = add_location(doc, {"Web", "n2", "200", true, {}}, false);
  REQUIRE(avoid);
  CHECK(*avoid == "location-Web-n2--200");
  CHECK(add_location(doc, {"Nope", "n1", "INFINITY", false, {}}, false).status().code() == ExitCode::no_such);
  CHECK(add_location(doc, {"IP", "n1", "lots", false, {}}, false).status().code() == ExitCode::invalid_param);
  auto col = add_colocation(doc, {"IP", "Web", "", "", "INFINITY", {}}, false);
  REQUIRE(col);
  CHECK(*col == "colocation-IP-Web-INFINITY");
  auto ord = add_order(doc, {"IP", "Web", "start", "start", {}}, false);
  REQUIRE(ord);
  CHECK(*ord == "order-IP-Web-mandatory");
  CHECK(constraint_refs(doc, "Web").size() == 3);

  // Deleting a resource takes its constraints and an emptied group with it.
  std::vector<std::string> removed;
  REQUIRE(delete_resource(doc, "Web", &removed));
  CHECK(removed.size() == 3);
  CHECK_FALSE(find_resource(doc, "grp"));
}

TEST_CASE("move, ban and clear constraints") {
  CibDocument doc = CibDocument::empty();
  REQUIRE(create_primitive(doc, {"R", "ocf", "pacemaker", "Dummy", {}, {}, {}}, {}));
  auto ban = add_ban_constraint(doc, "R", "n1", "");
  REQUIRE(ban);
  CHECK(*ban == "cli-ban-R-on-n1");
  auto move = add_move_constraint(doc, "R", "n2", "");
  REQUIRE(move);
  CHECK(*move == "cli-prefer-R");
  CHECK_FALSE(doc.find_id("cli-ban-R-on-n1"));  // a move replaces older move constraints
  CHECK(clear_move_constraints(doc, "R", "").size() == 1);
}

TEST_CASE("verify reports what crm_verify would") {
  CibDocument doc = CibDocument::empty();
  auto f = verify(doc);
  CHECK(has_errors(f));  // stonith enabled by default with no device
  CHECK_FALSE(has_errors(verify(doc, true)));
  auto bad = CibDocument::parse(
      "<cib><configuration><crm_config/><nodes/><resources><primitive id=\"a\" class=\"ocf\" type=\"Dummy\"/>"
      "<primitive id=\"a\" class=\"ocf\" provider=\"p\" type=\"Dummy\"/></resources><constraints>"
      "<rsc_order id=\"o\" first=\"a\" then=\"ghost\"/></constraints></configuration></cib>");
  REQUIRE(bad);
  auto g = verify(*bad, true);
  CHECK(g.size() >= 3);  // duplicate id, missing provider, dangling reference
}

TEST_CASE("cluster.conf parses what it formats and rejects junk") {
  ClusterConf c;
  c.cluster_name = "web";
  c.nodes = {{1, "a", "10.0.0.1", 0}, {2, "b", "10.0.0.2", 5406}};
  auto back = parse_cluster_conf(format_cluster_conf(c));
  REQUIRE(back);
  CHECK(back->nodes.size() == 2);
  CHECK(back->nodes[1].port == 5406);
  CHECK_FALSE(parse_cluster_conf("cluster_name = x\nnode 1 a addr=1\nnode 1 b addr=2\n"));
  CHECK_FALSE(parse_cluster_conf("bogus\n"));
  CHECK_FALSE(parse_cluster_conf("port = 99999999\n"));
}

TEST_CASE("node attributes need a known node") {
  CibDocument doc = CibDocument::empty();
  ensure_nodes(doc, {{"1", "n1"}});
  CHECK(set_node_attribute(doc, "n1", "standby", "on"));
  CHECK(doc.find_id("nodes-1-standby"));
  CHECK(set_node_attribute(doc, "n9", "standby", "on").code() == ExitCode::no_such);
  CHECK(set_node_attribute(doc, "n1", "standby", ""));
  CHECK_FALSE(doc.find_id("nodes-1"));
}
