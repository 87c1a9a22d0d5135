// `hactl resource move|move-with-constraint|ban|clear`: location constraints
// that move a resource, and on a running cluster the wait for the move.
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

// The nodes the status section records the resource as active on.
std::vector<std::string> active_nodes_of(const CibDocument& doc, const std::string& rsc);

namespace {

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

}  // namespace

int run_resource_move(Invocation& inv, const Args& a, const std::string& sub) {
  return move(inv, a, sub == "ban" ? MoveKind::ban : sub == "move-with-constraint" ? MoveKind::keep : MoveKind::move);
}
int run_resource_clear(Invocation& inv, const Args& a) { return clear(inv, a); }

}  // namespace hactl::cmd
