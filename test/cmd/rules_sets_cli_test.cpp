// pcs 0.11's rule and resource-set constraint commands: the CIB written
// (ids and layout as pcs writes them), the listing, and refusals that name
// the offending token and leave the file unchanged.
#include <doctest/doctest.h>

#include "test/cmd/cli_harness.h"

#include "test/cmd/offline_cib.h"

using hactl::test::Run;
using hactl::test::Scratch;

namespace {
void setup(Scratch& s) {
  // `-f FILE cluster setup` is refused as pcs refuses it: the file comes from a throwaway setup.
  REQUIRE(hactl::test::setup_cib_file(s, "W n1 addr=10.0.0.1 n2 addr=10.0.0.2", "cib.xml").rc == 0);
  for (const char* c : {"resource create WebSite ocf:pacemaker:Dummy",
                        "resource create A ocf:pacemaker:Dummy", "resource create B ocf:pacemaker:Dummy"})
    REQUIRE(s.hactl(std::string("-f cib.xml ") + c).rc == 0);
}
}  // namespace

TEST_CASE("rules cli: the ping rule, nested rules, dates and types as pcs writes them") {
  Scratch s;
  setup(s);
  REQUIRE(s.hactl("-f cib.xml constraint location WebSite rule score=-INFINITY pingd lt 1 or not_defined pingd").rc == 0);
  REQUIRE(s.hactl("-f cib.xml constraint location A rule '(' '#uname' eq n1 or '#uname' eq n2 ')' and "
                  "date in_range 2024-01-01 to duration months=2 and date-spec hours=9-17 weekdays=1-5").rc == 0);
  REQUIRE(s.hactl("-f cib.xml constraint location B rule a eq 1 and b gt integer 2 or c eq 3").rc == 0);
  REQUIRE(s.hactl("-f cib.xml constraint rule add location-WebSite score=5 '#uname' eq n2").rc == 0);
  std::string cib = hactl::test::slurp(s.path("cib.xml"));
  for (const char* want :
       {"<rule id=\"location-WebSite-rule\" boolean-op=\"or\" score=\"-INFINITY\">",
        "<expression id=\"location-WebSite-rule-expr\" operation=\"lt\" attribute=\"pingd\" value=\"1\"/>",
        "<expression id=\"location-WebSite-rule-expr-1\" operation=\"not_defined\" attribute=\"pingd\"/>",
        "<rule id=\"location-WebSite-rule-1\" score=\"5\">",
        "<rule id=\"location-A-rule-rule\" boolean-op=\"or\" score=\"0\">",
        "<date_expression id=\"location-A-rule-expr\" operation=\"in_range\" start=\"2024-01-01\">",
        "<duration id=\"location-A-rule-expr-duration\" months=\"2\"/>",
        "<date_spec id=\"location-A-rule-expr-1-datespec\" hours=\"9-17\" weekdays=\"1-5\"/>",
        // left to right: (a and b) or c
        "<rule id=\"location-B-rule\" boolean-op=\"or\" score=\"INFINITY\">",
        "<rule id=\"location-B-rule-rule\" boolean-op=\"and\" score=\"0\">",
        "type=\"integer\" value=\"2\""}) {
    INFO(want);
    CHECK(cib.find(want) != std::string::npos);
  }
  Run list = s.hactl("-f cib.xml constraint config");
  CHECK(list.out.find("      Rule: boolean-op=or score=-INFINITY (id:location-WebSite-rule)\n"
                      "        Expression: pingd lt 1 (id:location-WebSite-rule-expr)\n"
                      "        Expression: not_defined pingd (id:location-WebSite-rule-expr-1)\n") != std::string::npos);
  CHECK(list.out.find("          Date Spec: hours=9-17 weekdays=1-5 (id:location-A-rule-expr-1-datespec)") != std::string::npos);
  // rule remove: the last rule takes its constraint with it.
  REQUIRE(s.hactl("-f cib.xml constraint rule remove location-B-rule").rc == 0);
  CHECK(hactl::test::slurp(s.path("cib.xml")).find("location-B") == std::string::npos);
}

TEST_CASE("rules cli: the ping rule keeps WebSite off nodes without connectivity") {
  Scratch s;
  setup(s);
  REQUIRE(s.hactl("-f cib.xml property set stonith-enabled=false no-quorum-policy=ignore").rc == 0);
  REQUIRE(s.hactl("-f cib.xml constraint location WebSite rule score=-INFINITY pingd lt 1 or not_defined pingd").rc == 0);
  auto start_of_website = [&] {
    Run sim = s.sh("ln -sf " + hactl::test::quote(HACTL_BINARY) + " crm_simulate && ./crm_simulate -x cib.xml -S -u n1 -u n2");
    std::string squashed;
    for (char c : sim.out)
      if (c != ' ') squashed += c;
    INFO(sim.out << sim.err);
    if (squashed.find("*StartWebSite(n1)") != std::string::npos) return std::string("n1");
    if (squashed.find("*StartWebSite(n2)") != std::string::npos) return std::string("n2");
    return std::string("none");
  };
  REQUIRE(s.hactl("-f cib.xml node attribute n1 pingd=0").rc == 0);
  REQUIRE(s.hactl("-f cib.xml node attribute n2 pingd=1").rc == 0);
  CHECK(start_of_website() == "n2");  // lt 1 bans n1
  REQUIRE(s.hactl("-f cib.xml node attribute n1 pingd=2").rc == 0);
  REQUIRE(s.hactl("-f cib.xml node attribute n2 pingd=").rc == 0);
  CHECK(start_of_website() == "n1");  // not_defined bans n2
}

