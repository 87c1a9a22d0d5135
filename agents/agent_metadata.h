// OCF resource-agent meta-data (the XML an agent prints for `meta-data`), as a
// value: what `resource describe` shows and where default op timeouts come from.
// The parser is pure and accepts both the OCF 1.0/1.1 layout (resource-agents)
// and the fence-agents layout (shortdesc as an attribute of <resource-agent>).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace hactl::agents {

struct ParameterInfo {
  std::string name, shortdesc, longdesc, type, default_value;
  bool required = false, unique = false;
  bool deprecated = false;
};

// Attributes as written in meta-data (timeout="20s"), not parsed: callers that
// need milliseconds use core::parse_duration_ms and can report the original text.
struct ActionInfo {
  std::string name, timeout, interval, depth, role;
};

struct AgentMetadata {
  std::string name, version, shortdesc, longdesc;
  std::vector<ParameterInfo> parameters;
  std::vector<ActionInfo> actions;
  bool builtin = false;

  const ParameterInfo* find_parameter(std::string_view name) const;
  // The first <action name=...> with this name (and interval, when given).
  const ActionInfo* find_action(std::string_view name) const;
};

// Errors (not XML, no <resource-agent> root) come back as ExitCode::not_installed,
// the code pcs uses for "does not provide valid metadata".
core::Result<AgentMetadata> parse_ocf_metadata(std::string_view xml);

}  // namespace hactl::agents
