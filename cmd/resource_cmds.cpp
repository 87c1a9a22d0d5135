// `hactl resource ...`: create, delete, update, meta, enable/disable, op,
// defaults, group, move/ban/clear, config. Agent listings are in agent_cmds.cpp,
// runtime state (status, cleanup, failcount) in resource_state_cmds.cpp.
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

int run_agent_command(Invocation& inv, const std::string& sub, const Args& args);  // agent_cmds.cpp
int run_resource_state_command(Invocation& inv, const std::string& sub, const Args& args);  // resource_state_cmds.cpp
int run_resource_debug_command(Invocation& inv, const std::string& sub, const Args& args);  // resource_debug_cmds.cpp
int run_resource_why(Invocation& inv, const Args& args);  // resource_why_cmd.cpp
bool is_resource_state_command(const std::string& sub);

// The nodes the status section records the resource as active on.
std::vector<std::string> active_nodes_of(const CibDocument& doc, const std::string& rsc);

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

int remove(Invocation& inv, const Args& a) {
  if (a.empty()) return usage_error("resource delete RESOURCE_ID");
  std::vector<std::string> primitives;  // whose operation history --force forgets
  int rc = edit_cib(inv, [&](CibDocument& doc) {
    primitives.clear();
    for (const std::string& id : a) {
      // pcs names a clone's member in the message: the clone goes with it.
      std::string shown = id;
      if (core::Element* e = core::find_resource(doc, id); e && core::is_clone_element(e))
        for (core::Element* m : core::children(e))
          if (std::string_view(m->Name()) == "primitive" || std::string_view(m->Name()) == "group") shown = core::attr(m, "id");
      if (core::Element* e = core::find_resource(doc, id)) {
        if (std::string_view(e->Name()) == "primitive") primitives.push_back(id);
        for (core::Element* m : core::descendants(e, "primitive")) primitives.push_back(core::attr(m, "id"));
      }
      std::vector<std::string> removed;
      if (Status s = core::delete_resource(doc, id, &removed); !s) return s;
      std::sort(removed.begin(), removed.end());  // pcs lists them by id
      for (auto& c : removed) std::cerr << "Removing Constraint - " << c << "\n";
      std::cerr << "Deleting Resource - " << shown << "\n";
    }
    // --force: its failures and history go too, so no "ORPHANED FAILED" stays behind.
    if (inv.force && !inv.cib_file.empty())
      for (const std::string& p : primitives) core::clear_failures(doc, p, "", true);
    return Status::ok();
  });
  if (rc != 0 || !inv.force || !inv.cib_file.empty()) return rc;
  // On a running cluster the status is the DC's: it forgets the history (a cleanup of the orphan).
  for (const std::string& p : primitives)
    if (int c = live_cleanup(inv, p, "", true)) return c;
  return 0;
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

int meta(Invocation& inv, const Args& a) {
  if (a.size() < 2) return usage_error("resource meta RESOURCE_ID META_OPTION=VALUE...");
  auto kvs = parse_kvs(a, 1);
  if (!kvs) return fail(kvs.status());
  return edit_cib(inv, [&](CibDocument& doc) { return core::update_meta(doc, a[0], *kvs); });
}

int set_target_role(Invocation& inv, const Args& a, bool enable) {
  if (a.empty()) return usage_error(std::string("resource ") + (enable ? "enable" : "disable") + " RESOURCE_ID...");
  return edit_cib(inv, [&](CibDocument& doc) {
    for (const std::string& id : a) {
      core::Element* r = core::find_resource(doc, id);
      if (!r) return Status::not_found("bundle/clone/group/resource '" + id + "' does not exist");
      if (Status s = core::update_meta(doc, id, {{"target-role", enable ? "" : "Stopped"}}); !s) return s;
      // Enabling a group also enables members that were disabled one by one.
      if (enable)
        for (core::Element* m : core::descendants(r, "primitive")) core::update_meta(doc, core::attr(m, "id"), {{"target-role", ""}});
    }
    return Status::ok();
  });
}

int op(Invocation& inv, const Args& a) {
  if (a.empty()) return usage_error("resource op add|remove|defaults ...");
  std::string sub = a[0];
  if (sub == "defaults") {
    Args rest(a.begin() + 1, a.end());
    if (!rest.empty() && (rest[0] == "update" || rest[0] == "config")) {
      if (rest[0] == "config") rest.clear();
      else rest.erase(rest.begin());
    } else if (!rest.empty()) {
      legacy_note("resource op defaults NAME=VALUE", "resource op defaults update NAME=VALUE");
    }
    if (rest.empty()) {
      auto doc = load_cib(inv);
      if (!doc) return fail(doc.status());
      print_defaults(*doc, "op_defaults", std::cout, 0);
      return 0;
    }
    auto kvs = parse_kvs(rest);
    if (!kvs) return fail(kvs.status());
    return edit_cib(inv, [&](CibDocument& doc) {
      core::Element* set = core::ensure_nvset(doc, doc.section("op_defaults"), "meta_attributes", "op_defaults-meta_attributes");
      for (auto& [k, v] : *kvs) core::set_nvpair(doc, set, k, v);
      return Status::ok();
    });
  }
  if (sub == "add") {
    if (a.size() < 3) return usage_error("resource op add RESOURCE_ID ACTION [options]");
    auto kvs = parse_kvs(a, 3);
    if (!kvs) return fail(kvs.status());
    for (auto& [k, v] : *kvs)
      if (k == "role") v = modern_role_noted(v);
    return edit_cib(inv, [&](CibDocument& doc) { return core::add_op(doc, a[1], {a[2], *kvs}, inv.force); });
  }
  if (sub == "remove" || sub == "delete") {
    if (a.size() == 2) return edit_cib(inv, [&](CibDocument& doc) { return core::remove_op_by_id(doc, a[1]); });
    if (a.size() < 3) return usage_error("resource op remove RESOURCE_ID ACTION [options] | OP_ID");
    auto kvs = parse_kvs(a, 3);
    if (!kvs) return fail(kvs.status());
    return edit_cib(inv, [&](CibDocument& doc) { return core::remove_op(doc, a[1], {a[2], *kvs}); });
  }
  return usage_error("unknown resource op command '" + sub + "'");
}

int defaults(Invocation& inv, const Args& a) {
  Args rest = a;
  if (!rest.empty() && (rest[0] == "update" || rest[0] == "config")) {
    if (rest[0] == "config") rest.clear();
    else rest.erase(rest.begin());
  } else if (!rest.empty()) {
    legacy_note("resource defaults NAME=VALUE", "resource defaults update NAME=VALUE");
  }
  if (rest.empty()) {
    auto doc = load_cib(inv);
    if (!doc) return fail(doc.status());
    print_defaults(*doc, "rsc_defaults", std::cout, 0);
    return 0;
  }
  auto kvs = parse_kvs(rest);
  if (!kvs) return fail(kvs.status());
  return edit_cib(inv, [&](CibDocument& doc) {
    core::Element* set = core::ensure_nvset(doc, doc.section("rsc_defaults"), "meta_attributes", "rsc_defaults-meta_attributes");
    for (auto& [k, v] : *kvs) core::set_nvpair(doc, set, k, v);
    return Status::ok();
  });
}

int group(Invocation& inv, const Args& a) {
  if (a.size() < 2) return usage_error("resource group add|remove GROUP_ID [RESOURCE_ID]...");
  Args rscs(a.begin() + 2, a.end());
  if (a[0] == "add") {
    std::string before = inv.value("before"), after = inv.value("after");
    // pcs 0.11.7 form: group add G R... before|after R
    if (rscs.size() >= 2 && (rscs[rscs.size() - 2] == "before" || rscs[rscs.size() - 2] == "after")) {
      (rscs[rscs.size() - 2] == "before" ? before : after) = rscs.back();
      rscs.resize(rscs.size() - 2);
    }
    if (rscs.empty()) return usage_error("resource group add GROUP_ID RESOURCE_ID...");
    return edit_cib(inv, [&](CibDocument& doc) { return core::group_add(doc, a[1], rscs, before, after); });
  }
  if (a[0] == "remove" || a[0] == "delete") return edit_cib(inv, [&](CibDocument& doc) { return core::group_remove(doc, a[1], rscs); });
  return usage_error("unknown resource group command '" + a[0] + "'");
}

std::string lifetime_end(const Args& a) {
  for (auto& x : a)
    if (x.rfind("lifetime=", 0) == 0) return x.substr(9);
  return "";
}

// move: the constraint goes once the resource has moved (pcs 0.11);
// move-with-constraint keeps it; ban keeps the resource off a node.
enum class MoveKind { move, keep, ban };

int move(Invocation& inv, const Args& a, MoveKind kind) {
  const bool ban = kind == MoveKind::ban;
  if (a.empty()) return usage_error(ban ? "resource ban RESOURCE_ID [NODE] [lifetime=LIFETIME]" : "resource move RESOURCE_ID [NODE]");
  // As pcs -f: a move that is undone once it happened cannot be seen on a file.
  if (kind == MoveKind::move && !inv.cib_file.empty())
    return fail(Status::usage("Specified option '-f' (or CIB_file) is not supported in this command: 'resource move' "
                              "waits for the move on the running cluster; use 'resource move-with-constraint' on a CIB file"));
  std::string created;
  std::vector<std::string> before;
  std::string requested;
  for (size_t i = 1; i < a.size(); ++i)
    if (a[i].find('=') == std::string::npos) requested = a[i];
  std::string lifetime = lifetime_end(a);
  int rc = edit_cib(inv, [&](CibDocument& doc) -> Status {
    // Per try (a live edit is redone on a CIB that moved): with no node named,
    // the node banned is where the resource runs in this try's CIB.
    std::string node = requested;
    if (!core::find_resource(doc, a[0])) return Status::not_found("Resource '" + a[0] + "' not found");
    if (!node.empty())
      if (Status s = core::check_node_known(doc, node, inv.force); !s) return s;
    std::vector<std::string> where = active_nodes_of(doc, a[0]);
    before = where;
    if (!ban && !node.empty()) {
      if (where.size() == 1 && where[0] == node && !inv.force)
        return Status::exists("Resource '" + a[0] + "' is already running on " + node);
      auto id = core::add_move_constraint(doc, a[0], node, lifetime);
      if (!id) return id.status();
      created = *id;
      if (kind == MoveKind::move) return {};
      warn("A move constraint has been created and the resource '" + a[0] +
           "' may or may not move depending on other configuration; 'hactl resource clear " + a[0] + "' removes it");
      return {};
    }
    // Without a node: ban the node it runs on now.
    if (node.empty()) {
      if (where.empty()) return Status::error(core::ExitCode::not_running, "Resource '" + a[0] + "' is not running; give a node");
      if (where.size() > 1) return Status::error(core::ExitCode::multiple, "Resource '" + a[0] + "' is active on more than one node; give a node");
      node = where[0];
    }
    auto id = core::add_ban_constraint(doc, a[0], node, lifetime);
    if (!id) return id.status();
    created = *id;
    if (kind == MoveKind::move) return {};
    std::cerr << "Warning: Creating location constraint '" << *id << "' with a score of -INFINITY for resource " << a[0]
              << " on " << node << ".\n\tThis will prevent " << a[0] << " from running on " << node
              << " until the constraint is removed\n\tThis will be the case even if " << node
              << " is the last node in the cluster\n";
    return {};
  });
  if (rc != 0 || kind != MoveKind::move) return rc;
  return finish_move(inv, a[0], requested, before, created);
}

int clear(Invocation& inv, const Args& a) {
  if (a.empty()) return usage_error("resource clear RESOURCE_ID [NODE]");
  std::string node = a.size() > 1 ? a[1] : "";
  return edit_cib(inv, [&](CibDocument& doc) {
    if (!core::find_resource(doc, a[0])) return Status::not_found("Resource '" + a[0] + "' not found");
    for (auto& id : core::clear_move_constraints(doc, a[0], node)) std::cerr << "Removing constraint: " << id << "\n";
    return Status::ok();
  });
}

int config(Invocation& inv, const Args& ids) {
  auto doc = load_cib(inv);
  if (!doc) return fail(doc.status());
  if (inv.json()) {
    std::cout << json_text(resource_config_json(*doc, ids), 2) << "\n";
    return 0;
  }
  if (Status s = print_resource_config(*doc, ids, std::cout, 0); !s) return fail(s);
  return 0;
}

}  // namespace

