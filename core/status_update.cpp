#include "core/status_update.h"

#include <algorithm>
#include <unordered_map>

#include "core/score.h"

namespace hactl::core {
namespace {

Element* node_state(CibDocument& doc, const std::string& id, const std::string& uname) {
  Element* status = doc.status_section();
  for (Element* ns : children(status, "node_state"))
    if (attr(ns, "uname") == uname || attr(ns, "id") == id) return ns;
  Element* ns = add_child(status, "node_state");
  ns->SetAttribute("id", id.c_str());
  ns->SetAttribute("uname", uname.c_str());
  return ns;
}

Element* child_or_add(Element* parent, const char* tag, const std::string& id) {
  for (Element* c : children(parent, tag))
    if (id.empty() || attr(c, "id") == id) return c;
  Element* c = add_child(parent, tag);
  if (!id.empty()) c->SetAttribute("id", id.c_str());
  return c;
}

void set_transient(Element* ns, const std::string& node_id, const std::string& name, const std::string& value) {
  Element* ta = child_or_add(ns, "transient_attributes", node_id);
  Element* ia = child_or_add(ta, "instance_attributes", "status-" + node_id);
  for (Element* nv : children(ia, "nvpair")) {
    if (attr(nv, "name") == name) {
      nv->SetAttribute("value", value.c_str());
      return;
    }
  }
  Element* nv = add_child(ia, "nvpair");
  std::string id = "status-" + node_id + "-" + name;
  for (char& c : id)
    if (c == '#') c = '.';
  nv->SetAttribute("id", id.c_str());
  nv->SetAttribute("name", name.c_str());
  nv->SetAttribute("value", value.c_str());
}

std::string get_transient(Element* ns, const std::string& name) {
  for (Element* ta : children(ns, "transient_attributes"))
    for (Element* ia : children(ta, "instance_attributes"))
      for (Element* nv : children(ia, "nvpair"))
        if (attr(nv, "name") == name) return attr(nv, "value");
  return "";
}

}  // namespace

void set_node_membership(CibDocument& doc, const std::string& node_id, const std::string& uname, bool up, bool fail) {
  Element* ns = node_state(doc, node_id, uname);
  ns->SetAttribute("in_ccm", up ? "true" : "false");
  ns->SetAttribute("crmd", up ? "online" : "offline");
  ns->SetAttribute("join", up ? "member" : "down");
  ns->SetAttribute("expected", up || fail ? "member" : "down");
}

namespace {

Element* lrm_resources_of(Element* ns, const std::string& node_id) {
  // Pacemaker reads a node's first <lrm>, whatever its id.
  Element* lrm = ns->FirstChildElement("lrm");
  if (lrm == nullptr) lrm = child_or_add(ns, "lrm", node_id);
  return child_or_add(lrm, "lrm_resources", "");
}

// Writes result `r` into the resource's history `lr` on node_state `ns`.
void write_result(Element* ns, Element* lr, const std::string& node_id, const OpResult& r) {
  const std::string& uname = r.node;
  lr->SetAttribute("class", r.cls.c_str());
  if (!r.provider.empty()) lr->SetAttribute("provider", r.provider.c_str());
  lr->SetAttribute("type", r.type.c_str());
  int call_id = r.call_id;
  if (call_id < 0) {
    // pcmk__event_from_graph_action numbers a simulated result this way.
    call_id = 0;
    for (Element* op : children(lr, "lrm_rsc_op")) call_id = std::max(call_id, op->IntAttribute("call-id", 0));
    ++call_id;
  }
  const std::string key = r.rsc + "_" + r.operation + "_" + std::to_string(r.interval_ms);
  const bool failed = r.rc != r.expected_rc && !(r.operation == "monitor" && r.interval_ms == 0 && (r.rc == 0 || r.rc == 7));
  auto write = [&](const std::string& id) {
    Element* op = child_or_add(lr, "lrm_rsc_op", id);
    op->SetAttribute("operation_key", key.c_str());
    op->SetAttribute("operation", r.operation.c_str());
    std::string tkey = "0:0:" + std::to_string(r.expected_rc) + ":hactl";
    op->SetAttribute("transition-key", tkey.c_str());
    op->SetAttribute("transition-magic", ("0:" + std::to_string(r.rc) + ";" + tkey).c_str());
    op->SetAttribute("on_node", uname.c_str());
    op->SetAttribute("call-id", call_id);
    op->SetAttribute("rc-code", r.rc);
    op->SetAttribute("op-status", 0);
    op->SetAttribute("interval", std::to_string(r.interval_ms).c_str());
    op->SetAttribute("last-rc-change", std::to_string(r.when).c_str());
  };
  write(r.interval_ms > 0 ? key : r.rsc + "_last_0");
  if (failed) {
    write(r.rsc + "_last_failure_0");
    std::string suffix = r.rsc + "#" + r.operation + "_" + std::to_string(r.interval_ms);
    Score count = r.operation == "start" ? kInfinity
                                         : add_scores(parse_score_lenient(get_transient(ns, "fail-count-" + suffix)), 1);
    set_transient(ns, node_id, "fail-count-" + suffix, score_to_string(count));
    set_transient(ns, node_id, "last-failure-" + suffix, std::to_string(r.when));
  }
}

}  // namespace

void record_op_result(CibDocument& doc, const std::string& node_id, const OpResult& r) {
  // The node's uname is what find_node_state keys on; look it up from <nodes>.
  Element* ns = node_state(doc, node_id, r.node);
  write_result(ns, child_or_add(lrm_resources_of(ns, node_id), "lrm_resource", r.rsc), node_id, r);
}

void record_op_results(CibDocument& doc, const std::vector<std::pair<std::string, OpResult>>& results) {
  struct NodeHistory {
    Element* ns = nullptr;
    Element* lrm_resources = nullptr;
    std::unordered_map<std::string, Element*> by_rsc;  // first lrm_resource of each id
  };
  std::unordered_map<std::string, NodeHistory> nodes;
  for (const auto& [node_id, r] : results) {
    auto [it, fresh] = nodes.try_emplace(node_id);
    NodeHistory& h = it->second;
    if (fresh) {
      h.ns = node_state(doc, node_id, r.node);
      h.lrm_resources = lrm_resources_of(h.ns, node_id);
      for (Element* lr : children(h.lrm_resources, "lrm_resource")) h.by_rsc.emplace(attr(lr, "id"), lr);
    }
    Element*& lr = h.by_rsc[r.rsc];
    if (lr == nullptr) {
      lr = add_child(h.lrm_resources, "lrm_resource");
      lr->SetAttribute("id", r.rsc.c_str());
    }
    write_result(h.ns, lr, node_id, r);
  }
}

void record_node_fenced(CibDocument& doc, const std::string& node_id, const std::string& uname) {
  set_node_membership(doc, node_id, uname, false);
  Element* ns = node_state(doc, node_id, uname);
  for (const char* tag : {"lrm", "transient_attributes"})
    while (Element* c = ns->FirstChildElement(tag)) ns->DeleteChild(c);
}

}  // namespace hactl::core
