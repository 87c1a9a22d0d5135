// Operation digests recomputed from Pacemaker's own scheduler regression
// inputs (cts/scheduler/xml): the expected values below are op-digest,
// op-restart-digest and op-secure-digest attributes Pacemaker recorded there.
#include <doctest/doctest.h>

#include <string>

#include "core/cib_document.h"
#include "core/cib_model.h"
#include "core/md5.h"
#include "core/scheduler/op_digest.h"
#include "core/scheduler/transition.h"

using namespace hactl::core;
using sched::DigestMatch;

namespace {

// restart-with-extra-op-params.xml, reduced to dummy1 on node2. The start's
// digests were recorded before trace_ra was added to the start op.
std::string extra_op_params_cib(const std::string& passwd = "whatever", bool trace_ra = true,
                                bool start_digest = true) {
  std::string start_params =
      trace_ra ? "<instance_attributes id=\"s-ia\"><nvpair name=\"trace_ra\" value=\"1\" id=\"s-tr\"/></instance_attributes>"
               : "";
  std::string digest = start_digest ? " op-digest=\"457016173e548c394dcf3896e3066412\"" : "";
  std::string restart = start_digest ? " op-force-restart=\"  envfile op_sleep passwd state  \""
                                       " op-restart-digest=\"5de129d7fe42dbcfe537f2c63b1921b6\""
                                     : "";
  return "<cib crm_feature_set=\"3.16.0\" validate-with=\"pacemaker-2.5\" epoch=\"1\" num_updates=\"0\" admin_epoch=\"0\" have-quorum=\"1\">"
         "<configuration><crm_config><cluster_property_set id=\"o\"><nvpair id=\"o1\" name=\"stonith-enabled\""
         " value=\"false\"/></cluster_property_set></crm_config><nodes><node id=\"2\" uname=\"node2\"/></nodes><resources>"
         "<primitive id=\"dummy1\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\">"
         "<instance_attributes id=\"ia\"><nvpair name=\"passwd\" value=\"" + passwd + "\" id=\"ia-p\"/>"
         "<nvpair name=\"fake\" value=\"foo\" id=\"ia-f\"/></instance_attributes><operations>"
         "<op name=\"start\" timeout=\"20\" interval=\"0\" id=\"s\">" + start_params + "</op>"
         "<op name=\"stop\" timeout=\"20\" interval=\"0\" id=\"st\"/>"
         "<op name=\"monitor\" timeout=\"20\" interval=\"10\" id=\"m\"/></operations></primitive>"
         "</resources><constraints/></configuration><status>"
         "<node_state id=\"2\" uname=\"node2\" in_ccm=\"true\" crmd=\"online\" join=\"member\" expected=\"member\">"
         "<lrm id=\"2\"><lrm_resources><lrm_resource id=\"dummy1\" type=\"Dummy\" class=\"ocf\" provider=\"pacemaker\">"
         "<lrm_rsc_op id=\"dummy1_last_0\" operation_key=\"dummy1_start_0\" operation=\"start\" crm_feature_set=\"3.16.0\""
         " transition-key=\"7:2:0:x\" call-id=\"10\" rc-code=\"0\" op-status=\"0\" interval=\"0\"" + digest + restart +
         " op-secure-params=\"  passwd  \" op-secure-digest=\"e989cbe4a0e9492305ffdc8c6391ffee\"/>"
         "<lrm_rsc_op id=\"dummy1_monitor_10000\" operation_key=\"dummy1_monitor_10000\" operation=\"monitor\""
         " crm_feature_set=\"3.16.0\" transition-key=\"8:2:0:x\" call-id=\"11\" rc-code=\"0\" op-status=\"0\""
         " interval=\"10000\" op-digest=\"f9a51bfe2c3d74c3b72202f3101682b7\" op-secure-params=\"  passwd  \""
         " op-secure-digest=\"5bdf174ed64795a495a62489f1057eff\"/>"
         "</lrm_resource></lrm_resources></lrm></node_state></status></cib>";
}

struct Checked {
  sched::DigestCheck start, monitor;
};

Checked check(const std::string& xml, bool sanitized) {
  auto doc = CibDocument::parse(xml);
  REQUIRE(doc.is_ok());
  Cib cib = read_cib(*doc);
  const Primitive* p = cib.find_primitive("dummy1");
  REQUIRE(p != nullptr);
  const auto& ops = cib.node_states.at(0).resources.at(0).ops;
  REQUIRE(ops.size() == 2);
  return {sched::compare_op_digest(cib, *p, ops[0], sanitized), sched::compare_op_digest(cib, *p, ops[1], sanitized)};
}

}  // namespace

