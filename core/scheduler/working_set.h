// The scheduler's internal working set: nodes with their availability, resources
// with their allowed-node score tables, colocations and current state, unpacked
// from a Cib. Mirrors Pacemaker's pe_working_set_t closely enough that its
// assignment algorithm can be followed step by step. Internal to core/scheduler.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/cib_model.h"
#include "core/lazy_index.h"
#include "core/score.h"

namespace hactl::core::sched {

struct SNode {
  std::string id, uname;
  bool online = false, standby = false, maintenance = false, unclean = false;
  bool standby_onfail = false;  // put in standby by an on-fail=standby failure
  bool shutdown = false, pending = false, unseen = false;
  Score weight = 0;       // base weight (-INFINITY when offline or shutting down)
  Score config_weight = 0;  // the <node score> attribute, copied into allowed tables
  Attributes attrs;       // #uname, #id, #kind plus permanent and transient attributes
  int num_resources = 0;  // resources assigned during this run (tie-break)
  std::string fence_reason;  // set when the history asks for this node to be fenced
  const NodeState* state = nullptr;  // its node_state in the status section, if any
  bool available() const { return online && !shutdown && !unclean && !standby && !maintenance; }
};

// An allowed-node table: one optional weight per node index (absent = not allowed).
using NodeTable = std::vector<std::optional<Score>>;

struct Coloc {
  std::string id;
  int dependent = -1, primary = -1;
  int primary_clone = -1;  // "with a clone": primary is its first instance, this the clone
  Score score = 0;
  std::string node_attribute;  // empty = node identity
  bool influence = true;
  // Roles of a colocation with or of a promotable clone: "Promoted",
  // "Unpromoted", or empty for any (Started).
  std::string dependent_role, primary_role;
};

// A recurring operation the history shows running on a node (process_recurring).
struct RecurringOp {
  int node = -1;
  std::string task;
  int64_t interval_ms = 0;
};

struct SRsc {
  std::string id;
  bool is_group = false;
  int parent = -1;               // group index for members
  int clone = -1;                // index in WorkingSet::clones for a clone instance
  int instance = -1;             // its instance number (rsc:N)
  std::string history_name;      // the id its history was first found under (graph and simulation)
  std::vector<int> children;     // members of a group
  const Primitive* prim = nullptr;
  NodeTable allowed;
  std::vector<int> this_with;    // colocations where this is the dependent (sorted)
  std::vector<int> with_this;    // colocations where this is the primary (sorted)
  // Assignment state.
  bool provisional = true, allocating = false, merging = false;
  int allocated = -1;
  // Configuration.
  int priority = 0;
  Score stickiness = 0;
  Score migration_threshold = kInfinity;
  int64_t failure_timeout_s = 0;
  bool managed = true, target_stopped = false, critical = true, is_stonith = false;
  bool failure_ignored = false;  // a failure in its history was ignored (on-fail=ignore)
  // Removed from the configuration but with history in the status section
  // (create_fake_resource): `prim` is a stand-in with its agent only.
  bool orphan = false;
  bool blocked = false;          // on-fail=block or an unrecoverable stop: left alone until cleanup
  int failed_probe_rc = -1;      // rc of its first masked probe failure on an online node (status display)
  std::string pending_task;      // its first pending operation, and where (status display)
  int pending_node = -1;
  // Its failed operations on online nodes (node index, entry in the Cib), for
  // the status display's failed actions.
  std::vector<std::pair<int, const LrmOp*>> failed_ops;
  // -INFINITY locations the history implies: node index, or -1 for every node.
  std::vector<int> history_bans;
  // Nodes where an expired failure schedules clearing the fail count: the
  // migration threshold is not checked there (failcount_clear_action_exists).
  std::vector<int> failcount_cleared_on;
  // Nodes where it was found active while unmanaged: Pacemaker pins it there
  // with an INFINITY location (native_add_running, "not_managed_default").
  std::vector<int> unmanaged_on;
  // Current state from the status section.
  std::vector<int> running_on;   // nodes it is active on (groups: union of members)
  std::vector<char> history_on;  // per node index: the status section has history for it
  // Its fail-count-* / last-failure-* node attributes, summed per node.
  struct FailRecord {
    int node = -1;
    Score count = 0;
    int64_t last = 0;  // latest last-failure, epoch seconds
  };
  std::vector<FailRecord> failures;
  bool failed = false;
  bool next_stopped = false;     // next role Stopped
  // Promotable clone instances (promotable.h): active in the Promoted role
  // now, chosen to be Promoted next, its promotion priority, and the nodes
  // whose history was attributed to this very instance (known_on).
  bool promoted = false, promote_next = false;
  Score promotion_priority = 0;
  std::vector<int> instance_known_on;
  // Recovery configuration and what it implies (unpack.cpp).
  std::string multiple_active = "stop_start";  // stop_start | stop_only | block | stop_unexpected
  bool needs_fencing = true;     // requires=fencing: active on an unclean node counts until it is fenced
  bool needs_quorum = true;      // requires is not "nothing": starts obey no-quorum-policy
  bool restart_type_restart = false;  // deprecated restart-type=restart: optional orderings imply restarts
  bool multiply_active = false;  // active on more nodes than it may be (pe__find_active_requires)
  int current = -1;              // the node Pacemaker reports it on (pe__current_node), -1 when inactive
  // Its definition changed since it last started where it is active
  // (definition_change.h): the start is required, or the agent reloads it,
  // or (a reload while its start is pending) the stop is required; recurring
  // monitors whose parameters changed are rescheduled.
  bool definition_restart = false, definition_reload = false, definition_stop = false;
  std::vector<std::pair<int, int64_t>> rescheduled_monitors;  // (node index, interval ms)
  std::vector<RecurringOp> active_recurring;  // recurring_ops.h
  std::string ticket_ban;  // why a ticket keeps it off every node (tickets.h); empty if none
};

// A clone of one primitive: its instances are ordinary primitives in `rscs`
// (ids "rsc:N"), scheduled together (clone_unpack.cpp, clone_assign.cpp).
struct SClone {
  const Clone* cfg = nullptr;
  std::string id;
  std::vector<int> instances;  // rscs indices, by instance number
  int clone_max = 0, node_max = 1;
  bool unique = false, interleave = false, ordered = false;
  bool promotable = false;
  int promoted_max = 1, promoted_node_max = 1;
  bool managed = true, target_stopped = false;
  NodeTable allowed;           // the clone's own table (locations on the clone)
  std::vector<int> count;      // instances assigned per node during assignment
  std::vector<char> known_on;  // per node: some instance has history there
  bool assigning = false, assigned = false;
  std::vector<int> order;      // instances in the order they were assigned (the summary's)
  // "clone:ROLE with X" (dependent -1 = this clone): applied to the promotion
  // priorities once roles are chosen (promotable.cpp).
  std::vector<Coloc> role_colocs;
};

struct WorkingSet {
  const Cib* cib = nullptr;
  int64_t now = 0;
  std::vector<SNode> nodes;
  std::vector<SRsc> rscs;
  std::vector<int> top;          // top-level resources in allocation order
  std::vector<SClone> clones;
  int find_clone(std::string_view id) const;
  std::vector<Coloc> colocs;
  // Pairwise user orderings that take effect, in configuration order: one
  // whose pair of actions an earlier ordering (or its symmetric inverse)
  // already orders is left out (see unpack_orderings).
  std::vector<const OrderConstraint*> orders;
  // Every configured ordering, resource sets expanded into pairs
  // (resource_sets.h), in configuration order; the pairs live in set_orders.
  std::vector<const OrderConstraint*> order_list;
  std::deque<OrderConstraint> set_orders;
  bool symmetric = true, stonith_enabled = true, have_stonith_resource = false;
  bool have_quorum = true, maintenance_mode = false, stop_all = false;
  bool stop_orphans = true;  // stop-orphan-resources: orphans get -INFINITY everywhere, else are left unmanaged
  // Stand-in primitives of the orphans (a deque: SRsc::prim points into it).
  std::deque<Primitive> orphan_primitives;
  std::string no_quorum_policy = "stop";
  std::vector<std::string> warnings;
  // Nodes whose fencing unpack asked for, in request order (pe_fence_node).
  std::vector<int> fence_requests;

