#include "core/cib_model.h"

#include "core/cib_references.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <set>

#include "core/duration.h"

namespace hactl::core {

namespace {

int64_t to_i64(const std::string& s) {
  char* end = nullptr;
  long long v = std::strtoll(s.c_str(), &end, 10);
  return (end && *end == '\0') ? v : 0;
}

Attributes all_attrs(const Element* e) {
  Attributes out;
  for (const tinyxml2::XMLAttribute* a = e->FirstAttribute(); a; a = a->Next()) out[a->Name()] = a->Value();
  return out;
}

// Pacemaker merges nvsets by score (highest first); the first value for a name wins.
Attributes flatten(std::vector<NvSet> sets) {
  std::stable_sort(sets.begin(), sets.end(), [](const NvSet& a, const NvSet& b) { return a.score > b.score; });
  Attributes out;
  for (const NvSet& s : sets) {
    if (s.has_rule) continue;  // rule-driven sets need evaluation context; callers evaluate them
    for (const NvPair& p : s.pairs) out.emplace(p.name, p.value);
  }
  return out;
}

std::vector<NvSet> read_sets(const Element* parent, std::string_view tag) {
  std::vector<NvSet> out;
  for (Element* e : children(parent, tag)) out.push_back(read_nvset(e));
  return out;
}

std::vector<ResourceSet> read_resource_sets(const Element* e) {
  std::vector<ResourceSet> out;
  for (Element* s : children(e, "resource_set")) {
    ResourceSet rs;
    rs.id = attr(s, "id");
    rs.attrs = all_attrs(s);
    for (Element* r : children(s, "resource_ref")) rs.resources.push_back(attr(r, "id"));
    out.push_back(std::move(rs));
  }
  return out;
}

Primitive read_primitive(const Element* e, const std::string& group, const Attributes& group_meta) {
  tinyxml2::XMLDocument scratch;
  e = expand_template(e, scratch);
  Primitive p;
  p.id = attr(e, "id");
  p.cls = attr(e, "class");
  p.provider = attr(e, "provider");
  p.type = attr(e, "type");
  p.group = group;
  p.instance_sets = read_sets(e, "instance_attributes");
  p.meta_sets = read_sets(e, "meta_attributes");
  p.params = flatten(p.instance_sets);
  p.own_meta = flatten(p.meta_sets);
  p.meta = p.own_meta;
  for (auto& [k, v] : group_meta) p.meta.emplace(k, v);
  p.utilization = flatten(read_sets(e, "utilization"));
  if (Element* ops = first_child(e, "operations"))
    for (Element* op : children(ops, "op")) p.ops.push_back(read_op(op));
  return p;
}

LrmOp read_lrm_op(const Element* e) {
  LrmOp op;
  op.id = attr(e, "id");
  op.operation_key = attr(e, "operation_key");
  op.operation = attr(e, "operation");
  op.on_node = attr(e, "on_node");
  op.transition_key = attr(e, "transition-key");
  op.transition_magic = attr(e, "transition-magic");
  op.exit_reason = attr(e, "exit-reason");
  op.op_digest = attr(e, "op-digest");
  op.restart_digest = attr(e, "op-restart-digest");
  op.force_restart = attr(e, "op-force-restart");
  op.secure_digest = attr(e, "op-secure-digest");
  op.secure_params = attr(e, "op-secure-params");
  op.crm_feature_set = attr(e, "crm_feature_set");
  op.interval_ms = to_i64(attr(e, "interval", "0"));
  op.call_id = static_cast<int>(to_i64(attr(e, "call-id", "0")));
  op.rc_code = static_cast<int>(to_i64(attr(e, "rc-code", "0")));
  op.op_status = static_cast<int>(to_i64(attr(e, "op-status", "0")));
  op.last_rc_change = to_i64(attr(e, "last-rc-change", "0"));
  op.exec_time = to_i64(attr(e, "exec-time", "0"));
  op.queue_time = to_i64(attr(e, "queue-time", "0"));
  return op;
}

NodeState read_node_state(const Element* e) {
  NodeState ns;
  ns.id = attr(e, "id");
  ns.uname = attr(e, "uname");
  ns.in_ccm = attr(e, "in_ccm");
  ns.crmd = attr(e, "crmd");
  ns.join = attr(e, "join");
  ns.expected = attr(e, "expected");
  ns.shutdown = attr(e, "shutdown");
  if (Element* ta = first_child(e, "transient_attributes"))
    ns.transient_attrs = flatten(read_sets(ta, "instance_attributes"));
  if (Element* lrm = first_child(e, "lrm"))
    if (Element* rscs = first_child(lrm, "lrm_resources"))
      for (Element* r : children(rscs, "lrm_resource")) {
        LrmResource lr;
        lr.id = attr(r, "id");
        lr.cls = attr(r, "class");
        lr.provider = attr(r, "provider");
        lr.type = attr(r, "type");
        for (Element* op : children(r, "lrm_rsc_op")) lr.ops.push_back(read_lrm_op(op));
        ns.resources.push_back(std::move(lr));
      }
  return ns;
}

// The ids of `e` and of every resource element below it.
void collect_resource_ids(const Element* e, std::vector<std::string>& out) {
  static const std::set<std::string_view> kResourceTags = {"primitive", "group", "clone", "master", "bundle"};
  if (kResourceTags.count(e->Name())) out.push_back(attr(e, "id"));
  for (Element* c : children(e)) collect_resource_ids(c, out);
}

// A clone or master (promotable) of one primitive (clones of groups are not modelled yet);
// false leaves it unsupported.
bool read_clone(Cib& cib, const Element* e) {
  std::string tag = e->Name();
  if (tag != "clone" && tag != "master") return false;
  std::vector<Element*> kids;
  for (Element* c : children(e))
    if (std::string_view(c->Name()) != "meta_attributes" && std::string_view(c->Name()) != "instance_attributes")
      kids.push_back(c);
  if (kids.size() != 1 || std::string_view(kids[0]->Name()) != "primitive") return false;
  Clone c;
  c.id = attr(e, "id");
  c.tag = tag;
  c.meta = flatten(read_sets(e, "meta_attributes"));
  auto pm = c.meta.find("promotable");
  c.promotable = tag == "master" || (pm != c.meta.end() && is_true(pm->second));
  Primitive p = read_primitive(kids[0], "", c.meta);
  p.clone = c.id;
  c.child = p.id;
  cib.primitives.push_back(std::move(p));
  cib.clones.push_back(std::move(c));
  // Its history is the instances', never an orphan's.
  collect_resource_ids(e, cib.unmodelled_resource_ids);
  return true;
}

void read_resources(Cib& cib, const Element* resources) {
  for (Element* e : children(resources)) {
    std::string tag = e->Name();
    std::string id = attr(e, "id");
    if (tag == "primitive") {
      cib.resources.push_back({ResourceRef::Kind::primitive, id, tag});
      cib.primitives.push_back(read_primitive(e, "", {}));
    } else if (tag == "group") {
      cib.resources.push_back({ResourceRef::Kind::group, id, tag});
      Group g;
      g.id = id;
      g.meta = flatten(read_sets(e, "meta_attributes"));
      g.instance_sets = read_sets(e, "instance_attributes");
      for (Element* m : children(e, "primitive")) {
        cib.primitives.push_back(read_primitive(m, id, g.meta));
        g.members.push_back(attr(m, "id"));
      }
      cib.groups.push_back(std::move(g));
    } else if (tag == "template") {
      continue;  // a definition others refer to (cib_references.h), not a resource
    } else if (read_clone(cib, e)) {
      cib.resources.push_back({ResourceRef::Kind::clone, id, tag});
    } else {
      cib.resources.push_back({ResourceRef::Kind::other, id, tag});
      cib.unsupported.push_back(tag + " '" + id + "'");
      collect_resource_ids(e, cib.unmodelled_resource_ids);
    }
  }
}

void read_constraints(Cib& cib, const Element* constraints) {
  for (Element* e : children(constraints)) {
    std::string tag = e->Name();
    if (tag == "rsc_location") {
      LocationConstraint c;
      c.attrs = all_attrs(e);
      c.id = attr(e, "id");
      c.rsc = attr(e, "rsc");
      c.rsc_pattern = attr(e, "rsc-pattern");
      c.node = attr(e, "node");
      c.role = attr(e, "role");
      c.resource_discovery = attr(e, "resource-discovery");
      if (has_attr(e, "score")) c.score = parse_score_lenient(attr(e, "score"));
      for (Element* r : children(e, "rule")) c.rules.push_back(read_rule(r));
      c.sets = read_resource_sets(e);
      cib.locations.push_back(std::move(c));
    } else if (tag == "rsc_colocation") {
      ColocationConstraint c;
      c.attrs = all_attrs(e);
      c.id = attr(e, "id");
      c.rsc = attr(e, "rsc");
      c.with_rsc = attr(e, "with-rsc");
      c.rsc_role = attr(e, "rsc-role");
      c.with_rsc_role = attr(e, "with-rsc-role");
      c.node_attribute = attr(e, "node-attribute");
      c.score = parse_score_lenient(attr(e, "score"));
      if (has_attr(e, "influence")) c.influence = is_true(attr(e, "influence"));
      c.sets = read_resource_sets(e);
      cib.colocations.push_back(std::move(c));
    } else if (tag == "rsc_order") {
      OrderConstraint c;
      c.attrs = all_attrs(e);
      c.id = attr(e, "id");
      c.first = attr(e, "first");
      c.then = attr(e, "then");
      c.first_action = attr(e, "first-action", "start");
      c.then_action = attr(e, "then-action", c.first_action);
      if (has_attr(e, "score")) {
        c.score = parse_score_lenient(attr(e, "score"));
        c.kind = *c.score == 0 ? "Optional" : "Mandatory";
      }
      if (has_attr(e, "kind")) c.kind = attr(e, "kind");
      if (has_attr(e, "symmetrical")) c.symmetrical = is_true(attr(e, "symmetrical"));
      c.sets = read_resource_sets(e);
      cib.orders.push_back(std::move(c));
    } else if (tag == "rsc_ticket") {
      TicketConstraint c;
      c.attrs = all_attrs(e);
      c.id = attr(e, "id");
      c.rsc = attr(e, "rsc");
      c.rsc_role = attr(e, "rsc-role");
      c.ticket = attr(e, "ticket");
      c.loss_policy = attr(e, "loss-policy");
      c.sets = read_resource_sets(e);
      cib.tickets.push_back(std::move(c));
    } else {
      cib.unsupported.push_back(tag + " '" + attr(e, "id") + "'");
    }
  }
}

}  // namespace

bool is_true(std::string_view v) {
  std::string s;
  for (char c : v) s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s == "true" || s == "on" || s == "yes" || s == "y" || s == "1";
}

NvSet read_nvset(const Element* e) {
  NvSet set;
  set.id = attr(e, "id");
  set.tag = e->Name();
  set.score = parse_score_lenient(attr(e, "score", "0"));
  set.has_rule = first_child(e, "rule") != nullptr;
  for (Element* r : children(e, "rule")) set.rules.push_back(read_rule(r));
  for (Element* p : children(e, "nvpair")) set.pairs.push_back({attr(p, "id"), attr(p, "name"), attr(p, "value")});
  return set;
}

Rule read_rule(const Element* e) {
  Rule r;
  r.id = attr(e, "id");
  if (has_attr(e, "score")) r.score = parse_score_lenient(attr(e, "score"));
  r.score_attribute = attr(e, "score-attribute");
  r.boolean_op = attr(e, "boolean-op", "and");
  r.has_boolean_op = has_attr(e, "boolean-op");
  r.role = attr(e, "role");
  for (Element* c : children(e)) {
    std::string tag = c->Name();
    if (tag == "expression") {
      r.expressions.push_back({attr(c, "id"), attr(c, "attribute"), attr(c, "operation"), attr(c, "value"),
                               attr(c, "type"), attr(c, "value-source")});
    } else if (tag == "date_expression") {
      DateExpression d{attr(c, "id"), attr(c, "operation"), attr(c, "start"), attr(c, "end"), {}, {}};
      if (Element* dur = first_child(c, "duration")) d.duration = all_attrs(dur);
      if (Element* spec = first_child(c, "date_spec")) d.date_spec = all_attrs(spec);
      r.date_expressions.push_back(std::move(d));
    } else if (tag == "rule") {
      r.rules.push_back(read_rule(c));
    } else if (tag == "rsc_expression") {
      r.rsc_expressions.push_back(all_attrs(c));
    } else if (tag == "op_expression") {
      r.op_expressions.push_back(all_attrs(c));
    }
  }
  return r;
}

Op read_op(const Element* e) {
  Op op;
  op.attrs = all_attrs(e);
  op.id = attr(e, "id");
  op.name = attr(e, "name");
  op.interval_ms = parse_duration_ms(attr(e, "interval", "0")).value_or(0);
  if (has_attr(e, "timeout")) op.timeout_ms = parse_duration_ms(attr(e, "timeout"));
  op.role = attr(e, "role");
  op.on_fail = attr(e, "on-fail");
  op.enabled = !has_attr(e, "enabled") || is_true(attr(e, "enabled"));
  // Op options may also be given as meta_attributes inside the op.
  for (Element* m : children(e, "meta_attributes"))
    for (const NvPair& p : read_nvset(m).pairs) op.attrs.emplace(p.name, p.value);
  op.instance_sets = read_sets(e, "instance_attributes");
  return op;
}

Cib read_cib(const CibDocument& doc) {
  Cib cib;
  const Element* root = doc.root();
  cib.version = doc.version();
  cib.validate_with = attr(root, "validate-with");
  cib.crm_feature_set = attr(root, "crm_feature_set");
  cib.dc_uuid = attr(root, "dc-uuid");
  cib.execution_date = attr(root, "execution-date");
  cib.have_quorum = !has_attr(root, "have-quorum") || is_true(attr(root, "have-quorum"));
  cib.no_quorum_panic = std::atoi(attr(root, "no-quorum-panic", "0").c_str()) != 0;
  if (Element* cc = doc.find_section("crm_config")) cib.properties = flatten(read_sets(cc, "cluster_property_set"));
  if (Element* nodes = doc.find_section("nodes"))
    for (Element* n : children(nodes, "node")) {
      Node node;
      node.id = attr(n, "id");
      node.uname = attr(n, "uname");
      node.type = attr(n, "type");
      if (has_attr(n, "score")) node.score = parse_score_lenient(attr(n, "score"));
      node.attr_sets = read_sets(n, "instance_attributes");
      node.attrs = flatten(node.attr_sets);
      node.utilization = flatten(read_sets(n, "utilization"));
      cib.nodes.push_back(std::move(node));
    }
  if (Element* r = doc.find_section("resources")) read_resources(cib, r);
  read_references(cib, doc);
  if (Element* c = doc.find_section("constraints")) read_constraints(cib, c);
  if (Element* d = doc.find_section("rsc_defaults")) {
    cib.rsc_default_sets = read_sets(d, "meta_attributes");
    cib.rsc_defaults = flatten(cib.rsc_default_sets);
  }
  if (Element* d = doc.find_section("op_defaults")) {
    cib.op_default_sets = read_sets(d, "meta_attributes");
    cib.op_defaults = flatten(cib.op_default_sets);
  }
  if (Element* st = first_child(root, "status")) {
    for (Element* ns : children(st, "node_state")) cib.node_states.push_back(read_node_state(ns));
    if (Element* ts = first_child(st, "tickets"))
      for (Element* t : children(ts, "ticket_state"))
        cib.ticket_states.push_back({attr(t, "id"), is_true(attr(t, "granted")), is_true(attr(t, "standby")), all_attrs(t)});
  }
  return cib;
}

}  // namespace hactl::core
