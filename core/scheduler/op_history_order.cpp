// The order of a resource's operation history on a node, as Pacemaker sorts
// it before replaying it (sort_op_by_callid): call ids, then transition magic.
#include "core/scheduler/op_history.h"

#include <algorithm>
#include <cstdlib>
#include <strings.h>
#include "core/scheduler/definition_change.h"

namespace hactl::core::sched {
namespace {

// decode_transition_magic: "status:rc;action:transition:expected-rc:uuid" ->
// the transition number and the uuid; false when malformed.
bool magic_transition(const LrmOp& op, int& transition, std::string& uuid) {
  const std::string& m = op.transition_magic;
  auto semi = m.find(';');
  if (semi == std::string::npos) return false;
  auto c1 = m.find(':', semi + 1);
  if (c1 == std::string::npos) return false;
  auto c2 = m.find(':', c1 + 1);
  if (c2 == std::string::npos) return false;
  auto c3 = m.find(':', c2 + 1);
  if (c3 == std::string::npos) return false;
  transition = std::atoi(m.c_str() + c1 + 1);
  uuid = m.substr(c3 + 1);
  return true;
}

// pe__is_newer_op (sort_op_by_callid): call-ids order one node's history,
// except that a pending operation (call-id -1) is placed by its transition
// against completed ones: after any from another transition uuid or the
// same transition, so a start still pending stays last even after a later
// simulated stop. Returns <0, 0 or >0 like the C comparator.
int compare_ops(const LrmOp& a, const LrmOp& b) {
  bool same_node = a.on_node.empty() || b.on_node.empty() || strcasecmp(a.on_node.c_str(), b.on_node.c_str()) == 0;
  if (same_node && a.id == b.id) return 0;
  const int ca = a.call_id, cb = b.call_id;
  if (ca == -1 && cb == -1) return 0;
  if (same_node && ca >= 0 && ca < cb) return -1;
  if (same_node && cb >= 0 && ca > cb) return 1;
  if (ca >= 0 && cb >= 0 && (!same_node || ca == cb)) {
    if (a.last_rc_change >= 0 && a.last_rc_change < b.last_rc_change) return -1;
    if (b.last_rc_change >= 0 && a.last_rc_change > b.last_rc_change) return 1;
    return 0;
  }
  int ta = -1, tb = -1;
  std::string ua, ub;
  if (!magic_transition(a, ta, ua) || !magic_transition(b, tb, ub)) return 0;
  if (strcasecmp(ua.c_str(), ub.c_str()) != 0 || ta == tb) {
    if (cb == -1) return -1;
    if (ca == -1) return 1;
  } else if ((ta >= 0 && ta < tb) || tb == -1) {
    return -1;
  } else if ((tb >= 0 && ta > tb) || ta == -1) {
    return 1;
  }
  return 0;
}

}  // namespace

// g_list_sort's merge sort (first half floor(n/2), ties to the left): the
// comparator above is not a strict weak order, so the exact algorithm
// decides the result when pending operations are involved.
void sort_history(std::vector<const LrmOp*>& ops, size_t lo, size_t hi) {
  if (hi - lo < 2) return;
  size_t mid = lo + (hi - lo) / 2;
  sort_history(ops, lo, mid);
  sort_history(ops, mid, hi);
  std::vector<const LrmOp*> merged;
  merged.reserve(hi - lo);
  size_t i = lo, j = mid;
  while (i < mid && j < hi) merged.push_back(compare_ops(*ops[i], *ops[j]) <= 0 ? ops[i++] : ops[j++]);
  while (i < mid) merged.push_back(ops[i++]);
  while (j < hi) merged.push_back(ops[j++]);
  std::copy(merged.begin(), merged.end(), ops.begin() + static_cast<std::ptrdiff_t>(lo));
}

}  // namespace hactl::core::sched