int run_resource(Invocation& inv, Args args) {
  std::string sub = args.empty() ? "status" : args[0];
  Args rest = args.empty() ? Args{} : Args(args.begin() + 1, args.end());
  if (sub == "create") return create(inv, rest);
  if (sub == "delete" || sub == "remove") return remove(inv, rest);
  if (sub == "update") return update(inv, rest);
  if (sub == "meta") return meta(inv, rest);
  if (sub == "restart") return live_restart(inv, rest);
  if (sub == "enable") return set_target_role(inv, rest, true);
  if (sub == "disable") return set_target_role(inv, rest, false);
  if (sub == "op") return op(inv, rest);
  if (sub == "defaults") return defaults(inv, rest);
  if (sub == "group") return group(inv, rest);
  if (is_clone_command(sub)) return run_clone_command(inv, sub, rest);
  if (sub == "ungroup") return group(inv, [&] { Args g = {"remove"}; g.insert(g.end(), rest.begin(), rest.end()); return g; }());
  if (sub == "move") return move(inv, rest, MoveKind::move);
  if (sub == "move-with-constraint") return move(inv, rest, MoveKind::keep);
  if (sub == "ban") return move(inv, rest, MoveKind::ban);
  if (sub == "clear" || sub == "unmove") return clear(inv, rest);
  if (sub == "config") return config(inv, rest);
  if (sub == "why") return run_resource_why(inv, rest);
  if (sub == "debug-start") return run_resource_debug_command(inv, sub, rest);
  if (sub == "debug-stop") return run_resource_debug_command(inv, sub, rest);
  if (sub == "debug-monitor") return run_resource_debug_command(inv, sub, rest);
  if (sub == "debug-promote") return run_resource_debug_command(inv, sub, rest);
  if (sub == "debug-demote") return run_resource_debug_command(inv, sub, rest);
  if (sub == "debug-validate") return run_resource_debug_command(inv, sub, rest);
  if (sub == "show") {
    legacy_note("resource show", rest.empty() ? "resource status" : "resource config");
    if (rest.empty() && !inv.full) return run_resource_state_command(inv, "status", rest);
    return config(inv, rest);
  }
  if (sub == "standards" || sub == "providers" || sub == "agents" || sub == "describe" || sub == "list")
    return run_agent_command(inv, sub, rest);
  if (is_resource_state_command(sub)) return run_resource_state_command(inv, sub, rest);
  return usage_error("unknown resource command '" + sub + "'");
}

}  // namespace hactl::cmd
