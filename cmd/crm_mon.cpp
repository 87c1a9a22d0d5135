// crm_mon's text layout (Pacemaker 2.1, one-shot) and the personality's
// entry: the CIB from CIB_file or the local node agent, then one printer.
#include "cmd/crm_mon.h"
#include "cmd/crm_resource_list.h"

#include <algorithm>
#include <iostream>
#include <sstream>

#include "agents/ocf_result.h"
#include "cmd/cli.h"
#include "cmd/crm_mon_view.h"
#include "cmd/crm_mon_xml.h"
#include "cmd/simulate_status.h"
#include "core/cib_write_stamp.h"
#include "core/printable_text.h"

namespace hactl::cmd {

using core::Element;

namespace {

std::string plural(long n, const char* word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

std::string node_text_status(const MonNode& n, bool running) {
  if (n.unclean) return n.online ? "UNCLEAN (online)" : n.pending ? "UNCLEAN (pending)" : "UNCLEAN (offline)";
  if (n.pending) return "pending";
  if (n.standby_onfail && n.online) return "standby (on-fail)";
  if (n.standby) return n.online ? (running ? "standby (with active resources)" : "standby") : "OFFLINE (standby)";
  if (n.maintenance) return n.online ? "maintenance" : "OFFLINE (maintenance)";
  return n.online ? "online" : "OFFLINE";
}

void summary(std::ostream& os, const MonView& v) {
  os << "Cluster Summary:\n  * Stack: " << v.cib.property("cluster-infrastructure", "unknown") << "\n  * Current DC: ";
  if (const MonNode* dc = v.dc()) {
    std::string version = v.cib.property("dc-version");
    os << core::printable(dc->name) << " (version " << (version.empty() ? "unknown" : core::printable(version)) << ") - partition "
       << (v.cib.have_quorum ? "with" : "WITHOUT") << " quorum\n";
  } else {
    os << "NONE\n";
  }
  const Element* r = v.doc.root();
  os << "  * Last updated: " << core::cib_time_text(v.now) << "\n  * Last change:  " << core::attr(r, "cib-last-written");
  if (auto u = core::attr(r, "update-user"); !u.empty()) os << " by " << core::printable(u);
  if (auto c = core::attr(r, "update-client"); !c.empty()) os << " via " << core::printable(c);
  if (auto o = core::attr(r, "update-origin"); !o.empty()) os << " on " << core::printable(o);
  os << "\n  * " << plural(static_cast<long>(v.nodes.size()), "node") << " configured\n  * "
     << plural(v.instances(), "resource instance") << " configured";
  int disabled = v.disabled(), blocked = v.blocked();
  if (disabled && blocked) os << " (" << disabled << " DISABLED, " << blocked << " BLOCKED from further action due to failure)";
  else if (disabled) os << " (" << disabled << " DISABLED)";
  else if (blocked) os << " (" << blocked << " BLOCKED from further action due to failure)";
  os << "\n";
  if (core::is_true(v.cib.property("maintenance-mode", "false")))
    os << "\n              *** Resource management is DISABLED ***\n"
          "  The cluster will not attempt to start, stop or recover services\n";
}

// Only what runs (or failed) unless -r; a group shows if any member does.
core::ClusterStatus shown_resources(const MonView& v, bool inactive) {
  core::ClusterStatus cs = v.cs;
  if (inactive) return cs;
  for (auto& t : cs.resources)
    t.primitives.erase(std::remove_if(t.primitives.begin(), t.primitives.end(),
                                      [](const core::PrimitiveStatus& p) { return p.running_on.empty() && !p.failed; }),
                       t.primitives.end());
  cs.resources.erase(std::remove_if(cs.resources.begin(), cs.resources.end(), [](auto& t) { return t.primitives.empty(); }),
                     cs.resources.end());
  return cs;
}

// "Resource Group: G (1 member inactive, unmanaged, disabled):" — the count
// only when members were left out of an active-only listing.
std::string group_header(const MonView& v, const core::TopLevelStatus& shown) {
  size_t all = shown.primitives.size();
  for (const auto& t : v.cs.resources)
    if (t.group == shown.group) all = t.primitives.size();
  std::string attrs;
  auto add = [&](const std::string& w) { attrs += (attrs.empty() ? "" : ", ") + w; };
  if (size_t inactive = all - shown.primitives.size()) add(plural(static_cast<long>(inactive), "member") + " inactive");
  if (!shown.managed) add("unmanaged");
  if (shown.disabled) add("disabled");
  return "Resource Group: " + core::printable(shown.group) + (attrs.empty() ? "" : " (" + attrs + ")") + ":";
}

void resource_lines(std::ostream& os, const MonView& v, const core::ClusterStatus& cs, const std::string& pad) {
  for (const core::ResourceRef& r : v.cib.resources)
    for (const auto& t : cs.resources) {
      if (t.group.empty() ? (t.primitives.front().id != r.id || t.primitives.front().orphaned) : t.group != r.id) continue;
      if (t.group.empty()) {
        os << pad << "* " << primitive_line(t.primitives.front(), v.cib, true) << "\n";
        continue;
      }
      os << pad << "* " << group_header(v, t) << "\n";
      for (const auto& p : t.primitives) os << pad << "  * " << primitive_line(p, v.cib, true) << "\n";
    }
  for (const auto& t : cs.resources)
    for (const auto& p : t.primitives)
      if (p.orphaned) os << pad << "* " << primitive_line(p, v.cib, true) << "\n";
}

void nodes(std::ostream& os, const MonView& v, const CrmMonOptions& o) {
  os << "\nNode List:\n";
  std::vector<std::string> online, offline;
  for (const MonNode& n : v.nodes) {
    std::string st = node_text_status(n, n.resources_running > 0);
    if (o.by_node) {
      os << "  * Node " << core::printable(n.name) << ": " << st << ":\n";
      os << "    * Resources:\n";
      for (const auto& t : v.cs.resources)
        for (const auto& p : t.primitives)
          if (std::find(p.running_on.begin(), p.running_on.end(), n.name) != p.running_on.end()) {
            std::string line = primitive_line(p, v.cib, true);
            // Under its node, the node name is not repeated.
            const std::string mark = "\t " ;
            if (auto st_at = line.find(mark); st_at != std::string::npos)
              if (auto at = line.find(" " + n.name, st_at + 1); at != std::string::npos) {
                size_t end = at + n.name.size() + 1;
                if (end == line.size() || line[end] == ' ') line.erase(at, n.name.size() + 1);
              }
            os << "      * " << line << "\n";
          }
      continue;
    }
    if (st == "online") online.push_back(n.name);
    else if (st == "OFFLINE") offline.push_back(n.name);
    else os << "  * Node " << core::printable(n.name) << ": " << st << "\n";
  }
  auto group = [&](const char* label, const std::vector<std::string>& names) {
    if (names.empty()) return;
    os << "  * " << label << ": [";
    for (auto& n : names) os << " " << core::printable(n);
    os << " ]\n";
  };
  group("Online", online);
  group("OFFLINE", offline);
}

void node_attributes(std::ostream& os, const MonView& v) {
  auto attrs = v.node_attributes();
  if (attrs.empty()) return;
  os << "\nNode Attributes:\n";
  for (const auto& [node, list] : attrs) {
    os << "  * Node: " << core::printable(node) << ":\n";
    for (const auto& [k, val] : list) {
      std::string name = core::printable(k), value = core::printable(val);
      name.resize(std::max<size_t>(name.size(), 32), ' ');
      value.resize(std::max<size_t>(value.size(), 10), ' ');
      os << "    * " << name << "\t: " << value << "\n";
    }
  }
}

void history(std::ostream& os, const MonView& v, const CrmMonOptions& o) {
  // The heading appears once any online node has a state entry, even with nothing under it.
  if (!v.has_online_state()) return;
  auto hist = v.history(o.operations);
  os << (o.operations ? "\nOperations:\n" : "\nMigration Summary:\n");
  for (const MonNodeHistory& nh : hist) {
    os << "  * Node: " << core::printable(nh.node) << ":\n";
    for (const MonResourceHistory& h : nh.resources) {
      os << "    * " << core::printable(h.rsc) << ":";
      if (!h.orphan) {
        os << " migration-threshold=" << h.migration_threshold;
        if (h.failcount > 0) os << " fail-count=" << h.failcount;
        if (h.last_failure > 0) os << " last-failure='" << core::cib_time_text(h.last_failure) << "'";
      } else {
        os << " orphan";
      }
      os << (o.operations ? ":\n" : "\n");  // a heading of operations, or a line of its own
      for (const Element* op : h.ops) {
        os << "      * (" << core::attr(op, "call-id") << ") " << op_task(op);
        std::ostringstream extra;
        std::string interval = core::attr(op, "interval", "0");
        if (!interval.empty() && interval != "0") extra << " interval=\"" << interval << "ms\"";
        if (o.timing) {
          if (long long t = std::atoll(core::attr(op, "last-rc-change").c_str()); t > 0)
            extra << " last-rc-change=\"" << core::cib_time_text(static_cast<std::time_t>(t)) << "\"";
          if (core::has_attr(op, "exec-time")) extra << " exec-time=\"" << core::attr(op, "exec-time") << "ms\"";
          if (core::has_attr(op, "queue-time")) extra << " queue-time=\"" << core::attr(op, "queue-time") << "ms\"";
          std::string rc = core::attr(op, "rc-code", "0");
          extra << " rc=" << rc << " (" << agents::describe(static_cast<agents::OcfRc>(std::atoi(rc.c_str()))) << ")";
        }
        if (!extra.str().empty()) os << ":" << extra.str();
        os << "\n";
      }
    }
  }
}

void failed_actions(std::ostream& os, const MonView& v) {
  const std::vector<core::FailedAction> failed = v.failed_actions();
  if (failed.empty()) return;
  os << "\nFailed Resource Actions:\n";
  for (const core::FailedAction& f : failed) {
    const core::LrmOp& op = *f.op;
    os << "  * " << core::printable(f.rsc) << " ";
    if (op.interval_ms) os << readable_interval(op.interval_ms) << "-interval ";
    os << (op.operation == "monitor" && op.interval_ms == 0 ? "probe" : op.operation) << " on "
       << core::printable(op.on_node.empty() ? f.node : op.on_node);
    if (op.op_status == 0) {
      os << " returned '" << agents::describe(static_cast<agents::OcfRc>(op.rc_code)) << "'";
      if (!op.exit_reason.empty()) os << " (" << core::printable(op.exit_reason) << ")";
    } else {
      os << " could not be executed (" << agents::describe(static_cast<agents::ExecStatus>(op.op_status));
      if (!op.exit_reason.empty()) os << ": " << core::printable(op.exit_reason);
      os << ")";
    }
    if (op.last_rc_change > 0) os << " at " << core::cib_time_text(static_cast<std::time_t>(op.last_rc_change));
    if (op.exec_time > 0) os << " after " << readable_interval(op.exec_time);
    os << "\n";
  }
}

void print_text(std::ostream& os, const MonView& v, const CrmMonOptions& o) {
  summary(os, v);
  nodes(os, v, o);
  if (!o.by_node) {
    os << (o.inactive ? "\nFull List of Resources:\n" : "\nActive Resources:\n");
    core::ClusterStatus cs = shown_resources(v, o.inactive);
    if (cs.resources.empty()) os << (o.inactive ? "  * No resources\n" : "  * No active resources\n");
    else resource_lines(os, v, cs, "  ");
  }
  if (o.attributes) node_attributes(os, v);
  if (o.operations || o.failcounts) history(os, v, o);
  failed_actions(os, v);
}

// crm_mon -s: one line for a monitoring check; exit 1 with a warning.
int print_simple(std::ostream& os, const MonView& v) {
  int online = 0, standby = 0, maintenance = 0;
  std::string offline;
  for (const MonNode& n : v.nodes) {
    if (n.standby && n.online) ++standby;
    else if (n.maintenance && n.online) ++maintenance;
    else if (n.online) ++online;
    else offline += (offline.empty() ? "" : " ") + ("offline node: " + core::printable(n.name));  // repeated, as Pacemaker words it
  }
  bool no_dc = v.dc() == nullptr;
  if (no_dc || !offline.empty()) {
    os << "CLUSTER WARN: " << (no_dc ? "No DC" : "") << (no_dc && !offline.empty() ? ", " : "") << offline << "\n";
    return core::to_int(core::ExitCode::error);
  }
  os << "CLUSTER OK: " << plural(online, "node") << " online";
  if (standby) os << ", " << plural(standby, "standby node");
  if (maintenance) os << ", " << plural(maintenance, "maintenance node");
  os << ", " << plural(v.instances(), "resource instance") << " configured\n";
  return 0;
}

}  // namespace

bool print_resource_list_text(std::ostream& os, const MonView& v) {
  core::ClusterStatus cs = v.cs;
  if (cs.resources.empty()) return false;
  for (auto& t : cs.resources)
    for (auto& p : t.primitives) p.node.clear();  // --list shows roles, not nodes
  os << "Full List of Resources:\n";
  resource_lines(os, v, cs, "  ");
  return true;
}

int run_crm_mon(const Invocation& inv, const CrmMonOptions& opts) {
  auto doc = load_cib(inv);
  if (!doc) {
    std::string why = doc.status().message();
    if (inv.cib_file.empty()) why = "the hactl node agent is not running (" + why + ")";
    // Pacemaker: -s says CLUSTER CRIT and exits 2 (a check's critical), else 102.
    std::cerr << "crm_mon: " << (opts.simple ? "CLUSTER CRIT: " : "") << "Connection to cluster failed: " << core::printable(why) << "\n";
    if (!inv.cib_file.empty()) return core::to_int(doc.status().code());
    return core::to_int(opts.simple ? core::ExitCode::invalid_param : core::ExitCode::disconnect);
  }
  MonView view(*doc, std::time(nullptr));
  if (opts.simple) return print_simple(std::cout, view);
  if (opts.format != CrmMonOptions::Format::text) {
    print_crm_mon_xml(std::cout, view, opts.format == CrmMonOptions::Format::legacy_xml, opts.request);
    return 0;
  }
  print_text(std::cout, view, opts);
  return 0;
}

}  // namespace hactl::cmd
