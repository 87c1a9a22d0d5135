// Constraint edits with pcs 0.11 ids and semantics, and crm_resource's
// move/ban/clear constraints (cli-prefer-*, cli-ban-*-on-*).
#pragma once

#include <string>
#include <vector>

#include "core/cib_document.h"
#include "core/resource_edit.h"

namespace hactl::core {

struct LocationSpec {
  std::string rsc, node;
  std::string score = "INFINITY";  // as the user wrote it (validated)
  bool avoids = false;             // `avoids`: the score is negated
  KeyValues options;               // resource-discovery, role, id
};

struct ColocationSpec {
  std::string rsc, with_rsc, rsc_role, with_rsc_role;
  std::string score = "INFINITY";
  KeyValues options;  // id, node-attribute, influence
};

struct OrderSpec {
  std::string first, then;
  std::string first_action = "start", then_action = "start";
  KeyValues options;  // kind, symmetrical, require-all, id
};

// Each returns the id of the constraint it wrote. `force` allows unknown resources.
Result<std::string> add_location(CibDocument& doc, const LocationSpec& spec, bool force);
Result<std::string> add_colocation(CibDocument& doc, const ColocationSpec& spec, bool force);
Result<std::string> add_order(CibDocument& doc, const OrderSpec& spec, bool force);

Status remove_constraint(CibDocument& doc, std::string_view id);
// Ids of constraints referencing the resource (also inside sets), CIB order.
std::vector<std::string> constraint_refs(const CibDocument& doc, std::string_view rsc);

// move: cli-prefer-RSC on node at INFINITY (replacing an older one) and drops a
// ban on that node. ban: cli-ban-RSC-on-NODE at -INFINITY. clear: removes both
// kinds (only for `node` when given); returns the ids removed.
Result<std::string> add_move_constraint(CibDocument& doc, std::string_view rsc, std::string_view node,
                                        std::string_view lifetime_end);
Result<std::string> add_ban_constraint(CibDocument& doc, std::string_view rsc, std::string_view node,
                                       std::string_view lifetime_end);
std::vector<std::string> clear_move_constraints(CibDocument& doc, std::string_view rsc, std::string_view node);

}  // namespace hactl::core