TEST_CASE("sets cli: order and colocation sets with pcs ids, options and listing") {
  Scratch s;
  setup(s);
  REQUIRE(s.hactl("-f cib.xml constraint order set A B WebSite").rc == 0);
  REQUIRE(s.hactl("-f cib.xml constraint order set A B action=stop sequential=false set WebSite require-all=false "
                  "setoptions kind=Optional symmetrical=false id=myord").rc == 0);
  REQUIRE(s.hactl("-f cib.xml constraint colocation set A B setoptions score=100").rc == 0);
  std::string cib = hactl::test::slurp(s.path("cib.xml"));
  for (const char* want : {"<rsc_order id=\"order_set_AABBWe\">", "<resource_set id=\"order_set_AABBWe_set\">",
                           "<rsc_order kind=\"Optional\" symmetrical=\"false\" id=\"myord\">",
                           "<resource_set action=\"stop\" sequential=\"false\" id=\"myord_set\">",
                           "<resource_set require-all=\"false\" id=\"myord_set-1\">",
                           "<rsc_colocation score=\"100\" id=\"colocation_set_AABB\">"}) {
    INFO(want);
    CHECK(cib.find(want) != std::string::npos);
  }
  Run list = s.hactl("-f cib.xml constraint config");
  CHECK(list.out.find("Ordering Constraints:\n  Resource Sets:\n    set A B WebSite (id:order_set_AABBWe_set) (id:order_set_AABBWe)\n"
                      "    set A B action=stop sequential=false (id:myord_set) set WebSite require-all=false "
                      "(id:myord_set-1) setoptions kind=Optional symmetrical=false (id:myord)\n") != std::string::npos);
  CHECK(list.out.find("    set A B (id:colocation_set_AABB_set) setoptions score=100 (id:colocation_set_AABB)\n") !=
        std::string::npos);
}

TEST_CASE("rules and sets cli: refusals name the token and write nothing") {
  Scratch s;
  setup(s);
  const std::string before = hactl::test::slurp(s.path("cib.xml"));
  struct Bad {
    const char* args;
    const char* says;
  };
  for (Bad b : {Bad{"constraint location A rule score=10 foo gt", "'foo gt' is not a valid rule expression: unexpected end of rule"},
                Bad{"constraint location A rule foo gt 1 2", "'foo gt 1 2' is not a valid rule expression: unexpected '2'"},
                Bad{"constraint location A rule foo bogus 1", "unexpected 'bogus'"},
                Bad{"constraint location A rule date gt 2024-99-01", "'2024-99-01' is not an ISO 8601 date"},
                Bad{"constraint location A rule date-spec bogus=1", "unexpected 'bogus=1' in date-spec"},
                Bad{"constraint location A rule '(' a eq 1", "unexpected end of rule"},
                Bad{"constraint location A rule score=abc a eq 1", "invalid score 'abc'"},
                Bad{"constraint location Nope rule a eq 1", "'Nope' does not exist"},
                Bad{"constraint rule add nosuch a eq 1", "Unable to find constraint: nosuch"},
                Bad{"constraint rule remove nosuch", "Unable to find rule with id: nosuch"},
                Bad{"constraint order set A bogus=1", "invalid set option 'bogus'"},
                Bad{"constraint order set A B action=jump", "'jump' is not a valid action value"},
                Bad{"constraint order set A B setoptions score=1", "invalid option 'score'"},
                Bad{"constraint colocation set A B setoptions score=abc", "invalid score 'abc'"},
                Bad{"constraint colocation set A B sequential=maybe", "'maybe' is not a valid sequential value"},
                Bad{"constraint order set A X", "'X' does not exist"}}) {
    Run r = s.hactl(std::string("-f cib.xml ") + b.args);
    INFO(b.args << "\nstderr: " << r.err);
    CHECK(r.rc != 0);
    CHECK(r.err.rfind("Error: ", 0) == 0);
    CHECK(r.err.find(b.says) != std::string::npos);
    CHECK(hactl::test::slurp(s.path("cib.xml")) == before);
  }
  // A duplicate set constraint is refused unless forced.
  REQUIRE(s.hactl("-f cib.xml constraint order set A B").rc == 0);
  const std::string once = hactl::test::slurp(s.path("cib.xml"));
  Run dup = s.hactl("-f cib.xml constraint order set A B");
  CHECK(dup.rc != 0);
  CHECK(dup.err.find("duplicate constraint already exists") != std::string::npos);
  CHECK(hactl::test::slurp(s.path("cib.xml")) == once);
}
