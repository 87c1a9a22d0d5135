// `resource why RSC`: why the scheduler puts RSC where it does, or keeps it
// stopped, in plain words (core/scheduler/explain.h) — per node the score and
// what made it, then the reasons that hold everywhere. Reads the live CIB, or
// -f FILE; changes nothing. `--output-as json` prints the same as one object.
#include <ctime>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cmd/cli.h"
#include "cmd/sys/json_text.h"
#include "core/scheduler/explain.h"

namespace hactl::cmd {
namespace {

using json = nlohmann::json;

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

// One sentence: where it is now and what the transition does with it.
std::string headline(const core::PlacementExplanation& e) {
  std::string now = e.current.empty() ? "is stopped" : "is running on " + join(e.current, ", ");
  std::string next;
  if (e.blocked && !e.action.empty()) {
    next = "its " + std::string(e.action == "Start" ? "start" : "action") + " is blocked";
  } else if (!e.target) {
    next = e.current.empty() ? "stays stopped" : "will be stopped";
  } else if (e.current.size() == 1 && e.current[0] == *e.target) {
    next = e.action.empty() ? "stays there" : "will be " + std::string(e.action == "Restart" ? "restarted" : "recovered") + " there";
  } else if (e.current.empty()) {
    next = "will start on " + *e.target;
  } else {
    next = "will " + std::string(e.action == "Recover" ? "be recovered on " : "move to ") + *e.target;
  }
  std::string line = e.rsc + (e.group.empty() ? "" : " (group " + e.group + ")") + " " + now + " and " + next;
  if (!e.action_reason.empty()) line += ", due to " + e.action_reason;
  return line + ".";
}

std::string signed_score(core::Score s) {
  std::string t = core::score_to_string(s);
  return s >= 0 && t[0] != '+' ? "+" + t : t;
}

void print_text(const core::PlacementExplanation& e) {
  std::cout << headline(e) << "\n";
  if (!e.nodes.empty()) {
    std::cout << "\nNodes, best first (the highest score among nodes that can run it wins; -INFINITY = never):\n";
    size_t width = 4;
    for (const auto& v : e.nodes) width = std::max(width, v.node.size());
    for (const auto& v : e.nodes) {
      std::string score = v.score ? core::score_to_string(*v.score) : "-";
      std::cout << "  " << v.node << std::string(width - v.node.size() + 2, ' ') << score
                << std::string(score.size() < 10 ? 10 - score.size() : 1, ' ');
      std::vector<std::string> parts;
      if (!v.cannot_host.empty()) parts.push_back("cannot run resources: " + v.cannot_host);
      for (const auto& r : v.reasons) parts.push_back(r.what + " " + signed_score(r.score));
      if (!v.score) parts.push_back("not allowed (no location constraint allows it)");
      std::cout << (parts.empty() ? "no preference" : join(parts, "; ")) << "\n";
    }
  }
  if (!e.notes.empty()) {
    std::cout << "\nAlso:\n";
    for (const auto& n : e.notes) std::cout << "  - " << n << "\n";
  }
}

json to_json(const core::PlacementExplanation& e) {
  json nodes = json::array();
  for (const auto& v : e.nodes) {
    json reasons = json::array();
    for (const auto& r : v.reasons) reasons.push_back({{"what", r.what}, {"score", r.score}});
    nodes.push_back({{"node", v.node},
                     {"score", v.score ? json(*v.score) : json(nullptr)},
                     {"can_run", v.cannot_host.empty()},
                     {"cannot_run_because", v.cannot_host.empty() ? json(nullptr) : json(v.cannot_host)},
                     {"reasons", reasons}});
  }
  return {{"resource", e.rsc},
          {"group", e.group.empty() ? json(nullptr) : json(e.group)},
          {"current", e.current},
          {"target", e.target ? json(*e.target) : json(nullptr)},
          {"action", e.action.empty() ? json(nullptr) : json(e.action)},
          {"action_reason", e.action_reason.empty() ? json(nullptr) : json(e.action_reason)},
          {"blocked", e.blocked},
          {"headline", headline(e)},
          {"nodes", nodes},
          {"notes", e.notes}};
}

}  // namespace

int run_resource_why(Invocation& inv, const Args& args) {
  if (args.size() != 1) return usage_error("usage: resource why <resource id>");
  auto doc = load_cib(inv);
  if (!doc) return fail(doc.status());
  const core::Cib cib = core::read_cib(*doc);
  auto e = core::explain_placement(cib, args[0], static_cast<int64_t>(std::time(nullptr)));
  if (!e) return fail(e.status());
  if (inv.json()) {
    std::cout << json_text(to_json(*e), 2) << "\n";
  } else {
    print_text(*e);
  }
  return 0;
}

}  // namespace hactl::cmd
