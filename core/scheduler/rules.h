// Rule evaluation as lib/pengine/rules.c does it: location constraint rules
// and rule-driven nvsets (node attributes, rsc_defaults, op_defaults).
#pragma once

#include <cstdint>
#include <vector>

#include "core/cib_model.h"

namespace hactl::core::sched {

// What a rule may look at. A null map means "not in this context": an
// expression on it sees no value (node attributes while unpacking nvsets).
struct RuleContext {
  const Attributes* node_attrs = nullptr;
  const Attributes* rsc_params = nullptr;  // value-source="param"
  const Attributes* rsc_meta = nullptr;    // value-source="meta"
  const Primitive* rsc = nullptr;          // rsc_expression (class, provider, type)
  const Op* op = nullptr;                  // op_expression (name, interval)
  int64_t now = 0;                         // epoch seconds
};

bool evaluate_rule(const Rule& rule, const RuleContext& ctx);
// Whether `rule` holds for a node with these attributes at time `now` (epoch s).
bool evaluate_rule(const Rule& rule, const Attributes& node_attrs, int64_t now);

// pe__unpack_dataset_nvpairs: the sets sorted by score (highest first,
// stable), a set taking part when it has no rule or any of its rules holds;
// the first value of a name wins.
Attributes evaluate_nvsets(const std::vector<NvSet>& sets, const RuleContext& ctx);

// A date as crm_simulate -t takes it (ISO 8601, see rule_dates.h).
bool parse_datetime(std::string_view text, int64_t* epoch);

}  // namespace hactl::core::sched
