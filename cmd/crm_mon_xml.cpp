// crm_mon's XML (Pacemaker 2.1, API crm_mon-2.25): the pacemaker-result
// document of --output-as xml, or the legacy <crm_mon> root of -X/--as-xml.
// Element and attribute names and their order are Pacemaker's, so parsers
// written for it (ha_cluster_exporter, crmsh) read hactl's the same way.
#include "cmd/crm_mon_xml.h"
#include "cmd/crm_resource_list.h"

#include <ostream>
#include <string>
#include <vector>

#include "agents/ocf_result.h"
#include "cmd/xml_out.h"
#include "core/cib_write_stamp.h"
#include "core/duration.h"
#include "core/version.h"

namespace hactl::cmd {

using core::Element;

namespace {

using Attrs = XmlAttrs;

const char* tf(bool b) { return b ? "true" : "false"; }

std::string ocf_text(const std::string& rc) {
  return std::string(agents::describe(static_cast<agents::OcfRc>(std::atoi(rc.c_str()))));
}

std::string exec_text(int status) { return std::string(agents::describe(static_cast<agents::ExecStatus>(status))); }

// crm_time_as_string with date, time and zone: "2024-06-01 11:58:20Z".
std::string iso_time(std::time_t t) {
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  std::string out = buf;
  long off = tm.tm_gmtoff;
  if (off == 0) return out + "Z";
  char z[16];
  std::snprintf(z, sizeof z, "%c%02ld:%02ld", off < 0 ? '-' : '+', std::labs(off) / 3600, (std::labs(off) % 3600) / 60);
  return out + z;
}

void summary(XmlOut& x, const MonView& v) {
  x.open("summary");
  x.leaf("stack", {{"type", v.cib.property("cluster-infrastructure", "unknown")}});
  if (const MonNode* dc = v.dc())
    x.leaf("current_dc", {{"present", "true"}, {"version", v.cib.property("dc-version")}, {"name", dc->name}, {"id", dc->id},
                          {"with_quorum", tf(v.cib.have_quorum)}, {"mixed_version", "false"}});
  else
    x.leaf("current_dc", {{"present", "false"}});
  x.leaf("last_update", {{"time", core::cib_time_text(v.now)}});
  const Element* r = v.doc.root();
  x.leaf("last_change", {{"time", core::attr(r, "cib-last-written")}, {"user", core::attr(r, "update-user")},
                         {"client", core::attr(r, "update-client")}, {"origin", core::attr(r, "update-origin")}});
  x.leaf("nodes_configured", {{"number", std::to_string(v.nodes.size())}});
  x.leaf("resources_configured",
         {{"number", std::to_string(v.instances())}, {"disabled", std::to_string(v.disabled())}, {"blocked", std::to_string(v.blocked())}});
  auto flag = [&](const char* name, const char* dflt) { return tf(core::is_true(v.cib.property(name, dflt))); };
  std::string nqp = v.cib.property("no-quorum-policy", "stop");
  if (nqp != "freeze" && nqp != "ignore" && nqp != "demote" && nqp != "suicide") nqp = "stop";
  auto ms = [&](const char* name, const char* dflt) {
    auto d = core::parse_duration_ms(v.cib.property(name, dflt));
    return std::to_string(d ? *d : 0);
  };
  x.leaf("cluster_options", {{"stonith-enabled", flag("stonith-enabled", "true")},
                             {"symmetric-cluster", flag("symmetric-cluster", "true")},
                             {"no-quorum-policy", nqp},
                             {"maintenance-mode", flag("maintenance-mode", "false")},
                             {"stop-all-resources", flag("stop-all-resources", "false")},
                             {"stonith-timeout-ms", ms("stonith-timeout", "60s")},
                             {"priority-fencing-delay-ms", ms("priority-fencing-delay", "0")}});
  x.close();
}

void nodes(XmlOut& x, const MonView& v) {
  if (v.nodes.empty()) return x.leaf("nodes");
  x.open("nodes");
  for (const MonNode& n : v.nodes) {
    Attrs a = {{"name", n.name}, {"id", n.id}, {"online", tf(n.online)}, {"standby", tf(n.standby)},
               {"standby_onfail", tf(n.standby_onfail)}, {"maintenance", tf(n.maintenance)}, {"pending", tf(n.pending)},
               {"unclean", tf(n.unclean)}, {"health", "green"}};
    if (!n.feature_set.empty()) a.emplace_back("feature_set", n.feature_set);
    a.insert(a.end(), {{"shutdown", tf(n.shutdown)}, {"expected_up", tf(n.expected_up)}, {"is_dc", tf(n.is_dc)},
                       {"resources_running", std::to_string(n.resources_running)}, {"type", "member"}});
    x.leaf("node", a);
  }
  x.close();
}

void primitive(XmlOut& x, const MonView& v, const core::PrimitiveStatus& p) {
  const core::Primitive* cp = v.cib.find_primitive(p.id);
  Attrs a = {{"id", p.id}, {"resource_agent", p.agent}, {"role", p.running_on.empty() ? "Stopped" : p.role.empty() ? "Started" : p.role}};
  if (cp)
    if (auto tr = cp->meta.find("target-role"); tr != cp->meta.end()) a.emplace_back("target_role", tr->second);
  a.insert(a.end(), {{"active", tf(!p.running_on.empty())}, {"orphaned", tf(p.orphaned)}, {"blocked", tf(p.blocked)},
                     {"managed", tf(p.managed)}, {"failed", tf(p.failed)}, {"failure_ignored", tf(p.failure_ignored)},
                     {"nodes_running_on", std::to_string(p.running_on.size())}});
  if (p.running_on.empty()) return x.leaf("resource", a);
  x.open("resource", a);
  for (const std::string& n : p.running_on) {
    std::string id;
    bool online = false;
    for (const MonNode& mn : v.nodes)
      if (mn.name == n) id = mn.id, online = mn.online;
    x.leaf("node", {{"name", n}, {"id", id}, {"cached", tf(online)}});
  }
  x.close();
}

void resources(XmlOut& x, const MonView& v) {
  if (v.cs.resources.empty()) return x.leaf("resources");
  x.open("resources");
  for (const core::ResourceRef& r : v.cib.resources)
    for (const auto& t : v.cs.resources) {
      if (t.group.empty() ? (t.primitives.empty() || t.primitives.front().id != r.id || t.primitives.front().orphaned)
                          : t.group != r.id)
        continue;
      if (t.group.empty()) {
        primitive(x, v, t.primitives.front());
        continue;
      }
      x.open("group", {{"id", t.group}, {"number_resources", std::to_string(t.primitives.size())}, {"managed", tf(t.managed)},
                       {"disabled", tf(t.disabled)}});
      for (const auto& p : t.primitives) primitive(x, v, p);
      x.close();
    }
  for (const auto& t : v.cs.resources)
    for (const auto& p : t.primitives)
      if (p.orphaned) primitive(x, v, p);
  x.close();
}

void node_attributes(XmlOut& x, const MonView& v) {
  auto attrs = v.node_attributes();
  if (attrs.empty()) return;
  x.open("node_attributes");
  for (const auto& [node, list] : attrs) {
    x.open("node", {{"name", node}});
    for (const auto& [k, val] : list) x.leaf("attribute", {{"name", k}, {"value", val}});
    x.close();
  }
  x.close();
}

void node_history(XmlOut& x, const MonView& v) {
  auto hist = v.history(true);
  if (hist.empty()) return x.leaf("node_history");
  x.open("node_history");
  for (const MonNodeHistory& nh : hist) {
    x.open("node", {{"name", nh.node}});
    for (const MonResourceHistory& h : nh.resources) {
      Attrs a = {{"id", h.rsc}};
      if (h.orphan) a.emplace_back("orphan", "true");
      else {
        a.insert(a.end(), {{"orphan", "false"}, {"migration-threshold", std::to_string(h.migration_threshold)}});
        if (h.failcount > 0) a.emplace_back("fail-count", std::to_string(h.failcount));
        if (h.last_failure > 0) a.emplace_back("last-failure", core::cib_time_text(h.last_failure));
      }
      x.open("resource_history", a);
      for (const Element* op : h.ops) {
        std::string rc = core::attr(op, "rc-code", "0");
        Attrs o = {{"call", core::attr(op, "call-id")}, {"task", op_task(op)}, {"rc", rc}, {"rc_text", ocf_text(rc)}};
        std::string interval = core::attr(op, "interval", "0");
        if (!interval.empty() && interval != "0") o.emplace_back("interval", interval + "ms");
        if (long long t = std::atoll(core::attr(op, "last-rc-change").c_str()); t > 0)
          o.emplace_back("last-rc-change", core::cib_time_text(static_cast<std::time_t>(t)));
        if (core::has_attr(op, "exec-time")) o.emplace_back("exec-time", core::attr(op, "exec-time") + "ms");
        if (core::has_attr(op, "queue-time")) o.emplace_back("queue-time", core::attr(op, "queue-time") + "ms");
        x.leaf("operation_history", o);
      }
      x.close();
    }
    x.close();
  }
  x.close();
}

void failures(XmlOut& x, const MonView& v) {
  const std::vector<core::FailedAction> failed = v.failed_actions();
  if (failed.empty()) return;
  x.open("failures");
  for (const core::FailedAction& f : failed) {
    const core::LrmOp& op = *f.op;
    Attrs a;
    if (op.operation_key.empty()) a.emplace_back("id", op.id);
    else a.emplace_back("op_key", op.operation_key);
    a.insert(a.end(), {{"node", op.on_node.empty() ? f.node : op.on_node},
                       {"exitstatus", std::string(agents::describe(static_cast<agents::OcfRc>(op.rc_code)))},
                       {"exitreason", op.exit_reason},
                       {"exitcode", std::to_string(op.rc_code)},
                       {"call", std::to_string(op.call_id)},
                       {"status", exec_text(op.op_status)}});
    if (op.last_rc_change > 0)
      a.insert(a.end(), {{"last-rc-change", iso_time(static_cast<std::time_t>(op.last_rc_change))},
                         {"queued", std::to_string(op.queue_time)},
                         {"exec", std::to_string(op.exec_time)},
                         {"interval", std::to_string(op.interval_ms)},
                         {"task", op.operation}});
    x.leaf("failure", a);
  }
  x.close();
}

// Location constraints keeping a resource off a node (crm_mon's bans).
void bans(XmlOut& x, const MonView& v) {
  bool any = false;
  for (const core::LocationConstraint& l : v.cib.locations) {
    if (l.node.empty() || l.rsc.empty() || !l.score || *l.score >= 0 || !v.cib.find_node(l.node)) continue;
    if (!any) x.open("bans");
    any = true;
    std::string promoted = l.role == "Promoted" || l.role == "Master" ? "true" : "false";
    x.leaf("ban", {{"id", l.id}, {"resource", l.rsc}, {"node", l.node}, {"weight", std::to_string(*l.score)},
                   {"promoted-only", promoted}, {"master_only", promoted}});
  }
  if (any) x.close();
}

}  // namespace

void print_resources_xml(XmlOut& x, const MonView& v) { resources(x, v); }

void print_crm_mon_xml(std::ostream& os, const MonView& v, bool legacy, const std::string& request) {
  XmlOut x(os);
  if (legacy) x.open("crm_mon", {{"version", core::kHactlVersion}});
  else x.open("pacemaker-result", {{"api-version", "2.25"}, {"request", request}});
  summary(x, v);
  nodes(x, v);
  resources(x, v);
  node_attributes(x, v);
  node_history(x, v);
  failures(x, v);
  bans(x, v);
  if (!legacy) x.leaf("status", {{"code", "0"}, {"message", "OK"}});
  x.close();
}

}  // namespace hactl::cmd
