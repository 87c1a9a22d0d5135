#include "core/resource_edit.h"

#include <algorithm>
#include <set>

#include "core/duration.h"
#include "core/nvset_edit.h"

namespace hactl::core {

namespace {

const std::set<std::string_view> kResourceTags = {"primitive", "group", "clone", "master", "bundle"};

std::string value_of(const KeyValues& kv, std::string_view key) {
  for (auto& [k, v] : kv)
    if (k == key) return v;
  return "";
}

Element* write_op(CibDocument& doc, Element* operations, std::string_view rsc, const OpSpec& op) {
  Element* e = add_child(operations, "op");
  e->SetAttribute("name", op.name.c_str());
  std::string interval = value_of(op.attrs, "interval");
  if (interval.empty()) interval = op.name == "monitor" ? "60s" : "0s";
  e->SetAttribute("interval", interval.c_str());
  for (auto& [k, v] : op.attrs)
    if (k != "interval" && k != "id") e->SetAttribute(k.c_str(), v.c_str());
  std::string id = value_of(op.attrs, "id");
  if (id.empty()) id = doc.unique_id(std::string(rsc) + "-" + op.name + "-interval-" + interval);
  e->SetAttribute("id", id.c_str());
  return e;
}

Status check_op(const OpSpec& op) {
  if (op.name.empty()) return Status::invalid("When using 'op' you must specify an operation name after 'op'");
  for (auto& [k, v] : op.attrs) {
    if ((k == "interval" || k == "timeout" || k == "start-delay") && !parse_duration_ms(v))
      return Status::invalid("'" + v + "' is not a valid " + k + " value, use time interval (e.g. 1, 2s, 3m, 4h, ...)");
    if (k == "on-fail") {
      static const std::set<std::string> ok = {"ignore", "block", "stop", "restart", "standby", "fence", "demote", "restart-container"};
      if (!ok.count(v)) return Status::invalid("'" + v + "' is not a valid on-fail value, use 'block', 'demote', 'fence', 'ignore', 'restart', 'restart-container', 'standby', 'stop'");
    }
  }
  return {};
}

int64_t interval_of(const Element* op) { return parse_duration_ms(attr(op, "interval", "0")).value_or(0); }

void remove_refs_in_sets(Element* c, std::string_view id, bool* constraint_emptied) {
  for (Element* set : children(c, "resource_set")) {
    for (Element* ref : children(set, "resource_ref"))
      if (attr(ref, "id") == id) set->DeleteChild(ref);
    if (!first_child(set, "resource_ref")) c->DeleteChild(set);
  }
  *constraint_emptied = !first_child(c, "resource_set");
}

bool references(const Element* c, std::string_view id) {
  for (const char* a : {"rsc", "with-rsc", "first", "then"})
    if (attr(c, a) == id) return true;
  return false;
}

}  // namespace

std::vector<OpSpec> merge_default_ops(const std::vector<OpSpec>& user, const std::vector<DefaultOp>& defaults) {
  std::vector<OpSpec> out = user;
  std::vector<OpSpec> extra;
  for (const DefaultOp& d : defaults) {
    if (d.name == "meta-data" || d.name == "validate-all" || d.name == "status") continue;
    bool given = std::any_of(user.begin(), user.end(), [&](const OpSpec& u) { return u.name == d.name; });
    // Two monitors differing by role (promotable agents) are both suggested.
    bool dup = std::any_of(extra.begin(), extra.end(), [&](const OpSpec& e) {
      return e.name == d.name && value_of(e.attrs, "role") == d.role;
    });
    if (given || dup) continue;
    OpSpec op{d.name, {}};
    op.attrs.emplace_back("interval", d.interval.empty() ? "0s" : d.interval);
    if (!d.timeout.empty()) op.attrs.emplace_back("timeout", d.timeout);
    if (!d.role.empty()) op.attrs.emplace_back("role", d.role);
    if (!d.depth.empty() && d.depth != "0") op.attrs.emplace_back("OCF_CHECK_LEVEL", d.depth);
    extra.push_back(std::move(op));
  }
  out.insert(out.end(), extra.begin(), extra.end());
  // pcs writes the user's and the agent's ops together, sorted by action name
  // (stable: two monitors keep the order given, e.g. DRBD's 29s then 31s).
  std::stable_sort(out.begin(), out.end(), [](const OpSpec& a, const OpSpec& b) { return a.name < b.name; });
  return out;
}

Element* find_resource(const CibDocument& doc, std::string_view id) {
  for (Element* e : descendants(doc.find_section("resources")))
    if (kResourceTags.count(e->Name()) && attr(e, "id") == id) return e;
  return nullptr;
}

Element* find_primitive_element(const CibDocument& doc, std::string_view id) {
  Element* e = find_resource(doc, id);
  return e && std::string_view(e->Name()) == "primitive" ? e : nullptr;
}

Status create_primitive(CibDocument& doc, const PrimitiveSpec& spec, const GroupPlacement& where) {
  if (spec.id.empty()) return Status::invalid("Resource id cannot be empty");
  if (doc.id_in_use(spec.id)) return Status::exists("'" + spec.id + "' already exists");
  for (const OpSpec& op : spec.ops)
    if (Status s = check_op(op); !s) return s;
  // Two ops with one name and interval are a configuration error in Pacemaker.
  for (size_t i = 0; i < spec.ops.size(); ++i)
    for (size_t j = i + 1; j < spec.ops.size(); ++j) {
      auto iv = [](const OpSpec& o) {
        std::string s = value_of(o.attrs, "interval");
        return parse_duration_ms(s.empty() ? (o.name == "monitor" ? "60s" : "0") : s).value_or(0);
      };
      if (spec.ops[i].name == spec.ops[j].name && iv(spec.ops[i]) == iv(spec.ops[j]) &&
          value_of(spec.ops[i].attrs, "role") == value_of(spec.ops[j].attrs, "role"))
        return Status::invalid("operation " + spec.ops[i].name + " with interval " + value_of(spec.ops[i].attrs, "interval") +
                               " is defined more than once for resource '" + spec.id + "'");
    }

  Element* resources = doc.section("resources");
  Element* group = nullptr;
  if (!where.group.empty()) {
    group = find_resource(doc, where.group);
    if (group && std::string_view(group->Name()) != "group")
      return Status::invalid("'" + where.group + "' is not a group");
    if (!group) {
      if (doc.id_in_use(where.group)) return Status::exists("'" + where.group + "' already exists");
      group = add_child(resources, "group");
      group->SetAttribute("id", where.group.c_str());
    }
  }
  for (const std::string& anchor : {where.before, where.after})
    if (!anchor.empty() && !(group && [&] {
          for (Element* m : children(group, "primitive"))
            if (attr(m, "id") == anchor) return true;
          return false;
        }()))
      return Status::not_found("there is no resource '" + anchor + "' in the group '" + where.group + "'");

  Element* parent = group ? group : resources;
  Element* p = doc.xml().NewElement("primitive");
  if (group && !where.before.empty()) {
    Element* anchor = find_resource(doc, where.before);
    if (Element* prev = anchor->PreviousSiblingElement()) group->InsertAfterChild(prev, p);
    else group->InsertFirstChild(p);
  } else if (group && !where.after.empty()) {
    group->InsertAfterChild(find_resource(doc, where.after), p);
  } else {
    parent->InsertEndChild(p);
  }
  p->SetAttribute("id", spec.id.c_str());
  p->SetAttribute("class", spec.cls.c_str());
  if (!spec.provider.empty()) p->SetAttribute("provider", spec.provider.c_str());
  p->SetAttribute("type", spec.type.c_str());
  // pcs writes instance and meta attributes sorted by name.
  auto sorted = [](KeyValues kv) {
    std::stable_sort(kv.begin(), kv.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    return kv;
  };
  if (!spec.params.empty()) {
    Element* ia = ensure_nvset(doc, p, "instance_attributes", spec.id + "-instance_attributes");
    for (auto& [k, v] : sorted(spec.params)) set_nvpair(doc, ia, k, v);
  }
  if (!spec.meta.empty()) {
    Element* ma = ensure_nvset(doc, p, "meta_attributes", spec.id + "-meta_attributes");
    for (auto& [k, v] : sorted(spec.meta)) set_nvpair(doc, ma, k, v);
  }
  if (!spec.ops.empty()) {
    Element* ops = add_child(p, "operations");
    for (const OpSpec& op : spec.ops) write_op(doc, ops, spec.id, op);
  }
  return {};
}

Status delete_resource(CibDocument& doc, std::string_view id, std::vector<std::string>* removed) {
  Element* e = find_resource(doc, id);
  if (!e) return Status::not_found("Resource '" + std::string(id) + "' does not exist.");
  // A group's members go with it, and so do constraints on any of them.
  std::vector<std::string> ids = {std::string(id)};
  for (Element* d : descendants(e))
    if (kResourceTags.count(d->Name())) ids.push_back(attr(d, "id"));
  Element* parent = e->Parent()->ToElement();
  remove_constraints_of(doc, ids, removed);
  parent->DeleteChild(e);
  // A group (or clone) with no member left is removed as Pacemaker would reject it.
  std::string_view ptag = parent->Name();
  if ((ptag == "group" || ptag == "clone" || ptag == "master") && !first_child(parent, "primitive") &&
      !first_child(parent, "group"))
    return delete_resource(doc, attr(parent, "id"), removed);
  return {};
}

void remove_constraints_of(CibDocument& doc, const std::vector<std::string>& ids, std::vector<std::string>* removed) {
  if (Element* constraints = doc.find_section("constraints"))
    for (Element* c : children(constraints)) {
      bool drop = false;
      for (const std::string& rid : ids) {
        if (references(c, rid)) drop = true;
        else if (first_child(c, "resource_set")) {
          bool emptied = false;
          remove_refs_in_sets(c, rid, &emptied);
          drop = drop || emptied;
        }
      }
      if (drop) {
        if (removed) removed->push_back(attr(c, "id"));
        constraints->DeleteChild(c);
      }
    }
}

Status update_params(CibDocument& doc, std::string_view id, const KeyValues& params) {
  Element* p = find_primitive_element(doc, id);
  if (!p) return Status::not_found("Resource '" + std::string(id) + "' does not exist.");
  if (params.empty()) return {};
  Element* ia = ensure_nvset(doc, p, "instance_attributes", std::string(id) + "-instance_attributes");
  for (auto& [k, v] : params) set_nvpair(doc, ia, k, v);
  if (!ia->FirstChildElement()) p->DeleteChild(ia);
  return {};
}

Status update_meta(CibDocument& doc, std::string_view id, const KeyValues& meta) {
  Element* r = find_resource(doc, id);
  if (!r) return Status::not_found("Resource '" + std::string(id) + "' does not exist.");
  if (meta.empty()) return {};
  Element* ma = ensure_nvset(doc, r, "meta_attributes", std::string(id) + "-meta_attributes");
  // meta_attributes must precede <operations> in a primitive (schema order).
  if (Element* ops = first_child(r, "operations"); ops && ma->PreviousSiblingElement() == ops) {
    if (Element* before = ops->PreviousSiblingElement()) r->InsertAfterChild(before, ma);
    else r->InsertFirstChild(ma);
  }
  for (auto& [k, v] : meta) set_nvpair(doc, ma, k, v);
  if (!ma->FirstChildElement()) r->DeleteChild(ma);
  return {};
}

Status add_op(CibDocument& doc, std::string_view id, const OpSpec& op, bool force) {
  Element* p = find_primitive_element(doc, id);
  if (!p) return Status::not_found("Resource '" + std::string(id) + "' does not exist.");
  if (Status s = check_op(op); !s) return s;
  Element* ops = first_child(p, "operations");
  if (!ops) ops = add_child(p, "operations");
  std::string interval = value_of(op.attrs, "interval");
  int64_t ms = parse_duration_ms(interval.empty() ? (op.name == "monitor" ? "60s" : "0") : interval).value_or(0);
  for (Element* existing : children(ops, "op"))
    if (attr(existing, "name") == op.name && interval_of(existing) == ms && attr(existing, "role") == value_of(op.attrs, "role") && !force)
      return Status::exists("operation " + op.name + " with interval " + format_duration(ms) +
                            " already specified for " + std::string(id) + ":\n" + attr(existing, "id") +
                            ", use --force to override");
  write_op(doc, ops, id, op);
  return {};
}

Status update_op(CibDocument& doc, std::string_view id, const OpSpec& op) {
  Element* p = find_primitive_element(doc, id);
  if (!p) return Status::not_found("Resource '" + std::string(id) + "' does not exist.");
  if (Status s = check_op(op); !s) return s;
  Element* ops = first_child(p, "operations");
  for (Element* existing : children(ops, "op")) {
    if (attr(existing, "name") != op.name) continue;
    for (auto& [k, v] : op.attrs) {
      if (v.empty()) existing->DeleteAttribute(k.c_str());
      else existing->SetAttribute(k.c_str(), v.c_str());
    }
    if (!has_attr(existing, "interval")) existing->SetAttribute("interval", op.name == "monitor" ? "60s" : "0s");
    return {};
  }
  if (!ops) ops = add_child(p, "operations");
  write_op(doc, ops, id, op);
  return {};
}

Status remove_op_by_id(CibDocument& doc, std::string_view op_id) {
  Element* e = doc.find_id(op_id);
  if (!e || std::string_view(e->Name()) != "op") return Status::not_found("unable to find operation id: " + std::string(op_id));
  Element* ops = e->Parent()->ToElement();
  ops->DeleteChild(e);
  if (!ops->FirstChildElement()) ops->Parent()->DeleteChild(ops);
  return {};
}

Status remove_op(CibDocument& doc, std::string_view rsc, const OpSpec& match) {
  Element* p = find_primitive_element(doc, rsc);
  if (!p) return Status::not_found("Resource '" + std::string(rsc) + "' does not exist.");
  Element* ops = first_child(p, "operations");
  bool found = false;
  for (Element* op : children(ops, "op")) {
    if (attr(op, "name") != match.name) continue;
    bool all = std::all_of(match.attrs.begin(), match.attrs.end(), [&](const auto& kv) {
      if (kv.first == "interval") return parse_duration_ms(kv.second) == std::optional<int64_t>(interval_of(op));
      return attr(op, kv.first.c_str()) == kv.second;
    });
    if (all) {
      ops->DeleteChild(op);
      found = true;
    }
  }
  if (!found) return Status::not_found("Unable to find operation matching: " + match.name);
  if (ops && !ops->FirstChildElement()) p->DeleteChild(ops);
  return {};
}

Status group_add(CibDocument& doc, std::string_view group_id, const std::vector<std::string>& rscs,
                 const std::string& before, const std::string& after) {
  Element* group = find_resource(doc, group_id);
  if (group && std::string_view(group->Name()) != "group")
    return Status::invalid("'" + std::string(group_id) + "' is not a group");
  if (!group && doc.id_in_use(group_id)) return Status::exists("'" + std::string(group_id) + "' already exists");
  for (const std::string& r : rscs) {
    Element* e = find_resource(doc, r);
    if (!e) return Status::not_found("Resource '" + r + "' does not exist");
    if (std::string_view(e->Name()) != "primitive") return Status::invalid("'" + r + "' is not a primitive resource");
    std::string_view ptag = e->Parent()->ToElement()->Name();
    if (ptag == "clone" || ptag == "master" || ptag == "bundle")
      return Status::invalid("cannot put resource '" + r + "' in a group, it is in a " + std::string(ptag));
  }
  if (!group) {
    group = add_child(doc.section("resources"), "group");
    group->SetAttribute("id", std::string(group_id).c_str());
  }
  Element* anchor = nullptr;
  const std::string& anchor_id = before.empty() ? after : before;
  if (!anchor_id.empty()) {
    for (Element* m : children(group, "primitive"))
      if (attr(m, "id") == anchor_id) anchor = m;
    if (!anchor) return Status::not_found("there is no resource '" + anchor_id + "' in the group '" + std::string(group_id) + "'");
  }
  for (const std::string& r : rscs) {
    if (r == anchor_id) continue;
    Element* e = find_resource(doc, r);
    Element* old_parent = e->Parent()->ToElement();
    Element* moved = e->DeepClone(&doc.xml())->ToElement();
    old_parent->DeleteChild(e);
    if (std::string_view(old_parent->Name()) == "group" && old_parent != group && !first_child(old_parent, "primitive"))
      old_parent->Parent()->DeleteChild(old_parent);
    if (anchor && !before.empty()) {
      if (Element* prev = anchor->PreviousSiblingElement()) group->InsertAfterChild(prev, moved);
      else group->InsertFirstChild(moved);
    } else if (anchor) {
      group->InsertAfterChild(anchor, moved);
      anchor = moved;
    } else {
      group->InsertEndChild(moved);
    }
  }
  return {};
}

Status group_remove(CibDocument& doc, std::string_view group_id, const std::vector<std::string>& rscs) {
  Element* group = find_resource(doc, group_id);
  if (!group || std::string_view(group->Name()) != "group")
    return Status::not_found("Group '" + std::string(group_id) + "' does not exist");
  std::vector<Element*> members;
  if (rscs.empty()) members = children(group, "primitive");
  for (const std::string& r : rscs) {
    Element* m = nullptr;
    for (Element* c : children(group, "primitive"))
      if (attr(c, "id") == r) m = c;
    if (!m) return Status::not_found("Resource '" + r + "' is not in group '" + std::string(group_id) + "'");
    members.push_back(m);
  }
  Element* resources = group->Parent()->ToElement();
  Element* insert_after = group;
  for (Element* m : members) {
    Element* moved = m->DeepClone(&doc.xml())->ToElement();
    group->DeleteChild(m);
    resources->InsertAfterChild(insert_after, moved);
    insert_after = moved;
  }
  if (!first_child(group, "primitive")) {
    // Constraints on the group would reference nothing once it is gone.
    Element* constraints = doc.find_section("constraints");
    for (Element* c : children(constraints))
      if (references(c, group_id)) constraints->DeleteChild(c);
    resources->DeleteChild(group);
  }
  return {};
}

}  // namespace hactl::core
