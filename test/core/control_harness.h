// A coordinator with its inputs in memory: the test sets the view and the
// clock, feeds events, and every status edit the coordinator emits is applied
// to the harness's CIB in order (as the daemon's status batch does).
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/cib_document.h"
#include "core/cluster_conf.h"
#include "core/control/coordinator.h"

namespace hactl::test {

inline core::ClusterConf two_node_conf() {
  core::ClusterConf conf;
  conf.cluster_name = "t";
  conf.nodes = {{1, "n1", "127.0.0.1", 0}, {2, "n2", "127.0.0.2", 0}};
  return conf;
}

// A CIB with stonith disabled and the given <resources> content.
inline core::CibDocument cib_with(const std::string& resources, const std::string& constraints = "") {
  std::string xml =
      "<cib admin_epoch=\"0\" epoch=\"5\" num_updates=\"0\" validate-with=\"pacemaker-3.9\"><configuration>"
      "<crm_config><cluster_property_set id=\"o\"><nvpair id=\"o-s\" name=\"stonith-enabled\" value=\"false\"/>"
      "</cluster_property_set></crm_config><nodes><node id=\"1\" uname=\"n1\"/><node id=\"2\" uname=\"n2\"/></nodes>"
      "<resources>" + resources + "</resources><constraints>" + constraints + "</constraints></configuration>"
      "<status/></cib>";
  auto doc = core::CibDocument::parse(xml);
  REQUIRE(doc.is_ok());
  return std::move(*doc);
}

inline std::string dummy(const std::string& id, const std::string& ops = "") {
  return "<primitive id=\"" + id + "\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"><operations>" + ops +
         "</operations></primitive>";
}

struct CoordinatorHarness {
  core::ClusterConf conf = two_node_conf();
  core::CibDocument doc;
  core::control::Coordinator co{{0, 1400}};
  core::control::View view;
  int64_t now_ms = 0;
  bool failing = false;

  explicit CoordinatorHarness(core::CibDocument d) : doc(std::move(d)) {
    view.up = {1, 2};
    view.dc = 1;
    view.quorate = true;
    view.self = 1;
  }

  core::control::Effects on(const core::control::Event& e) {
    core::control::Inputs in;
    in.now = {now_ms, 1700000000 + now_ms / 1000};
    in.view = view;
    in.conf = &conf;
    in.cib = [this]() -> const core::CibDocument& { return doc; };
    in.status_failing = [this] { return failing; };
    auto fx = co.on(e, in);
    for (auto& ed : fx.edits) ed.apply(doc);
    return fx;
  }
  // Advances the clock to the coordinator's next wakeup and ticks.
  core::control::Effects tick() {
    now_ms = std::max(now_ms, co.next_wakeup());
    return on(core::control::Tick{});
  }
  // Ticks until some action is asked for (or `max` ticks pass).
  core::control::Effects run_until_executes(int max = 50) {
    for (int i = 0; i < max; ++i) {
      auto fx = tick();
      if (!fx.executes.empty() || !fx.fences.empty()) return fx;
    }
    return {};
  }
  // The result of an execute, as the node's executor would report it.
  static core::control::ActionReport report(const core::control::Execute& x, core::OcfRc rc,
                                            core::ExecStatus st = core::ExecStatus::done) {
    core::control::ActionReport r;
    r.from = x.node;
    r.rsc = x.request.rsc;
    r.action = x.request.action;
    r.standard = x.request.standard;
    r.provider = x.request.provider;
    r.type = x.request.type;
    r.interval_ms = x.request.interval_ms;
    r.rc = rc;
    r.status = st;
    r.route = x.request.route;
    return r;
  }
  core::control::Effects result(const core::control::Execute& x, core::OcfRc rc) {
    return on(core::control::ResultReceived{report(x, rc)});
  }
};

// "start A on n1" style descriptions of the executes, for readable checks.
inline std::vector<std::string> describe(const core::control::Effects& fx) {
  std::vector<std::string> out;
  for (const auto& x : fx.executes)
    out.push_back((x.request.action == "monitor" && x.request.interval_ms == 0 ? std::string("probe")
                                                                                 : x.request.action) +
                  " " + x.request.rsc + " on n" + std::to_string(x.node));
  return out;
}

}  // namespace hactl::test
