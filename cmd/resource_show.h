// Printing resource configuration (pcs 0.11.5 `resource config` layout and
// pcs-compatible JSON), shared by `resource config` and `config`.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/cib_document.h"

namespace hactl::cmd {

// Prints the named resources (all when empty), each indented by `indent`.
core::Status print_resource_config(const core::CibDocument& doc, const std::vector<std::string>& ids, std::ostream& os,
                                   int indent);
nlohmann::json resource_config_json(const core::CibDocument& doc, const std::vector<std::string>& ids);
// `Meta Attrs: <set id>` blocks of rsc_defaults / op_defaults.
void print_defaults(const core::CibDocument& doc, const char* section, std::ostream& os, int indent);

}  // namespace hactl::cmd