  int find_rsc(std::string_view id) const;
  int find_node(std::string_view uname) const;
  mutable LazyIndex rsc_index, node_index;  // behind find_rsc/find_node
  // pe_can_fence: fencing enabled with a device, and quorum (or
  // no-quorum-policy=ignore, or the node is still in our membership).
  bool can_fence(int node) const;
  bool record_scores = false;

  // What the node criteria added to which allowed table, for explaining a
  // placement in words (explain_placement); recorded only when set.
  struct Contribution {
    int rsc = -1, node = -1;  // -1: every resource / every node
    Score score = 0;
    std::string what;
  };
  std::vector<Contribution>* trace = nullptr;
  void note(int rsc, int node, Score score, std::string what) {
    if (trace) trace->push_back({rsc, node, score, std::move(what)});
  }
};

// Unpacks configuration and status (nodes, resources, colocations, history).
WorkingSet unpack(const Cib& cib, int64_t now);

// pe_fence_node: asks for node `ni` to be fenced; the first reason stays.
void request_fencing(WorkingSet& ws, int ni, const std::string& reason);

// Fail count of primitive `rsc` on node `n`; with `effective`, a count whose
// last failure is older than failure-timeout counts 0.
Score effective_failcount(const WorkingSet& ws, const SRsc& rsc, const SNode& n, bool effective = true);


// Clones (clone_unpack.cpp): their instances, added to ws.rscs and ws.top
// through `add_primitive`; the instance a node's history entry `lr` belongs
// to (anonymous clones share instances by node); failure attributes of a
// clone's primitive; colocations naming a clone.
void unpack_clone(WorkingSet& ws, const Clone& c, const std::function<int(const Primitive&)>& add_primitive);
constexpr int kNotCloneHistory = -2;  // clone_history_instance: not an anonymous clone's, look it up by id
int clone_history_instance(WorkingSet& ws, int ni, const std::string& lr_id);
void mark_clone_history(WorkingSet& ws);
void collect_clone_failures(WorkingSet& ws);
void unpack_clone_colocations(WorkingSet& ws);

// Pacemaker's natural node-name order for display (n2 before n10).
bool node_name_less(const std::string& a, const std::string& b);

}  // namespace hactl::core::sched
