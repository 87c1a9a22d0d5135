#include "core/status_edits.h"

#include <algorithm>

#include "core/fail_attribute.h"

namespace hactl::core {


namespace {

Element* find_state(const CibDocument& doc, const std::string& uname) {
  Element* status = first_child(doc.root(), "status");
  if (!status) return nullptr;
  for (Element* ns : children(status, "node_state"))
    if (attr(ns, "uname") == uname) return ns;
  return nullptr;
}

std::vector<Element*> transient_pairs(Element* ns) {
  std::vector<Element*> out;
  for (Element* ta : children(ns, "transient_attributes"))
    for (Element* ia : children(ta, "instance_attributes"))
      for (Element* nv : children(ia, "nvpair")) out.push_back(nv);
  return out;
}

void remove_transient(Element* ns, const std::string& name) {
  for (Element* nv : transient_pairs(ns))
    if (attr(nv, "name") == name) nv->Parent()->DeleteChild(nv);
}

void set_attr_if(Element* e, const char* name, const std::string& value, bool& changed) {
  if (attr(e, name) == value && has_attr(e, name)) return;
  e->SetAttribute(name, value.c_str());
  changed = true;
}

}  // namespace

bool apply_membership(CibDocument& doc, const ClusterConf& conf, const std::vector<uint32_t>& up,
                      bool quorate, uint32_t dc) {
  bool changed = false;
  set_attr_if(doc.root(), "have-quorum", quorate ? "1" : "0", changed);
  set_attr_if(doc.root(), "dc-uuid", std::to_string(dc), changed);
  for (const auto& n : conf.nodes) {
    const std::string id = std::to_string(n.id);
    bool is_up = std::find(up.begin(), up.end(), n.id) != up.end();
    Element* ns = find_state(doc, n.name);
    std::string before = ns ? std::string(attr(ns, "in_ccm")) + attr(ns, "crmd") + attr(ns, "join") +
                                  attr(ns, "expected")
                            : std::string();
    if (is_up) {
      set_node_membership(doc, id, n.name, true);
    } else {
      // Lost without a clean exit: keep "expected member" so the scheduler
      // sees it unclean (fencing) rather than cleanly gone.
      bool clean = !ns || attr(ns, "expected") != "member" || has_shutdown_mark(doc, n.name);
      set_node_membership(doc, id, n.name, false, !clean);
      ns = find_state(doc, n.name);
      if (has_shutdown_mark(doc, n.name)) {
        remove_transient(ns, "shutdown");
        changed = true;
      }
    }
    ns = find_state(doc, n.name);
    std::string after = std::string(attr(ns, "in_ccm")) + attr(ns, "crmd") + attr(ns, "join") +
                        attr(ns, "expected");
    if (before != after) changed = true;
  }
  return changed;
}

int next_call_id(const CibDocument& doc, const std::string& uname) {
  int max_call = 0;
  if (Element* ns = find_state(doc, uname))
    for (Element* op : descendants(ns, "lrm_rsc_op")) max_call = std::max(max_call, op->IntAttribute("call-id"));
  return max_call + 1;
}

void record_result(CibDocument& doc, const std::string& node_id, OpResult r, const std::string& exit_reason) {
  Element* lrm_rsc = nullptr;
  if (r.call_id <= 0) r.call_id = next_call_id(doc, r.node);
  record_op_result(doc, node_id, r);
  Element* ns = find_state(doc, r.node);
  for (Element* lr : descendants(ns, "lrm_resource"))
    if (attr(lr, "id") == r.rsc) lrm_rsc = lr;
  if (!lrm_rsc) return;
  const std::string key = r.rsc + "_" + r.operation + "_" + std::to_string(r.interval_ms);
  for (Element* op : children(lrm_rsc, "lrm_rsc_op")) {
    if (attr(op, "operation_key") == key && op->IntAttribute("call-id") == r.call_id) {
      if (!exit_reason.empty()) op->SetAttribute("exit-reason", exit_reason.c_str());
      else op->DeleteAttribute("exit-reason");
    }
  }
  // A stop cancels the resource's recurring operations (Pacemaker deletes
  // their entries); a start begins a fresh life without the old ones.
  if ((r.operation == "stop" || r.operation == "start") && r.rc == r.expected_rc) {
    for (Element* op : children(lrm_rsc, "lrm_rsc_op"))
      if (attr(op, "interval") != "0" && has_attr(op, "interval") && attr(op, "id") != r.rsc + "_last_failure_0")
        lrm_rsc->DeleteChild(op);
  }
}

void wipe_node_history(CibDocument& doc, const std::string& uname) {
  Element* ns = find_state(doc, uname);
  if (!ns) return;
  for (Element* lr : descendants(ns, "lrm_resource")) {
    const std::string id = attr(lr, "id");
    // An orphan (deleted from the configuration) is never probed: its
    // history is the only trace that it may still run there.
    if (doc.find_id(id.substr(0, id.find(':')))) lr->Parent()->DeleteChild(lr);
  }
}

int clear_failures(CibDocument& doc, const std::string& rsc, const std::string& node, bool history,
                   bool failed_only, std::set<std::pair<std::string, std::string>>* cleared) {
  int count = 0;
  Element* status = first_child(doc.root(), "status");
  if (!status) return 0;
  for (Element* ns : children(status, "node_state")) {
    if (!node.empty() && attr(ns, "uname") != node) continue;
    std::set<std::string> failed;  // resources with a fail count on this node
    for (Element* nv : transient_pairs(ns)) {
      auto f = parse_fail_attribute(attr(nv, "name"));
      if (!f) continue;
      const std::string which = f->rsc + f->instance;
      if (!rsc.empty() && which != rsc && f->rsc != rsc) continue;
      failed.insert(which);
      nv->Parent()->DeleteChild(nv);
      ++count;
    }
    if (!history) continue;
    for (Element* lr : descendants(ns, "lrm_resource")) {
      const std::string id = attr(lr, "id");
      if (!rsc.empty() && id != rsc && id.substr(0, id.find(':')) != rsc) continue;  // "rsc" cleans its clone instances too
      if (failed_only && !failed.count(id)) {
        bool has_failure = false;
        for (Element* op : children(lr, "lrm_rsc_op"))
          has_failure = has_failure || attr(op, "id").find("_last_failure_") != std::string::npos;
        if (!has_failure) continue;
      }
      if (cleared) cleared->emplace(attr(ns, "uname"), id);
      lr->Parent()->DeleteChild(lr);
      ++count;
    }
  }
  return count;
}

void set_shutdown_mark(CibDocument& doc, const std::string& node_id, const std::string& uname, int64_t when) {
  Element* ns = find_state(doc, uname);
  if (!ns) {
    set_node_membership(doc, node_id, uname, true);
    ns = find_state(doc, uname);
  }
  for (Element* nv : transient_pairs(ns))
    if (attr(nv, "name") == "shutdown") {
      nv->SetAttribute("value", std::to_string(when).c_str());
      return;
    }
  Element* ta = first_child(ns, "transient_attributes");
  if (!ta) {
    ta = add_child(ns, "transient_attributes");
    ta->SetAttribute("id", node_id.c_str());
  }
  Element* ia = first_child(ta, "instance_attributes");
  if (!ia) {
    ia = add_child(ta, "instance_attributes");
    ia->SetAttribute("id", ("status-" + node_id).c_str());
  }
  Element* nv = add_child(ia, "nvpair");
  nv->SetAttribute("id", ("status-" + node_id + "-shutdown").c_str());
  nv->SetAttribute("name", "shutdown");
  nv->SetAttribute("value", std::to_string(when).c_str());
}

bool clear_shutdown_mark(CibDocument& doc, const std::string& uname) {
  Element* ns = find_state(doc, uname);
  if (!ns || !has_shutdown_mark(doc, uname)) return false;
  remove_transient(ns, "shutdown");
  return true;
}

bool has_shutdown_mark(const CibDocument& doc, const std::string& uname) {
  Element* ns = find_state(doc, uname);
  if (!ns) return false;
  for (Element* nv : transient_pairs(ns))
    if (attr(nv, "name") == "shutdown" && attr(nv, "value") != "0" && !attr(nv, "value").empty())
      return true;
  return false;
}

}  // namespace hactl::core
