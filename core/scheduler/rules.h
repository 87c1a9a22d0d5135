// Rule evaluation for location constraints (node attribute and date expressions),
// as lib/pengine/rules.c does it for the cases hactl supports.
#pragma once

#include <cstdint>

#include "core/cib_model.h"

namespace hactl::core::sched {

// Whether `rule` holds for a node with these attributes at time `now` (epoch s).
bool evaluate_rule(const Rule& rule, const Attributes& node_attrs, int64_t now);

// "2024-06-01 12:00:00Z", "2024-06-01T12:00:00", "2024-06-01": epoch seconds (UTC).
bool parse_datetime(std::string_view text, int64_t* epoch);

}  // namespace hactl::core::sched
