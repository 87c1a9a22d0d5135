// A node's transient attributes (Pacemaker's lifetime=reboot): the nvpairs of
// status/node_state/transient_attributes/instance_attributes, with the ids
// Pacemaker's attribute manager writes (transient_attributes id=NODEID,
// instance_attributes id=status-NODEID, nvpair id=status-NODEID-NAME).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/cib_document.h"

namespace hactl::core {

std::optional<std::string> get_transient_attribute(const CibDocument& doc, std::string_view uname, std::string_view name);
// Every transient attribute of the node, in document order.
std::vector<std::pair<std::string, std::string>> transient_attributes(const CibDocument& doc, std::string_view uname);
// Sets name=value, creating the node's node_state (id and uname only) and sets
// when missing. Refuses a node the configuration does not list.
Status set_transient_attribute(CibDocument& doc, std::string_view uname, std::string_view name, std::string_view value);
// True if the attribute was there.
bool delete_transient_attribute(CibDocument& doc, std::string_view uname, std::string_view name);

}  // namespace hactl::core
