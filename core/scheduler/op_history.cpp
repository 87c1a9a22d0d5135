// Operation history replay (Pacemaker 2.1.5 lib/pengine/unpack.c and the
// on-fail defaults of pe_actions.c), reimplemented from its documented and
// observed behaviour. Every result is judged against the expected rc carried in
// the transition key, remapped to an execution status, then either applied to
// the role or handled as a failure with the operation's on-fail response.
#include "core/scheduler/op_history.h"

#include <algorithm>
#include <cstdlib>
#include <strings.h>

#include "core/scheduler/definition_change.h"

namespace hactl::core::sched {
namespace {

// Execution status values of the op-status attribute (PCMK_EXEC_*).
enum Exec { kPending = -1, kDone = 0, kCancelled = 1, kTimeout = 2, kNotSupported = 3, kError = 4,
            kErrorHard = 5, kErrorFatal = 6, kNotInstalled = 7, kNotConnected = 8, kInvalid = 9,
            kNoFenceDevice = 10, kNoSecrets = 11 };

enum class Role { unknown, stopped, started };

int expected_rc(const LrmOp& op) {
  // transition-key = action:transition:expected-rc:uuid; -1 when absent/corrupt.
  auto c1 = op.transition_key.find(':');
  if (c1 == std::string::npos) return -1;
  auto c2 = op.transition_key.find(':', c1 + 1);
  if (c2 == std::string::npos) return -1;
  return std::atoi(op.transition_key.c_str() + c2 + 1);
}

bool is_probe(const LrmOp& op) { return op.operation == "monitor" && op.interval_ms == 0; }

// A probe that says "not installed" or "invalid parameters" only means the
// resource cannot run there: Pacemaker treats it as stopped and bans the node.
bool masked_probe_failure(const LrmOp& op) {
  return is_probe(op) && (op.rc_code == 5 || op.rc_code == 2 || op.op_status == kNotInstalled);
}

std::string op_key(const LrmOp& op) {
  if (!op.operation_key.empty()) return op.operation_key;
  return op.id;
}

struct Replay {
  const WorkingSet& ws;
  const SRsc& rsc;
  int node;
  HistoryOutcome out;
  Role role = Role::unknown;
  std::string last_failure_key;
  int64_t failure_timeout_s = rsc.failure_timeout_s;
  bool expired_before_probe_rule = false;  // what check_operation_expiry's parameter check sees
  bool promoted = false;  // the role is Promoted, not just Started (promotable clones)

  bool can_fence() const { return ws.can_fence(node); }

  void set_active() {
    if (role != Role::started) role = Role::started;
  }

  // check_operation_expiry: a history entry older than failure-timeout is
  // expired unless the resource still has an unexpired fail count there.
  // Pacemaker's fail-count lookup on the way drops the resource's
  // failure-timeout for good once it meets a failure of an on-fail=block op
  // (pe_get_failcount), so entries unpacked later never expire.
  bool expired(const LrmOp& op) {
    if (failure_timeout_s <= 0 || op.last_rc_change <= 0) return false;
    bool old = ws.now >= op.last_rc_change + failure_timeout_s;
    const SNode& n = ws.nodes[node];
    Score raw = effective_failcount(ws, rsc, n, false);
    if (raw > 0 && is_block_failure(*rsc.prim, rsc.id, op)) {
      failure_timeout_s = 0;
      out.failure_timeout_dropped = true;
    }
    Score unexpired = failure_timeout_s > 0 ? effective_failcount(ws, rsc, n, true) : raw;
    if (!old) return false;
    if (raw > 0 && unexpired > 0) return false;
    // "it expired": the fail count there is scheduled to be cleared.
    if (raw > 0) out.failcount_cleared = true;
    expired_before_probe_rule = true;
    if (is_probe(op)) {
      switch (op.rc_code) {
        case 0: case 7: case 8: case 190: case 191: return false;  // probes with these results never expire
        default: break;
      }
    }
    return true;
  }

  // check_recoverable: a failed stop that cannot be resolved by fencing
  // leaves nothing to try; the resource is blocked until cleanup.
  void check_recoverable(const LrmOp& op) {
    if (op.operation == "stop" && !can_fence()) out.unrecoverable = true;
  }

