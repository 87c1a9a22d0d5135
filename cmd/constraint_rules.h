// `constraint location RSC rule ...`, `constraint rule add|remove`,
// `constraint order|colocation set ...`, and their pcs 0.11 listings.
#pragma once

#include <ostream>
#include <string>

#include "cmd/cli.h"
#include "core/cib_model.h"

namespace hactl::cmd {

int location_rule(Invocation& inv, const Args& a);        // a = RSC rule [options] EXPR
int rule_command(Invocation& inv, const Args& a);         // a = add|remove ...
int set_constraint(Invocation& inv, const std::string& kind, const Args& a);  // a = after "set"

// A rule's expression in pcs's grammar ("pingd lt 1 or not_defined pingd").
std::string rule_text(const core::Rule& r);
// A location rule as `pcs constraint config --full` prints it, at `indent`.
void print_rule(const core::Rule& r, int indent, std::ostream& os);
// "    set A B (id:S) setoptions score=100 (id:C)" lines under "  Resource Sets:".
void print_set_constraints(const core::Cib& cib, const std::string& kind, std::ostream& os);

}  // namespace hactl::cmd
