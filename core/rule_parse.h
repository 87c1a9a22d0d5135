// pcs 0.11's rule expression grammar (constraint location ... rule EXPR,
// constraint rule add): parsed into a tree and written as CIB <rule> XML
// with pcs's ids. `and`/`or` group left to right, a change of operator
// nesting what came before; parentheses nest.
#pragma once

#include <string>
#include <vector>

#include "core/cib_document.h"
#include "core/exit_code.h"
#include "core/resource_edit.h"

namespace hactl::core {

struct RuleNode {
  enum class Kind { group, attr, date, date_spec } kind = Kind::attr;
  std::string boolean_op;            // group: and | or
  std::vector<RuleNode> children;    // group
  bool parenthesized = false;
  std::string attribute, operation, type, value;  // attr; date: operation gt | lt | in_range
  std::string start, end;            // date
  KeyValues duration, spec;          // date in_range ... duration, date-spec
};

// Parses the tokens of an expression. An error names the token:
// "'foo gt 1 2' is not a valid rule expression: unexpected '2'".
Result<RuleNode> parse_rule_expression(const std::vector<std::string>& tokens);

// The options before the expression (id= role= score= score-attribute=):
// writes <rule> under `parent`, ids derived from `id_base` unless id= is given.
struct RuleOptions {
  std::string id, role, score, score_attribute;
};
Result<std::string> write_rule(CibDocument& doc, Element* parent, const std::string& id_base, const RuleOptions& opts,
                               const RuleNode& expr, bool boolean_op_on_single);

}  // namespace hactl::core
