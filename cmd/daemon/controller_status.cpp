#include "cmd/daemon/controller_status.h"

#include <algorithm>

namespace hactl::cmd::daemon {

using core::Element;

namespace {

Element* find_state(const core::CibDocument& doc, const std::string& uname) {
  Element* status = core::first_child(doc.root(), "status");
  if (!status) return nullptr;
  for (Element* ns : core::children(status, "node_state"))
    if (core::attr(ns, "uname") == uname) return ns;
  return nullptr;
}

std::vector<Element*> transient_pairs(Element* ns) {
  std::vector<Element*> out;
  for (Element* ta : core::children(ns, "transient_attributes"))
    for (Element* ia : core::children(ta, "instance_attributes"))
      for (Element* nv : core::children(ia, "nvpair")) out.push_back(nv);
  return out;
}

void remove_transient(Element* ns, const std::string& name) {
  for (Element* nv : transient_pairs(ns))
    if (core::attr(nv, "name") == name) nv->Parent()->DeleteChild(nv);
}

void set_attr_if(Element* e, const char* name, const std::string& value, bool& changed) {
  if (core::attr(e, name) == value && core::has_attr(e, name)) return;
  e->SetAttribute(name, value.c_str());
  changed = true;
}

}  // namespace

bool apply_membership(core::CibDocument& doc, const core::ClusterConf& conf, const std::vector<uint32_t>& up,
                      bool quorate, uint32_t dc) {
  bool changed = false;
  set_attr_if(doc.root(), "have-quorum", quorate ? "1" : "0", changed);
  set_attr_if(doc.root(), "dc-uuid", std::to_string(dc), changed);
  for (const auto& n : conf.nodes) {
    const std::string id = std::to_string(n.id);
    bool is_up = std::find(up.begin(), up.end(), n.id) != up.end();
    Element* ns = find_state(doc, n.name);
    std::string before = ns ? std::string(core::attr(ns, "in_ccm")) + core::attr(ns, "crmd") + core::attr(ns, "join") +
                                  core::attr(ns, "expected")
                            : std::string();
    if (is_up) {
      core::set_node_membership(doc, id, n.name, true);
    } else {
      // Lost without a clean exit: keep "expected member" so the scheduler
      // sees it unclean (fencing) rather than cleanly gone.
      bool clean = !ns || core::attr(ns, "expected") != "member" || has_shutdown_mark(doc, n.name);
      core::set_node_membership(doc, id, n.name, false, !clean);
      ns = find_state(doc, n.name);
      if (has_shutdown_mark(doc, n.name)) {
        remove_transient(ns, "shutdown");
        changed = true;
      }
    }
    ns = find_state(doc, n.name);
    std::string after = std::string(core::attr(ns, "in_ccm")) + core::attr(ns, "crmd") + core::attr(ns, "join") +
                        core::attr(ns, "expected");
    if (before != after) changed = true;
  }
  return changed;
}

void mark_fenced(core::CibDocument& doc, const std::string& node_id, const std::string& uname) {
  core::set_node_membership(doc, node_id, uname, false, false);
  wipe_node_history(doc, uname);
}

void record_result(core::CibDocument& doc, const std::string& node_id, core::OpResult r, const std::string& exit_reason) {
  int max_call = 0;
  Element* ns = find_state(doc, r.node);
  Element* lrm_rsc = nullptr;
  if (ns)
    for (Element* op : core::descendants(ns, "lrm_rsc_op")) max_call = std::max(max_call, op->IntAttribute("call-id"));
  r.call_id = max_call + 1;
  core::record_op_result(doc, node_id, r);
  ns = find_state(doc, r.node);
  for (Element* lr : core::descendants(ns, "lrm_resource"))
    if (core::attr(lr, "id") == r.rsc) lrm_rsc = lr;
  if (!lrm_rsc) return;
  const std::string key = r.rsc + "_" + r.operation + "_" + std::to_string(r.interval_ms);
  for (Element* op : core::children(lrm_rsc, "lrm_rsc_op")) {
    if (core::attr(op, "operation_key") == key && op->IntAttribute("call-id") == r.call_id) {
      if (!exit_reason.empty()) op->SetAttribute("exit-reason", exit_reason.c_str());
      else op->DeleteAttribute("exit-reason");
    }
  }
  // A stop cancels the resource's recurring operations (Pacemaker deletes
  // their entries); a start begins a fresh life without the old ones.
  if ((r.operation == "stop" || r.operation == "start") && r.rc == r.expected_rc) {
    for (Element* op : core::children(lrm_rsc, "lrm_rsc_op"))
      if (core::attr(op, "interval") != "0" && core::has_attr(op, "interval") && core::attr(op, "id") != r.rsc + "_last_failure_0")
        lrm_rsc->DeleteChild(op);
  }
}

void wipe_node_history(core::CibDocument& doc, const std::string& uname) {
  Element* ns = find_state(doc, uname);
  if (!ns) return;
  for (Element* lrm : core::children(ns, "lrm")) ns->DeleteChild(lrm);
}

int clear_failures(core::CibDocument& doc, const std::string& rsc, const std::string& node, bool history,
                   bool failed_only, std::set<std::pair<std::string, std::string>>* cleared) {
  int count = 0;
  Element* status = core::first_child(doc.root(), "status");
  if (!status) return 0;
  for (Element* ns : core::children(status, "node_state")) {
    if (!node.empty() && core::attr(ns, "uname") != node) continue;
    std::set<std::string> failed;  // resources with a fail count on this node
    for (Element* nv : transient_pairs(ns)) {
      std::string name = core::attr(nv, "name");
      for (const char* prefix : {"fail-count-", "last-failure-"}) {
        if (name.rfind(prefix, 0) != 0) continue;
        std::string rest = name.substr(std::string(prefix).size());
        std::string which = rest.substr(0, rest.find('#'));
        if (!rsc.empty() && which != rsc) continue;
        failed.insert(which);
        nv->Parent()->DeleteChild(nv);
        ++count;
        break;
      }
    }
    if (!history) continue;
    for (Element* lr : core::descendants(ns, "lrm_resource")) {
      const std::string id = core::attr(lr, "id");
      if (!rsc.empty() && id != rsc) continue;
      if (failed_only && !failed.count(id)) {
        bool has_failure = false;
        for (Element* op : core::children(lr, "lrm_rsc_op"))
          has_failure = has_failure || core::attr(op, "id").find("_last_failure_") != std::string::npos;
        if (!has_failure) continue;
      }
      if (cleared) cleared->emplace(core::attr(ns, "uname"), id);
      lr->Parent()->DeleteChild(lr);
      ++count;
    }
  }
  return count;
}

void set_shutdown_mark(core::CibDocument& doc, const std::string& node_id, const std::string& uname, int64_t when) {
  Element* ns = find_state(doc, uname);
  if (!ns) {
    core::set_node_membership(doc, node_id, uname, true);
    ns = find_state(doc, uname);
  }
  for (Element* nv : transient_pairs(ns))
    if (core::attr(nv, "name") == "shutdown") {
      nv->SetAttribute("value", std::to_string(when).c_str());
      return;
    }
  Element* ta = core::first_child(ns, "transient_attributes");
  if (!ta) {
    ta = core::add_child(ns, "transient_attributes");
    ta->SetAttribute("id", node_id.c_str());
  }
  Element* ia = core::first_child(ta, "instance_attributes");
  if (!ia) {
    ia = core::add_child(ta, "instance_attributes");
    ia->SetAttribute("id", ("status-" + node_id).c_str());
  }
  Element* nv = core::add_child(ia, "nvpair");
  nv->SetAttribute("id", ("status-" + node_id + "-shutdown").c_str());
  nv->SetAttribute("name", "shutdown");
  nv->SetAttribute("value", std::to_string(when).c_str());
}

bool clear_shutdown_mark(core::CibDocument& doc, const std::string& uname) {
  Element* ns = find_state(doc, uname);
  if (!ns || !has_shutdown_mark(doc, uname)) return false;
  remove_transient(ns, "shutdown");
  return true;
}

bool has_shutdown_mark(const core::CibDocument& doc, const std::string& uname) {
  Element* ns = find_state(doc, uname);
  if (!ns) return false;
  for (Element* nv : transient_pairs(ns))
    if (core::attr(nv, "name") == "shutdown" && core::attr(nv, "value") != "0" && !core::attr(nv, "value").empty())
      return true;
  return false;
}

}  // namespace hactl::cmd::daemon