  // remap_operation: decides DONE vs an error status from the expected rc.
  void remap(const LrmOp& op, int target, int& rc, int& status) {
    if (op.operation == "monitor") {
      if (rc == 190) rc = 0;  // degraded counts as running
      if (rc == 191) rc = 8;
    }
    if (masked_probe_failure(op)) {
      status = kDone;
      rc = 7;
    }
    if (status != kDone && status != kError) return;
    status = kDone;
    bool probe = is_probe(op);
    if (target < 0 || target != rc) status = kError;
    switch (rc) {
      case 0:
        if (probe && target == 7) status = kDone;
        break;
      case 7:
        if (probe || target == rc || !rsc.managed) {
          status = kDone;
          role = Role::stopped;
          promoted = false;
          out.on_fail = OnFail::ignore;  // a clean "not running" clears earlier failures
          out.next_stopped = false;
        }
        break;
      case 8:
        if (probe && rc != target) status = kDone;
        role = Role::started;
        promoted = true;
        break;
      case 9:
        role = Role::started;
        promoted = true;
        status = kError;
        break;
      case 6:
        status = kErrorFatal;
        break;
      case 3:
        if (op.interval_ms == 0) {
          check_recoverable(op);
          status = kErrorHard;
        } else {
          status = kNotSupported;
        }
        break;
      case 2: case 4: case 5:
        check_recoverable(op);
        status = kErrorHard;
        break;
      default:
        if (status == kDone) status = kError;  // unknown exit codes are failures
        break;
    }
  }

  // update_resource_state: the role a completed operation implies, and
  // whether it clears earlier (soft) failures.
  void update_state(const LrmOp& op, int rc) {
    bool clear = false;
    const std::string& task = op.operation;
    if (rc == 5 || masked_probe_failure(op)) {
      role = Role::stopped;
      promoted = false;
    } else if (rc == 7) {
      clear = true;
    } else if (rc == 8) {
      role = Role::started;
      promoted = true;
    } else if (task == "monitor") {
      if (!last_failure_key.empty() && last_failure_key == op_key(op)) clear = true;
      set_active();
    } else if (task == "start" || task == "promote" || task == "migrate_from") {
      role = Role::started;
      promoted = task == "promote";
      clear = true;
    } else if (task == "stop") {
      role = Role::stopped;
      promoted = false;
      clear = true;
    } else if (task == "demote") {
      role = Role::started;
      promoted = false;
    } else if (task == "migrate_to") {
      // Live migration is not modelled; the source keeps its role.
    } else {
      set_active();
    }
    if (clear) {
      // Responses that take the resource or node out of service survive a
      // later success; the soft ones are cleared by it.
      switch (out.on_fail) {
        case OnFail::ignore: case OnFail::recover: case OnFail::block:
          out.on_fail = OnFail::ignore;
          out.next_stopped = false;
          break;
        default:
          break;
      }
    }
  }

  // record_failed_op: a failure is listed once per operation key.
  void record_failed(const LrmOp& op) {
    for (const LrmOp* seen : out.failed_ops)
      if (seen->operation == op.operation && seen->interval_ms == op.interval_ms) return;
    out.failed_ops.push_back(&op);
  }

  // unpack_rsc_op_failure
  void failure(const LrmOp& op, int rc) {
    last_failure_key = op_key(op);
    record_failed(op);
    FailPolicy fp = fail_policy(ws, *rsc.prim, op.operation, op.interval_ms);
    if (fp.on_fail > out.on_fail) out.on_fail = fp.on_fail;
    if (op.operation == "stop") out.ban_here = true;  // "__stop_fail__"
    if (is_probe(op) && rc == 5) {
      role = Role::stopped;
      promoted = false;
    } else if (op.operation == "demote" && rc == 7) {
      role = Role::stopped;
      promoted = false;
    } else {
      set_active();
    }
    // unpack_rsc_op_failure: a failed promote counts as promoted; a failed
    // demote as unpromoted (staying promoted would loop) unless on-fail=block.
    if (op.operation == "promote") promoted = true;
    if (op.operation == "demote") promoted = fp.on_fail == OnFail::block;
    if (fp.fail_role_stopped) {
      out.next_stopped = true;
      out.ban_everywhere = true;  // it must not come up again anywhere
    }
  }

