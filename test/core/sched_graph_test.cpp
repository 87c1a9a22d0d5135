// The executable actions hactl's scheduler puts in a transition, against the
// transition graphs Pacemaker's own regression suite expects
// (cts/scheduler/exp/NAME.exp, in the unpacked source that
// bench/conformance/run.sh downloads into .deps/): every recurring monitor,
// and the timeout (CRM_meta_timeout) of every probe, start, stop and monitor
// both graphs have. The scenarios are those of sched_graph_agreement.txt;
// without the inputs the test says so and checks nothing.
#include <doctest/doctest.h>
#include <tinyxml2.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "core/cib_document.h"
#include "core/cib_model.h"
#include "core/scheduler/transition.h"

using namespace hactl;
namespace fs = std::filesystem;

namespace {

// (resource without a clone instance suffix, task, interval, node)
using ActionId = std::tuple<std::string, std::string, int64_t, std::string>;

struct GraphActions {
  std::multiset<ActionId> recurring_monitors;
  std::map<ActionId, std::set<int64_t>> timeouts;
};

std::string without_instance(const std::string& rsc) {
  auto colon = rsc.rfind(':');
  if (colon == std::string::npos || colon + 1 == rsc.size()) return rsc;
  for (size_t i = colon + 1; i < rsc.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(rsc[i]))) return rsc;
  return rsc.substr(0, colon);
}

void note(GraphActions& g, ActionId id, int64_t timeout) {
  if (std::get<1>(id) == "monitor" && std::get<2>(id) > 0) g.recurring_monitors.insert(id);
  g.timeouts[id].insert(timeout);
}

// The rsc_op elements of the graph's action sets (not their triggers).
GraphActions expected_actions(const fs::path& exp) {
  GraphActions g;
  tinyxml2::XMLDocument doc;
  REQUIRE(doc.LoadFile(exp.c_str()) == tinyxml2::XML_SUCCESS);
  for (auto* syn = doc.RootElement()->FirstChildElement("synapse"); syn; syn = syn->NextSiblingElement("synapse")) {
    auto* set = syn->FirstChildElement("action_set");
    for (auto* op = set ? set->FirstChildElement("rsc_op") : nullptr; op; op = op->NextSiblingElement("rsc_op")) {
      const std::string task = op->Attribute("operation") ? op->Attribute("operation") : "";
      if (task != "start" && task != "stop" && task != "monitor") continue;
      const std::string key = op->Attribute("operation_key") ? op->Attribute("operation_key") : "";
      auto u2 = key.rfind('_');
      auto u1 = u2 == std::string::npos || u2 == 0 ? std::string::npos : key.rfind('_', u2 - 1);
      REQUIRE(u1 != std::string::npos);
      const auto* attrs = op->FirstChildElement("attributes");
      note(g, {without_instance(key.substr(0, u1)), task, std::stoll(key.substr(u2 + 1)), op->Attribute("on_node")},
           attrs ? attrs->Int64Attribute("CRM_meta_timeout", -1) : -1);
    }
  }
  return g;
}

GraphActions scheduled_actions(const fs::path& xml) {
  std::ifstream in(xml);
  std::stringstream text;
  text << in.rdbuf();
  auto doc = core::CibDocument::parse(text.str());
  REQUIRE(doc.is_ok());
  core::Cib cib = core::read_cib(*doc);
  core::ScheduleOptions opt;
  // As crm_simulate -x: the date the CIB was saved with, else now.
  opt.now = !cib.execution_date.empty() ? std::stoll(cib.execution_date) : static_cast<int64_t>(std::time(nullptr));
  opt.sanitized = true;
  GraphActions g;
  for (const auto& a : core::schedule(cib, opt).actions) {
    if (!a.runnable || a.optional) continue;
    if (a.kind != core::ActionKind::probe && a.kind != core::ActionKind::start && a.kind != core::ActionKind::stop &&
        a.kind != core::ActionKind::monitor)
      continue;
    note(g, {without_instance(a.rsc), a.task, a.interval_ms, a.node}, a.timeout_ms);
  }
  return g;
}

fs::path find_cts() {
  const fs::path deps = fs::path(HACTL_SOURCE_DIR) / ".deps" / "pacemaker-src";
  if (!fs::is_directory(deps)) return {};
  for (const auto& e : fs::directory_iterator(deps))
    if (fs::is_directory(e.path() / "cts" / "scheduler" / "exp")) return e.path() / "cts" / "scheduler";
  return {};
}

}  // namespace

TEST_CASE("scheduler graphs: recurring monitors and timeouts as Pacemaker's expected graphs have them") {
  const fs::path cts = find_cts();
  if (cts.empty()) {
    MESSAGE("no Pacemaker cts/scheduler under .deps/pacemaker-src (bench/conformance/run.sh fetches it): not checked");
    return;
  }
  std::ifstream list(fs::path(HACTL_SOURCE_DIR) / "test" / "core" / "sched_graph_agreement.txt");
  REQUIRE(list);
  int checked = 0;
  for (std::string name; std::getline(list, name);) {
    if (name.empty() || name[0] == '#') continue;
    CAPTURE(name);
    GraphActions want = expected_actions(cts / "exp" / (name + ".exp"));
    GraphActions got = scheduled_actions(cts / "xml" / (name + ".xml"));
    CHECK(got.recurring_monitors == want.recurring_monitors);
    for (const auto& [id, timeouts] : want.timeouts) {
      auto it = got.timeouts.find(id);
      if (it == got.timeouts.end()) continue;  // probes of anonymous clones are counted per instance there
      CAPTURE(std::get<0>(id) + "_" + std::get<1>(id) + "_" + std::to_string(std::get<2>(id)) + " on " +
              std::get<3>(id));
      CHECK(it->second == timeouts);
    }
    ++checked;
  }
  MESSAGE(checked << " scenarios checked");
  CHECK(checked > 0);
}
