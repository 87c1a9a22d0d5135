// pcs 0.11's `constraint order set ...` and `constraint colocation set ...`:
// rsc_order / rsc_colocation made of <resource_set>s, with pcs's ids
// (order_set_ plus the first and last letter of every resource id).
#pragma once

#include <string>
#include <vector>

#include "core/cib_document.h"
#include "core/exit_code.h"
#include "core/resource_edit.h"

namespace hactl::core {

struct SetSpec {
  std::vector<std::string> resources;
  KeyValues options;  // action, require-all, role, sequential
};

// `kind` is "order" or "colocation"; constraint options: id, kind,
// symmetrical (order) or id, score (colocation). `force` allows unknown
// resources and duplicates.
Result<std::string> add_set_constraint(CibDocument& doc, const std::string& kind, const std::vector<SetSpec>& sets,
                                       const KeyValues& options, bool force);

}  // namespace hactl::core
