#include "cmd/simulate.h"
#include "cmd/sys/json_text.h"

#include <malloc.h>

#include <algorithm>

#include <cstdio>
#include <fstream>
#include <optional>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cmd/cli.h"
#include "cmd/sys/file_io.h"
#include "cmd/simulate_status.h"
#include "core/cib_document.h"
#include "core/cib_model.h"
#include "core/scheduler/cluster_status.h"
#include "core/scheduler/rules.h"
#include "core/scheduler/transition.h"
#include "core/status_update.h"

namespace hactl::cmd {
namespace {

using core::ExitCode;

struct SimOptions {
  std::string xml_file, save_output, output_as = "text", datetime;
  bool simulate = false, run = false, show_scores = false, live = false, quiet = false;
  std::vector<std::string> up, down, fail, inject;
  std::string quorum;
};

int simulate_usage(const std::string& m) {
  std::cerr << "crm_simulate: " << m << "\n";
  return core::to_int(ExitCode::usage);
}

std::string summary_line(const core::SummaryItem& s) {
  char buf[512];
  if (s.verb.rfind("Fence", 0) == 0) {
    std::snprintf(buf, sizeof buf, "  * %s %s '%s'", s.verb.c_str(), s.rsc.c_str(), s.reason.c_str());
    return buf;
  }
  std::string where = !s.details.empty() ? s.details : s.from.empty() ? s.to : (s.to.empty() ? s.from : s.from + " -> " + s.to);
  std::snprintf(buf, sizeof buf, "  * %-10s %-7s ( %s )", s.verb.c_str(), s.rsc.c_str(), where.c_str());
  std::string out = buf;
  // rsc_action_item: "due to R", "due to R (blocked)", or "blocked" alone.
  if (!s.reason.empty()) out += "  due to " + s.reason + (s.blocked ? " (blocked)" : "");
  else if (s.blocked) out += "  blocked";
  return out;
}

nlohmann::json placement_json(const core::Transition& t, bool revised) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& p : t.placement) {
    if (revised) {
      j[p.rsc] = p.target ? nlohmann::json(*p.target) : nlohmann::json(nullptr);
    } else {
      j[p.rsc] = p.current.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.current[0]);
    }
  }
  return j;
}

// Applies -u/-d/-f/-i and -q to the document before scheduling.
core::Status inject(core::CibDocument& doc, const SimOptions& o, int64_t now) {
  core::Cib cib = core::read_cib(doc);
  auto node_id = [&](const std::string& uname) -> std::string {
    const auto* n = cib.find_node(uname);
    return n ? n->id : uname;
  };
  for (const auto& n : o.up) core::set_node_membership(doc, node_id(n), n, true);
  for (const auto& n : o.down) core::set_node_membership(doc, node_id(n), n, false);
  for (const auto& n : o.fail) core::set_node_membership(doc, node_id(n), n, false, true);
  int call = 1000;
  for (const auto& spec : o.inject) {
    // RSC_OP_INTERVALMS@NODE=RC
    auto at = spec.find('@'), eq = spec.find('=');
    if (at == std::string::npos || eq == std::string::npos || eq < at)
      return core::Status::usage("invalid --op-inject '" + spec + "'");
    std::string key = spec.substr(0, at), node = spec.substr(at + 1, eq - at - 1);
    int rc = std::atoi(spec.c_str() + eq + 1);
    auto u2 = key.rfind('_');
    auto u1 = u2 == std::string::npos ? std::string::npos : key.rfind('_', u2 - 1);
    if (u1 == std::string::npos) return core::Status::usage("invalid operation key '" + key + "'");
    core::OpResult r;
    r.rsc = key.substr(0, u1);
    r.operation = key.substr(u1 + 1, u2 - u1 - 1);
    r.interval_ms = std::atoll(key.c_str() + u2 + 1);
    const auto* p = cib.find_primitive(r.rsc);
    if (!p) return core::Status::not_found("resource '" + r.rsc + "' not found");
    r.cls = p->cls;
    r.provider = p->provider;
    r.type = p->type;
    r.node = node;
    r.rc = rc;
    r.expected_rc = (r.operation == "monitor" && r.interval_ms == 0) ? 7 : 0;
    r.call_id = call++;
    r.when = now;
    core::record_op_result(doc, node_id(node), r);
  }
  if (!o.quorum.empty()) doc.root()->SetAttribute("have-quorum", core::is_true(o.quorum) ? "1" : "0");
  return {};
}

