// `hactl resource create` and `resource update`: the pcs argument grammar
// (instance attributes, `op ACTION k=v...`, `meta k=v...`, clone/group words),
// checked against the agent's meta-data before anything is written.
#include <algorithm>
#include <iostream>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "agents/agent_catalog.h"
#include "cmd/sys/json_text.h"
#include "cmd/cli.h"
#include "cmd/clone_cmds.h"
#include "core/status_edits.h"
#include "cmd/live_controller.h"
#include "cmd/resource_move_wait.h"
#include "cmd/resource_show.h"
#include "core/cib_model.h"
#include "core/clone_edit.h"
#include "core/constraint_edit.h"
#include "core/fence_device.h"
#include "core/node_edit.h"
#include "core/nvset_edit.h"

namespace hactl::cmd {

using core::CibDocument;
using core::KeyValues;
using core::OpSpec;
using core::Status;

namespace {

const std::set<std::string> kSectionWords = {"op", "meta", "clone", "promotable", "master", "bundle", "group", "--group"};

// Splits `op ACTION k=v... ACTION k=v...` into ops; stops at meta/clone/group.
Status parse_ops(const Args& a, size_t& i, std::vector<OpSpec>* ops) {
  while (i < a.size() && !kSectionWords.count(a[i])) {
    std::string k, v;
    if (split_kv(a[i], &k, &v)) {
      if (ops->empty()) return Status::usage("When using 'op' you must specify an operation name and at least one option");
      // pcs 0.9 role names (role=Master) are written as Pacemaker 2.1 names them.
      ops->back().attrs.emplace_back(k, k == "role" ? modern_role_noted(v) : v);
    } else {
      ops->push_back({a[i], {}});
    }
    ++i;
  }
  return {};
}

Status parse_kv_section(const Args& a, size_t& i, KeyValues* out) {
  while (i < a.size() && !kSectionWords.count(a[i])) {
    std::string k, v;
    if (!split_kv(a[i], &k, &v)) return Status::usage("missing value of '" + a[i] + "' option, use name=value");
    out->emplace_back(k, v);
    ++i;
  }
  return {};
}

struct CreateRequest {
  core::PrimitiveSpec spec;
  core::GroupPlacement where;
  std::optional<core::CloneOptions> clone;  // `clone ...` / `promotable ...`: the new resource is cloned
};

// The words of a `clone`/`promotable` section: up to the next section keyword.
Args section_words(const Args& a, size_t& i) {
  Args out;
  while (i < a.size() && !kSectionWords.count(a[i])) out.push_back(a[i++]);
  return out;
}

core::Result<CreateRequest> parse_create(const Invocation& inv, const Args& a) {
  if (a.size() < 2) return Status::usage("resource create RESOURCE_ID [STANDARD:[PROVIDER:]]TYPE [options] [op ...] [meta ...]");
  CreateRequest req;
  req.spec.id = a[0];
  size_t i = 2;
  if (Status s = parse_kv_section(a, i, &req.spec.params); !s) return s;
  int placements = 0;  // clone, promotable, bundle, group: pcs takes one
  while (i < a.size()) {
    std::string word = a[i++];
    if (word == "op") {
      if (Status s = parse_ops(a, i, &req.spec.ops); !s) return s;
    } else if (word == "meta") {
      if (Status s = parse_kv_section(a, i, &req.spec.meta); !s) return s;
    } else if (word == "group" || word == "--group") {
      if (i >= a.size() || a[i].empty()) return Status::usage("group needs a group id");
      ++placements;
      req.where.group = a[i++];
      while (i + 1 < a.size() && (a[i] == "before" || a[i] == "after")) {
        (a[i] == "before" ? req.where.before : req.where.after) = a[i + 1];
        i += 2;
      }
    } else if (word == "clone" || word == "promotable" || word == "master") {
      if (word == "master") legacy_note("resource create ... master", "resource create ... promotable");
      ++placements;
      Args words = section_words(a, i);
      // As pcs's parse_create: `meta` after the section is the primitive's, so no `meta` here.
      auto opts = core::parse_clone_options(words, word != "clone");
      if (!opts) return opts.status();
      req.clone = *opts;
    } else if (word == "bundle") {
      return Status::error(core::ExitCode::unimplemented,
                           "creating bundle resources is not supported by hactl yet; bundles in a pushed CIB are "
                           "kept as they are");
    } else {
      return Status::usage("unexpected '" + word + "' in resource create");
    }
  }
  if (!inv.value("master").empty()) {  // pcs 0.9: create ... --master
    legacy_note("resource create ... --master", "resource create ... promotable");
    ++placements;
    req.clone = core::CloneOptions{"", {{"promotable", "true"}}};
  }
  if (!inv.value("group").empty()) {
    ++placements;
    req.where.group = inv.value("group");
  }
  if (placements > 1) return Status::usage("you can specify only one of clone, promotable, bundle or --group");
  if (!inv.value("before").empty()) req.where.before = inv.value("before");
  if (!inv.value("after").empty()) req.where.after = inv.value("after");
  if ((!req.where.before.empty() || !req.where.after.empty()) && req.where.group.empty())
    return Status::usage("you cannot use --before or --after without --group");
  if (inv.disabled) req.spec.meta.emplace_back("target-role", "Stopped");
  return req;
}

// Checks parameters against the agent's meta-data, as pcs does: required ones
// present, unknown ones refused (both overridable with --force). A fence agent
// also takes Pacemaker's standard fencing parameters (pcmk_host_list...).
std::vector<std::string> check_params(const agents::AgentMetadata& md, const KeyValues& params, bool fence_agent) {
  std::vector<std::string> problems;
  std::set<std::string> known;
  for (auto& p : md.parameters) known.insert(p.name);
  if (fence_agent) known.insert(core::standard_fencing_params().begin(), core::standard_fencing_params().end());
  for (auto& [k, v] : params)
    if (!known.count(k)) {
      std::string list;
      for (auto& n : known) list += (list.empty() ? "'" : ", '") + n + "'";
      problems.push_back("invalid resource option '" + k + "', allowed options are: " + list);
    }
  for (auto& p : md.parameters) {
    if (!p.required) continue;
    bool given = false;
    for (auto& [k, v] : params) given = given || (k == p.name && !v.empty());
    if (!given) problems.push_back("required resource option '" + p.name + "' is missing");
  }
  return problems;
}

int report_problems(const Invocation& inv, const std::vector<std::string>& problems) {
  if (problems.empty()) return 0;
  if (inv.force) {
    for (auto& p : problems) warn(p);
    return 0;
  }
  for (auto& p : problems) std::cerr << "Error: " << p << ", use --force to override\n";
  std::cerr << "Error: Errors have occurred, therefore hactl is unable to continue\n";
  return core::to_int(core::ExitCode::invalid_param);
}

int create(Invocation& inv, const Args& a) {
  auto req = parse_create(inv, a);
  if (!req) return fail(req.status());
  agents::AgentCatalog catalog(inv.root);
  auto name = catalog.resolve(a[1]);
  std::vector<core::DefaultOp> defaults;
  std::optional<agents::AgentMetadata> metadata;  // for the promotable check
  if (!name) {
    if (!inv.force) return fail(name.status());
    // --force: an agent this node does not have (yet); take the name as written.
    std::vector<std::string> parts;
    for (size_t s = 0, e; s <= a[1].size(); s = e + 1) {
      e = a[1].find(':', s);
      if (e == std::string::npos) e = a[1].size();
      parts.push_back(a[1].substr(s, e - s));
    }
    if (parts.size() == 3) name = agents::AgentName{parts[0], parts[1], parts[2]};
    else if (parts.size() == 2) name = agents::AgentName{parts[0], "", parts[1]};
    else return fail(name.status());
    warn("agent '" + a[1] + "' is not installed on this node; creating the resource anyway");
  } else {
    auto md = catalog.metadata(*name);
    if (!md) {
      if (!inv.force) return fail(md.status());
      warn(md.status().message());
    } else {
      if (int rc = report_problems(inv, check_params(*md, req->spec.params, name->standard == "stonith"))) return rc;
      for (auto& act : md->actions) defaults.push_back({act.name, act.interval, act.timeout, act.role, act.depth});
      metadata = *md;
    }
  }
  req->spec.cls = name->standard;
  req->spec.provider = name->provider;
  req->spec.type = name->type;
  if (!inv.no_default_ops) req->spec.ops = core::merge_default_ops(req->spec.ops, defaults);
  if (req->clone)
    if (Status s = check_promotable_agent(inv, metadata ? &*metadata : nullptr, name->to_string(), "", req->clone->meta);
        !s) {
      fail(s);
      std::cerr << "Error: Errors have occurred, therefore hactl is unable to continue\n";
      return core::to_int(s.code());
    }
  std::vector<std::string> warnings;
  int rc = edit_cib(inv, [&](CibDocument& doc) -> Status {
    warnings.clear();
    if (Status s = core::create_primitive(doc, req->spec, req->where); !s) return s;
    if (!req->clone) return {};
    return core::clone_resource(doc, req->spec.id, *req->clone, inv.force, &warnings).status();
  });
  if (rc == 0)
    for (auto& w : warnings) warn(w);
  return rc;
}

int update(Invocation& inv, const Args& a) {
  if (a.empty()) return usage_error("resource update RESOURCE_ID [options] [op ACTION options] [meta options]");
  if (auto doc = load_cib(inv); doc && core::is_clone_element(core::find_resource(*doc, a[0]))) {
    // A clone's options are its meta attributes (pcs's resource_update_clone).
    auto opts = core::parse_clone_options(Args(a.begin() + 1, a.end()), false);
    if (!opts) return fail(opts.status());
    return edit_cib(inv, [&](CibDocument& d) { return core::update_meta(d, a[0], opts->meta); });
  }
  KeyValues params, meta;
  std::vector<OpSpec> ops;
  size_t i = 1;
  if (Status s = parse_kv_section(a, i, &params); !s) return fail(s);
  while (i < a.size()) {
    std::string w = a[i++];
    Status s = w == "op" ? parse_ops(a, i, &ops) : w == "meta" ? parse_kv_section(a, i, &meta)
                                                               : Status::usage("unexpected '" + w + "' in resource update");
    if (!s) return fail(s);
  }
  if (!params.empty() && !inv.force) {
    // Unknown parameters are refused as on create; required ones may not be emptied.
    auto doc = load_cib(inv);
    if (!doc) return fail(doc.status());
    core::Cib cib = core::read_cib(*doc);
    const core::Primitive* p = cib.find_primitive(a[0]);
    if (!p) return fail(Status::not_found("Resource '" + a[0] + "' does not exist."));
    agents::AgentCatalog catalog(inv.root);
    if (auto md = catalog.metadata({p->cls, p->provider, p->type})) {
      KeyValues merged(p->params.begin(), p->params.end());
      for (auto& [k, v] : params) {
        bool found = false;
        for (auto& [mk, mv] : merged)
          if (mk == k) { mv = v; found = true; }
        if (!found) merged.emplace_back(k, v);
      }
      if (int rc = report_problems(inv, check_params(*md, merged, p->cls == "stonith"))) return rc;
    }
  }
  return edit_cib(inv, [&](CibDocument& doc) {
    if (!core::find_resource(doc, a[0])) return Status::not_found("Resource '" + a[0] + "' does not exist.");
    if (Status s = core::update_params(doc, a[0], params); !s) return s;
    for (const OpSpec& op : ops)
      if (Status s = core::update_op(doc, a[0], op); !s) return s;
    return core::update_meta(doc, a[0], meta);
  });
}

}  // namespace

int run_resource_create(Invocation& inv, const Args& a) { return create(inv, a); }
int run_resource_update(Invocation& inv, const Args& a) { return update(inv, a); }

}  // namespace hactl::cmd
