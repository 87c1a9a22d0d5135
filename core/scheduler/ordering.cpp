#include "core/scheduler/ordering.h"

#include <strings.h>

namespace hactl::core::sched {

OrderKind order_kind(const OrderConstraint& o) {
  if (o.attrs.count("kind") == 0) {
    if (o.score && *o.score == 0) return OrderKind::optional;
    return OrderKind::mandatory;
  }
  if (strcasecmp(o.kind.c_str(), "Optional") == 0) return OrderKind::optional;
  if (strcasecmp(o.kind.c_str(), "Serialize") == 0) return OrderKind::serialize;
  return OrderKind::mandatory;  // "Mandatory", or an invalid kind reset to it
}

bool order_symmetric(const OrderConstraint& o) {
  OrderKind kind = order_kind(o);
  if (o.symmetrical) return *o.symmetrical && kind != OrderKind::serialize;
  return kind != OrderKind::serialize;
}

bool order_implies_then(const WorkingSet& ws, const OrderConstraint& o) {
  switch (order_kind(o)) {
    case OrderKind::mandatory:
      return order_symmetric(o);
    case OrderKind::optional: {
      // handle_restart_type
      int then = ws.find_rsc(o.then);
      return then >= 0 && ws.rscs[then].restart_type_restart;
    }
    case OrderKind::serialize:
      return false;
  }
  return false;
}

}  // namespace hactl::core::sched