TEST_CASE("md5 of the RFC 1321 test suite") {
  CHECK(md5_hex("") == "d41d8cd98f00b204e9800998ecf8427e");
  CHECK(md5_hex("abc") == "900150983cd24fb0d6963f7d28e17f72");
  CHECK(md5_hex("message digest") == "f96b697d7cb7938d525a2f31aaf161d0");
  CHECK(md5_hex("abcdefghijklmnopqrstuvwxyz") == "c3fcd3d76192e4007dfb496cca67e13b");
  CHECK(md5_hex("12345678901234567890123456789012345678901234567890123456789012345678901234567890") ==
        "57edf4a22be3c955ac49da2e2107b67a");
}

TEST_CASE("parameter digests match those Pacemaker recorded in its regression inputs") {
  // A parameterless agent (e.g. every ocf:pacemaker:Dummy start in cts).
  CHECK(sched::parameters_digest({}) == "f2317cad3d54cec5d7d7aa7d0bf35cf8");
  // restart-with-extra-op-params: start, and its 10s monitor with the timeout.
  CHECK(sched::parameters_digest({{"passwd", "whatever"}, {"fake", "foo"}}) == "457016173e548c394dcf3896e3066412");
  CHECK(sched::parameters_digest({{"passwd", "whatever"}, {"fake", "foo"}, {"CRM_meta_timeout", "20000"}}) ==
        "f9a51bfe2c3d74c3b72202f3101682b7");
  // cancel-behind-moving-remote: rabbitmq's set_policy holds quotes.
  CHECK(sched::parameters_digest({{"set_policy",
                                   "ha-all ^(?!amq\\.).* {\"ha-mode\":\"exactly\",\"ha-params\":2,"
                                   "\"ha-promote-on-shutdown\":\"always\"}"}}) == "e3a5f71f4c37be2ed068e4f0dcc847a9");
}

TEST_CASE("values are escaped as crm_xml_escape does") {
  CHECK(sched::pacemaker_xml_escape("a<b>&\"'") == "a&lt;b&gt;&amp;&quot;&apos;");
  CHECK(sched::pacemaker_xml_escape("a\tb\nc\rd") == "a    b\\nc\\rd");
  CHECK(sched::pacemaker_xml_escape(std::string("x\x01y")) == "x\\001y");
  // The first multi-byte character ends the escaping.
  CHECK(sched::pacemaker_xml_escape("<\xc3\xa9<") == "&lt;\xc3\xa9<");
}

TEST_CASE("an op's own parameters changed: only a restart applies them") {
  Checked c = check(extra_op_params_cib(), true);
  CHECK(c.start.result == DigestMatch::restart_needed);
  CHECK_FALSE(c.start.only_private_changed);
  CHECK(c.monitor.result == DigestMatch::match);

  // Without a recorded digest nothing is known, whatever the configuration.
  CHECK(check(extra_op_params_cib("whatever", true, false), true).start.result == DigestMatch::unknown);
  // The configuration the digests were recorded with.
  CHECK(check(extra_op_params_cib("whatever", false), true).start.result == DigestMatch::match);
}

TEST_CASE("a change in private parameters only: what crm_simulate -x ignores") {
  // Checked with crm_simulate 2.1.5: "Only 'private' parameters to 0s-interval
  // start for dummy1 on node2 changed", while the monitor is rescheduled (the
  // secure digest Pacemaker computes leaves out the recurring timeout).
  Checked c = check(extra_op_params_cib("changed", false), true);
  CHECK(c.start.result == DigestMatch::restart_needed);  // passwd is in op-force-restart
  CHECK(c.start.only_private_changed);
  CHECK(c.monitor.result == DigestMatch::changed);
  CHECK_FALSE(c.monitor.only_private_changed);
  // A live cluster (not a saved CIB) acts on any change.
  CHECK_FALSE(check(extra_op_params_cib("changed", false), false).start.only_private_changed);
}

TEST_CASE("a start recorded without a digest is never taken as a changed definition") {
  // hactl's controller records no op-digest: Pacemaker would restart every
  // such resource ("unknown" forces a restart there); hactl leaves it alone.
  auto summary_of = [](const std::string& xml) {
    auto doc = CibDocument::parse(xml);
    REQUIRE(doc.is_ok());
    Cib cib = read_cib(*doc);
    ScheduleOptions opt;
    opt.sanitized = true;
    std::string out;
    for (const auto& s : schedule(cib, opt).summary) out += s.verb + " " + s.rsc + " due to " + s.reason + "\n";
    return out;
  };
  CHECK(summary_of(extra_op_params_cib("whatever", true, false)).empty());
  CHECK(summary_of(extra_op_params_cib()) == "Restart dummy1 due to resource definition change\n");
}