// What crm_simulate -S does to the CIB (pcmk__simulate_transition): every
// runnable resource action succeeds with its expected result, and a fenced
// node goes down with its history and transient attributes erased. Fencing
// is applied last: nothing else in the transition runs on a node being
// fenced, and its erased history must stay erased.
void apply_transition(core::CibDocument& doc, const core::Cib& cib, const core::Transition& t, int64_t now) {
  std::vector<std::pair<std::string, core::OpResult>> results;
  // In graph order as far as one resource's history shows it: a demote
  // before the stop, a promote after the start.
  auto rank = [](core::ActionKind k) {
    return k == core::ActionKind::demote ? 0 : k == core::ActionKind::promote ? 2 : 1;
  };
  std::vector<const core::Action*> ordered;
  for (const auto& a : t.actions) ordered.push_back(&a);
  std::stable_sort(ordered.begin(), ordered.end(),
                   [&](const core::Action* x, const core::Action* y) { return rank(x->kind) < rank(y->kind); });
  for (const core::Action* ap : ordered) {
    const core::Action& a = *ap;
    if (!a.runnable || a.kind == core::ActionKind::fence || a.kind == core::ActionKind::pseudo)
      continue;
    // An anonymous clone instance's history is under the id it was found under.
    const std::string& rsc = a.history_rsc.empty() ? a.rsc : a.history_rsc;
    const auto* p = cib.find_primitive(rsc);
    // A clone instance (rsc:N) runs its clone's primitive.
    if (!p && rsc.find(':') != std::string::npos) p = cib.find_primitive(rsc.substr(0, rsc.find(':')));
    const auto* n = cib.find_node(a.node);
    // An orphan's agent is the one its history names.
    const auto* lr = p ? nullptr : core::find_lrm_resource(cib, a.node, rsc);
    if ((!p && !lr) || !n) continue;
    const int expected = a.kind == core::ActionKind::probe ? 7 : 0;
    results.emplace_back(n->id, core::OpResult{a.node, rsc, p ? p->cls : lr->cls, p ? p->provider : lr->provider,
                                               p ? p->type : lr->type, a.task, a.interval_ms, expected, expected, -1,
                                               now});
  }
  core::record_op_results(doc, results);
  for (const auto& a : t.actions) {
    if (!a.runnable || a.kind != core::ActionKind::fence) continue;
    const auto* n = cib.find_node(a.node);
    if (n) core::record_node_fenced(doc, n->id, n->uname);
  }
}

core::Result<core::CibDocument> cib_from_file(const std::string& path) {
  auto text = read_file(path);
  if (!text) return text.status();
  auto parsed = core::CibDocument::parse(*text);
  *text = std::string();  // the document holds its own copy; big CIBs make this count
  return parsed;
}

// Without -x, as crm_simulate: the running cluster's CIB (or CIB_file's).
core::Result<core::CibDocument> live_cib() {
  auto inv = parse_invocation({});
  if (!inv) return inv.status();
  return load_cib(*inv);
}

}  // namespace

