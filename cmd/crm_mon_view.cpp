#include "cmd/crm_mon_view.h"

#include <algorithm>
#include <cstdlib>
#include <map>

#include "core/score.h"

namespace hactl::cmd {

using core::Element;

namespace {

bool starts_with(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

// fail-count-RSC / fail-count-RSC#op_interval (Pacemaker 2.0's per-operation form).
bool names_resource(const std::string& attr, std::string_view prefix, const std::string& rsc) {
  if (!starts_with(attr, prefix)) return false;
  std::string rest = attr.substr(prefix.size());
  return rest == rsc || starts_with(rest, rsc + "#");
}

long score_value(const std::string& text, long fallback) {
  auto s = core::parse_score(text);
  return s ? static_cast<long>(*s) : fallback;
}

const core::NodeState* state_of(const core::Cib& cib, const std::string& uname) { return cib.find_node_state(uname); }

}  // namespace

std::string readable_interval(long long ms) {
  if (ms == 0) return "0s";
  std::string out;
  auto part = [&](long long unit, const char* suffix) {
    if (ms >= unit) {
      out += std::to_string(ms / unit) + suffix;
      ms %= unit;
    }
  };
  part(86400000LL, "d");
  part(3600000LL, "h");
  part(60000LL, "m");
  part(1000LL, "s");
  part(1LL, "ms");
  return out;
}

std::string op_task(const Element* op) {
  std::string task = core::attr(op, "operation");
  std::string interval = core::attr(op, "interval", "0");
  if (task == "monitor" && (interval.empty() || interval == "0")) return "probe";
  return task;
}

MonView::MonView(const core::CibDocument& d, std::time_t when) : doc(d), cib(core::read_cib(d)), now(when) {
  cs = core::cluster_status(cib, now);
  for (const core::NodeStatus& ns : cs.nodes) {
    MonNode n;
    n.name = ns.uname;
    const core::Node* cn = cib.find_node(ns.uname);
    n.id = cn ? cn->id : "";
    n.online = ns.online;
    n.standby = ns.standby;
    n.standby_onfail = ns.standby_onfail;
    n.maintenance = ns.maintenance;
    n.pending = ns.pending;
    n.unclean = ns.unclean;
    if (const core::NodeState* st = state_of(cib, ns.uname)) {
      if (n.id.empty()) n.id = st->id;
      n.expected_up = st->expected == "member";  // cleared below for a node shutting down, as Pacemaker does
      auto sd = st->transient_attrs.find("shutdown");
      n.shutdown = ns.online && sd != st->transient_attrs.end() && !sd->second.empty() && sd->second != "0";
      if (n.shutdown) n.expected_up = false;
      auto fs = st->transient_attrs.find("#feature-set");
      if (ns.online) n.feature_set = fs == st->transient_attrs.end() ? "<3.15.1" : fs->second;
    }
    n.is_dc = !cib.dc_uuid.empty() && n.id == cib.dc_uuid;
    for (const auto& t : cs.resources)
      for (const auto& p : t.primitives)
        n.resources_running += static_cast<int>(std::count(p.running_on.begin(), p.running_on.end(), n.name));
    nodes.push_back(std::move(n));
  }
}

const MonNode* MonView::dc() const {
  for (const MonNode& n : nodes)
    if (n.is_dc) return &n;
  return nullptr;
}

int MonView::instances() const {
  int n = 0;
  for (const auto& t : cs.resources) n += static_cast<int>(t.primitives.size());
  // Configured but not in the status view (none today) still count.
  return std::max(n, static_cast<int>(cib.primitives.size()));
}

int MonView::disabled() const {
  int n = 0;
  for (const auto& t : cs.resources)
    for (const auto& p : t.primitives) n += p.disabled ? 1 : 0;
  return n;
}

int MonView::blocked() const {
  int n = 0;
  for (const auto& t : cs.resources)
    for (const auto& p : t.primitives) n += p.blocked ? 1 : 0;
  return n;
}

bool MonView::has_online_state() const {
  const Element* status = core::first_child(doc.root(), "status");
  for (const Element* ns : status ? core::children(status, "node_state") : std::vector<Element*>{})
    for (const MonNode& n : nodes)
      if (n.online && n.id == core::attr(ns, "id")) return true;
  return false;
}

std::vector<MonNodeHistory> MonView::history(bool operations) const {
  std::vector<MonNodeHistory> out;
  const Element* status = core::first_child(doc.root(), "status");
  if (!status) return out;
  for (const Element* ns : core::children(status, "node_state")) {
    const std::string id = core::attr(ns, "id");
    const MonNode* node = nullptr;
    for (const MonNode& n : nodes)
      if (n.id == id) node = &n;
    if (!node || !node->online) continue;
    const core::NodeState* st = state_of(cib, node->name);
    MonNodeHistory nh{node->name, {}};
    const Element* lrm = core::first_child(ns, "lrm");
    const Element* rscs = lrm ? core::first_child(lrm, "lrm_resources") : nullptr;
    for (const Element* re : rscs ? core::children(rscs, "lrm_resource") : std::vector<Element*>{}) {
      MonResourceHistory h;
      h.rsc = core::attr(re, "id");
      const core::Primitive* p = cib.find_primitive(h.rsc);
      // Pacemaker makes a resource of every history entry (an orphan when
      // unconfigured), so a history always has the configured form.
      h.orphan = false;
      if (p) {
        auto mt = p->meta.find("migration-threshold");
        if (mt != p->meta.end()) h.migration_threshold = score_value(mt->second, 1000000);
        else if (auto d = cib.rsc_defaults.find("migration-threshold"); d != cib.rsc_defaults.end())
          h.migration_threshold = score_value(d->second, 1000000);
      }
      if (st)
        for (const auto& [name, value] : st->transient_attrs) {
          if (names_resource(name, "fail-count-", h.rsc))
            h.failcount = std::min<long>(1000000, h.failcount + score_value(value, 0));
          if (names_resource(name, "last-failure-", h.rsc))
            h.last_failure = std::max<std::time_t>(h.last_failure, std::atoll(value.c_str()));
        }
      if (!operations) {
        if (h.orphan || h.failcount <= 0) continue;
      } else {
        for (const Element* op : core::children(re, "lrm_rsc_op")) {
          std::string task = op_task(op);
          if (task == "notify" || (task == "probe" && core::attr(op, "rc-code") == "7")) continue;
          h.ops.push_back(op);
        }
        std::stable_sort(h.ops.begin(), h.ops.end(), [](const Element* a, const Element* b) {
          return std::atoi(core::attr(a, "call-id").c_str()) < std::atoi(core::attr(b, "call-id").c_str());
        });
        if (h.ops.empty()) continue;
      }
      nh.resources.push_back(std::move(h));
    }
    if (!nh.resources.empty()) out.push_back(std::move(nh));
  }
  return out;
}

std::vector<core::FailedAction> MonView::failed_actions() const {
  std::vector<core::FailedAction> out;
  for (const core::FailedAction& f : cs.failed_actions) {
    const core::LrmOp& op = *f.op;
    bool probe = op.operation == "monitor" && op.interval_ms == 0;
    if (probe && (op.rc_code == 5 || op.op_status == 7)) continue;
    out.push_back(f);
  }
  return out;
}

std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> MonView::node_attributes() const {
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> out;
  for (const MonNode& n : nodes) {
    if (!n.online) continue;
    std::map<std::string, std::string> attrs;
    if (const core::Node* cn = cib.find_node(n.name)) attrs = cn->attrs;
    if (const core::NodeState* st = state_of(cib, n.name))
      for (const auto& [k, v] : st->transient_attrs) attrs[k] = v;  // transient values win, as in Pacemaker
    std::vector<std::pair<std::string, std::string>> shown;
    for (const auto& [k, v] : attrs) {
      static const char* const automatic[] = {"fail-count-", "last-failure-", "shutdown", "terminate", "standby", "#"};
      const std::string& name = k;  // clang 14 cannot capture a structured binding
      if (std::any_of(std::begin(automatic), std::end(automatic), [&](const char* p) { return starts_with(name, p); }))
        continue;
      shown.emplace_back(k, v);
    }
    if (!shown.empty()) out.emplace_back(n.name, std::move(shown));
  }
  return out;
}

}  // namespace hactl::cmd