  void unpack_op(const LrmOp& op) {
    if (op.operation == "notify" || op.operation == "meta-data") return;
    if (op.op_status < kPending || op.op_status > kNoSecrets) return;
    int target = expected_rc(op);
    int rc = op.rc_code, status = op.op_status;
    expired_before_probe_rule = false;
    bool is_expired = status != kNotInstalled && expired(op);
    // A last failure whose parameters have changed since is forgotten: its
    // fail count is scheduled to be cleared (should_clear_for_param_change).
    if (status != kNotInstalled && !expired_before_probe_rule && failure_parameters_changed(ws, rsc, op))
      out.failcount_cleared = true;
    const int old_rc = rc, old_target = target;
    remap(op, target, rc, status);
    const bool masked = masked_probe_failure(op);

    if (is_expired && masked && old_rc != old_target) {
      if (role != Role::started) role = Role::unknown;
      return;
    }
    if (is_expired && rc != target) {
      // An expired failure is forgotten (a recurring one is rescheduled).
      if (op.interval_ms == 0) return;
      if (ws.nodes[node].online && !ws.nodes[node].unclean) return;
    }
    if (masked) {
      update_state(op, target);
      out.ban_here = true;  // "masked-probe-failure"
      if (out.failed_probe_rc < 0) out.failed_probe_rc = op.rc_code;
      record_failed(op);
      return;
    }
    switch (status) {
      case kCancelled:
        return;
      case kPending:
        if (op.operation == "start" || op.operation == "promote") set_active();
        // Pending probes are never shown (unpack_rsc_op).
        if (out.pending_task.empty() && !is_probe(op)) out.pending_task = op.operation;
        return;
      case kDone:
        update_state(op, rc);
        return;
      case kNotInstalled: {
        FailPolicy fp = fail_policy(ws, *rsc.prim, op.operation, op.interval_ms);
        // A missing agent cannot be ignored: it is shown as failed and banned.
        if (fp.on_fail == OnFail::ignore && out.on_fail < OnFail::migrate) out.on_fail = OnFail::migrate;
        out.ban_here = true;
        failure(op, rc);
        return;
      }
      case kNoFenceDevice: case kNoSecrets:
        status = kErrorHard;
        break;
      default:
        break;  // errors, timeouts, not supported, invalid: failure handling
    }
    FailPolicy fp = fail_policy(ws, *rsc.prim, op.operation, op.interval_ms);
    if (fp.on_fail == OnFail::ignore) {
      // "Pretending failed op succeeded"
      update_state(op, target);
      out.failure_ignored = true;
      record_failed(op);
      return;
    }
    failure(op, rc);
    if (status == kErrorHard) out.ban_here = true;        // "hard-error"
    if (status == kErrorFatal) out.ban_everywhere = true;  // "fatal-error"
  }
};

}  // namespace

bool is_block_failure(const Primitive& p, const std::string& rsc_id, const LrmOp& op) {
  for (const auto& cop : p.ops) {
    if (cop.on_fail != "block" || cop.interval_ms != op.interval_ms) continue;
    if (strcasecmp(cop.name.c_str(), op.operation.c_str()) != 0) continue;
    if (op.id == rsc_id + "_last_failure_0") return true;
    if (op.id == rsc_id + "_" + cop.name + "_" + std::to_string(cop.interval_ms) && op.rc_code != expected_rc(op))
      return true;
  }
  return false;
}

bool has_block_failure(const WorkingSet& ws, const SRsc& rsc, int node) {
  const NodeState* st = ws.cib->find_node_state(ws.nodes[node].uname);
  if (st == nullptr || rsc.prim == nullptr) return false;
  for (const auto& lr : st->resources) {
    if (lr.id != rsc.id) continue;
    for (const auto& op : lr.ops)
      if (is_block_failure(*rsc.prim, rsc.id, op)) return true;
  }
  return false;
}

HistoryOutcome replay_history(const WorkingSet& ws, const SRsc& rsc, int node, const LrmResource& lr) {
  std::vector<const LrmOp*> ops;
  for (const auto& op : lr.ops) ops.push_back(&op);
  sort_history(ops, 0, ops.size());
  Replay r{ws, rsc, node, {}, Role::unknown, {}};
  for (const LrmOp* op : ops) r.unpack_op(*op);
  r.out.active = r.role == Role::started;
  r.out.promoted = r.out.active && r.promoted;
  return r.out;
}

}  // namespace hactl::core::sched