int run_simulate(int argc, char** argv) {
  SimOptions o;
  std::vector<std::string> args(argv + 1, argv + argc);
  for (size_t i = 0; i < args.size(); ++i) {
    std::string a = args[i], val;
    if (auto eq = a.find('='); a.rfind("--", 0) == 0 && eq != std::string::npos) {
      val = a.substr(eq + 1);
      a = a.substr(0, eq);
    }
    auto need = [&]() -> bool {
      if (!val.empty()) return true;
      if (i + 1 >= args.size()) return false;
      val = args[++i];
      return true;
    };
    if (a == "-x" || a == "--xml-file") { if (!need()) return simulate_usage("-x needs a file"); o.xml_file = val; }
    else if (a == "-S" || a == "--simulate") o.simulate = true;
    else if (a == "-R" || a == "--run") o.run = true;
    else if (a == "-s" || a == "--show-scores") o.show_scores = true;
    else if (a == "-L" || a == "--live-check") o.live = true;
    else if (a == "-Q" || a == "--quiet") o.quiet = true;
    else if (a == "-u" || a == "--node-up") { if (!need()) return simulate_usage("-u needs a node"); o.up.push_back(val); }
    else if (a == "-d" || a == "--node-down") { if (!need()) return simulate_usage("-d needs a node"); o.down.push_back(val); }
    else if (a == "-f" || a == "--node-fail") { if (!need()) return simulate_usage("-f needs a node"); o.fail.push_back(val); }
    else if (a == "-i" || a == "--op-inject") { if (!need()) return simulate_usage("-i needs a spec"); o.inject.push_back(val); }
    else if (a == "-F" || a == "--op-fail") { if (!need()) return simulate_usage("-F needs a spec"); o.inject.push_back(val); }
    else if (a == "-t" || a == "--set-datetime") { if (!need()) return simulate_usage("-t needs a date"); o.datetime = val; }
    else if (a == "-q" || a == "--quorum") { if (!need()) return simulate_usage("-q needs 0 or 1"); o.quorum = val; }
    else if (a == "-O" || a == "--save-output") { if (!need()) return simulate_usage("-O needs a file"); o.save_output = val; }
    else if (a == "--output-as") { if (!need()) return simulate_usage("--output-as needs a format"); o.output_as = val; }
    else return simulate_usage("unknown option '" + args[i] + "'");
  }
  if (o.live && !o.xml_file.empty()) return simulate_usage("-L and -x exclude each other");
  auto parsed = o.xml_file.empty() ? live_cib() : cib_from_file(o.xml_file);
  if (!parsed) {
    std::cerr << "Error: " << parsed.status().message() << "\n";
    return core::to_int(parsed.status().code());
  }
  std::optional<core::CibDocument> doc(std::move(*parsed));
  int64_t now = 0;
  if (!o.datetime.empty() && !core::sched::parse_datetime(o.datetime, &now)) return simulate_usage("invalid date '" + o.datetime + "'");
  // Without -t, a CIB saved by a simulation keeps its date in execution-date
  // (crm_simulate's set_effective_date); else it is now.
  if (o.datetime.empty()) {
    const std::string saved = doc->root()->Attribute("execution-date") ? doc->root()->Attribute("execution-date") : "";
    char* end = nullptr;
    long long when = std::strtoll(saved.c_str(), &end, 10);
    now = !saved.empty() && *end == '\0' && when > 0 ? when : static_cast<int64_t>(std::time(nullptr));
  }
  const bool as_text = o.output_as != "json";
  const bool show_current = as_text && !o.quiet && !o.show_scores;
  const bool injects = !o.up.empty() || !o.down.empty() || !o.fail.empty() || !o.inject.empty() || !o.quorum.empty();
  // crm_simulate shows the current status as read, before any injection.
  std::optional<core::ClusterStatus> current;
  if (show_current && injects) current = core::cluster_status(core::read_cib(*doc), now);
  if (auto st = inject(*doc, o, now); !st) {
    std::cerr << "Error: " << st.message() << "\n";
    return core::to_int(st.code());
  }
  core::Cib cib = core::read_cib(*doc);
  if (show_current && !injects) current = core::cluster_status(cib, now);
  // The typed view is all that is needed from here, unless the revised CIB
  // is saved: drop the document's tree (most of the memory on big CIBs).
  const bool save = o.simulate && !o.save_output.empty();
  const bool show_revised = o.simulate && as_text && !o.quiet;
  if (!save && !show_revised) {
    doc.reset();
    malloc_trim(0);  // hand the freed tree back now, before the actions are built
  }
  core::ScheduleOptions so;
  so.now = now;
  so.record_scores = o.show_scores;
  so.sanitized = true;  // always a CIB file, as crm_simulate -x
  core::Transition t = core::schedule(cib, so);
  const bool transition = o.simulate || o.run || o.show_scores;

  if (save || show_revised) apply_transition(*doc, cib, t, now);
  if (!as_text) {
    nlohmann::json j;
    j["current"] = placement_json(t, false);
    j["placement"] = placement_json(t, true);
    nlohmann::json acts = nlohmann::json::array();
    for (const auto& a : t.actions)
      acts.push_back({{"id", a.id}, {"kind", core::action_kind_name(a.kind)}, {"resource", a.rsc}, {"node", a.node},
                      {"task", a.task}, {"interval_ms", a.interval_ms}, {"timeout_ms", a.timeout_ms},
                      {"runnable", a.runnable}});
    j["actions"] = acts;
    nlohmann::json edges = nlohmann::json::array();
    for (const auto& e : t.edges) edges.push_back({e.before, e.after});
    j["edges"] = edges;
    nlohmann::json sum = nlohmann::json::array();
    for (const auto& s : t.summary)
      sum.push_back({{"action", s.verb}, {"resource", s.rsc}, {"from", s.from}, {"to", s.to}, {"reason", s.reason},
                     {"blocked", s.blocked}});
    j["summary"] = sum;
    if (o.show_scores) {
      nlohmann::json sc = nlohmann::json::array();
      for (const auto& l : t.scores)
        sc.push_back({{"function", l.function}, {"resource", l.rsc}, {"node", l.node}, {"score", l.score}});
      j["scores"] = sc;
    }
    j["warnings"] = t.warnings;
    std::cout << json_text(j, 2) << "\n";
  } else {
    if (current) {
      std::cout << "Current cluster status:\n";
      print_cluster_status(std::cout, *current, cib, true);
      std::cout << "\n";
    }
    if (o.show_scores)
      for (const auto& l : t.scores)
        std::cout << l.function << ": " << l.rsc << " allocation score on " << l.node << ": "
                  << core::score_to_string(l.score) << "\n";
    if (transition) {
      std::cout << "Transition Summary:\n";
      for (const auto& s : t.summary) std::cout << summary_line(s) << "\n";
    }
    if (o.simulate && !o.quiet) {
      std::cout << "\nExecuting Cluster Transition:\n";
      for (const auto& a : t.actions) {
        if (!a.runnable) continue;
        if (a.kind == core::ActionKind::pseudo) std::cout << "  * Pseudo action:   " << a.key() << "\n";
        else if (a.kind == core::ActionKind::fence) std::cout << "  * Fencing " << a.node << " (reboot)\n";
        else std::cout << "  * Resource action: " << a.rsc << "\t" << a.task << " on " << a.node << "\n";
      }
      // As crm_simulate: the simulated CIB read back with the same unpacking.
      core::Cib revised = core::read_cib(*doc);
      std::cout << "\nRevised Cluster Status:\n";
      print_cluster_status(std::cout, core::cluster_status(revised, now), revised, false);
    }
  }
  if (save) {
    std::ofstream out(o.save_output);
    out << doc->to_xml();
    if (!out) {
      std::cerr << "Error: cannot write " << o.save_output << "\n";
      return core::to_int(ExitCode::cant_create);
    }
  }
  return 0;
}

}  // namespace hactl::cmd
