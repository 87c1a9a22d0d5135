// Fencing delays (core/fence_delay.h): device delays and priority-fencing-delay,
// with Pacemaker's rules.
#include "core/fence_delay.h"

#include <doctest/doctest.h>

#include <set>

#include "core/cib_document.h"

using namespace hactl::core;

TEST_CASE("fencing delay: pcmk_delay_base and pcmk_delay_max, Pacemaker's adjustments") {
  struct Row { Attributes params; const char* target; int64_t base, max; size_t problems; };
  for (const Row& r : {Row{{}, "n1", 0, 0, 0},
                       Row{{{"pcmk_delay_base", "2s"}}, "n1", 2000, 2000, 0},
                       Row{{{"pcmk_delay_max", "5s"}}, "n1", 0, 5000, 0},
                       Row{{{"pcmk_delay_base", "1s"}, {"pcmk_delay_max", "5"}}, "n1", 1000, 5000, 0},
                       Row{{{"pcmk_delay_base", "7s"}, {"pcmk_delay_max", "5s"}}, "n1", 5000, 5000, 1},
                       Row{{{"pcmk_delay_base", "500ms"}}, "n1", 500, 500, 0},
                       Row{{{"pcmk_delay_base", "PT1M"}}, "n1", 60000, 60000, 0},
                       Row{{{"pcmk_delay_base", "n1:1s;n2:5"}}, "n1", 1000, 1000, 0},
                       Row{{{"pcmk_delay_base", "n1:1s;n2:5"}}, "N2", 5000, 5000, 0},
                       Row{{{"pcmk_delay_base", "n1:1s n2:5"}}, "n3", 0, 0, 0},
                       Row{{{"pcmk_delay_base", "n1:1s;n2:"}}, "n3", 0, 0, 1},
                       Row{{{"pcmk_delay_base", "n1:soon"}}, "n1", 0, 0, 1},
                       Row{{{"pcmk_delay_max", "a while"}}, "n1", 0, 0, 1}}) {
    DelaySpec d = device_delay(r.params, r.target);
    CAPTURE(r.target);
    CHECK(d.base_ms == r.base);
    CHECK(d.max_ms == r.max);
    CHECK(d.problems.size() == r.problems);
  }
}

TEST_CASE("fencing delay: the draw is in [base, max] and uses the whole range") {
  DelaySpec d{1000, 1004, {}};
  std::set<int64_t> seen;
  for (uint64_t r = 0; r < 50; ++r) {
    int64_t v = pick_delay_ms(d, r * 7919);
    CHECK(v >= 1000);
    CHECK(v <= 1004);
    seen.insert(v);
  }
  CHECK(seen.size() == 5);
  CHECK(pick_delay_ms({2000, 2000, {}}, 12345) == 2000);
  CHECK(pick_delay_ms({0, 0, {}}, 12345) == 0);
  CHECK(pick_delay_ms({0, 3000, {}}, ~uint64_t{0}) <= 3000);
}

TEST_CASE("priority-fencing-delay: only the lost node with the highest priority waits") {
  using N = std::vector<NodePriority>;
  struct Row { const char* what; int64_t prop; const char* target; N nodes; int64_t want; };
  const N split = {{"n1", false, 10}, {"n2", true, 0}};  // seen from n2: n1 (running the resources) lost
  for (const Row& r : {
           Row{"lost, highest priority: delayed", 5000, "n1", split, 5000},
           Row{"lost, lower priority: at once", 5000, "n2", {{"n1", true, 10}, {"n2", false, 0}}, 0},
           Row{"property unset", 0, "n1", split, 0},
           Row{"target online (fenced for another reason)", 5000, "n1", {{"n1", true, 10}, {"n2", true, 0}}, 0},
           Row{"equal priorities: device delays decide", 5000, "n1", {{"n1", false, 3}, {"n2", true, 3}}, 0},
           Row{"this partition is a majority", 5000, "n1", {{"n1", false, 10}, {"n2", true, 0}, {"n3", true, 0}}, 0},
           Row{"half of four is no majority", 5000, "n1",
               {{"n1", false, 10}, {"n2", true, 0}, {"n3", true, 1}, {"n4", false, 0}}, 5000},
           Row{"ties at the top both wait", 5000, "n4",
               {{"n1", false, 10}, {"n2", true, 0}, {"n3", true, 1}, {"n4", false, 10}}, 5000},
           Row{"unknown target", 5000, "n9", split, 0},
           Row{"name case does not matter", 5000, "N1", split, 5000}}) {
    CAPTURE(r.what);
    CHECK(priority_fencing_delay_ms(r.prop, r.target, r.nodes) == r.want);
  }
}

TEST_CASE("priority-fencing-delay: node priorities are the sums of the active resources' priorities") {
  // n1 (lost) runs vip (priority 10) and web (rsc-defaults priority 1); n2
  // (online) has db (priority 100) failed: not counted.
  const std::string xml = R"(<cib admin_epoch="0" epoch="1" num_updates="0" validate-with="pacemaker-3.7"><configuration>
<crm_config/><nodes><node id="1" uname="n1"/><node id="2" uname="n2"/></nodes>
<resources>
<primitive id="vip" class="ocf" provider="heartbeat" type="IPaddr2"><meta_attributes id="vip-m"><nvpair id="vip-p" name="priority" value="10"/></meta_attributes></primitive>
<primitive id="web" class="ocf" provider="heartbeat" type="apache"/>
<primitive id="db" class="ocf" provider="heartbeat" type="pgsql"><meta_attributes id="db-m"><nvpair id="db-p" name="priority" value="100"/></meta_attributes></primitive>
</resources><constraints/>
<rsc_defaults><meta_attributes id="rd"><nvpair id="rd-p" name="priority" value="1"/></meta_attributes></rsc_defaults>
</configuration><status>
<node_state id="1" uname="n1" in_ccm="false" crmd="offline" join="down" expected="member"><lrm id="1"><lrm_resources>
<lrm_resource id="vip" class="ocf" provider="heartbeat" type="IPaddr2"><lrm_rsc_op id="vip_last_0" operation_key="vip_start_0" operation="start" call-id="1" rc-code="0" op-status="0" interval="0"/></lrm_resource>
<lrm_resource id="web" class="ocf" provider="heartbeat" type="apache"><lrm_rsc_op id="web_last_0" operation_key="web_start_0" operation="start" call-id="2" rc-code="0" op-status="0" interval="0"/></lrm_resource>
</lrm_resources></lrm></node_state>
<node_state id="2" uname="n2" in_ccm="true" crmd="online" join="member" expected="member"><lrm id="2"><lrm_resources>
<lrm_resource id="db" class="ocf" provider="heartbeat" type="pgsql"><lrm_rsc_op id="db_last_0" operation_key="db_start_0" operation="start" call-id="3" rc-code="1" op-status="0" interval="0"/></lrm_resource>
</lrm_resources></lrm></node_state>
</status></cib>)";
  auto doc = CibDocument::parse(xml);
  REQUIRE(doc);
  Cib cib = read_cib(*doc);
  auto nodes = node_priorities(cib, 1000);
  REQUIRE(nodes.size() == 2);
  CHECK(nodes[0].name == "n1");
  CHECK(!nodes[0].online);
  CHECK(nodes[0].priority == 11);
  CHECK(nodes[1].name == "n2");
  CHECK(nodes[1].online);
  CHECK(nodes[1].priority == 0);
  CHECK(priority_fencing_delay_ms(3000, "n1", nodes) == 3000);
  CHECK(priority_fencing_delay_ms(3000, "n2", nodes) == 0);
}
