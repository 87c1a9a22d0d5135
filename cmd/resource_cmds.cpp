// `hactl resource ...`: the dispatch, and delete, meta, enable/disable, op,
// defaults, group, config. create/update are in resource_create_cmd.cpp,
// move/ban/clear in resource_move_cmds.cpp, agent listings in agent_cmds.cpp,
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

int run_resource_create(Invocation& inv, const Args& a);  // resource_create_cmd.cpp
int run_resource_update(Invocation& inv, const Args& a);  // resource_create_cmd.cpp
int run_resource_move(Invocation& inv, const Args& a, const std::string& sub);  // resource_move_cmds.cpp
int run_resource_clear(Invocation& inv, const Args& a);  // resource_move_cmds.cpp

namespace {

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
  if (sub == "create") return run_resource_create(inv, rest);
  if (sub == "delete" || sub == "remove") return remove(inv, rest);
  if (sub == "update") return run_resource_update(inv, rest);
  if (sub == "meta") return meta(inv, rest);
  if (sub == "restart") return live_restart(inv, rest);
  if (sub == "enable") return set_target_role(inv, rest, true);
  if (sub == "disable") return set_target_role(inv, rest, false);
  if (sub == "op") return op(inv, rest);
  if (sub == "defaults") return defaults(inv, rest);
  if (sub == "group") return group(inv, rest);
  if (is_clone_command(sub)) return run_clone_command(inv, sub, rest);
  if (sub == "ungroup") return group(inv, [&] { Args g = {"remove"}; g.insert(g.end(), rest.begin(), rest.end()); return g; }());
  if (sub == "move" || sub == "move-with-constraint" || sub == "ban") return run_resource_move(inv, rest, sub);
  if (sub == "clear" || sub == "unmove") return run_resource_clear(inv, rest);
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
