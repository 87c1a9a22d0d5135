// Permanent node attributes (<nodes><node><instance_attributes>): standby,
// maintenance and user attributes, with pcs's ids (nodes-<id>, nodes-<id>-<name>).
#pragma once

#include <string>
#include <vector>

#include "core/cib_document.h"

namespace hactl::core {

struct NodeSpec {
  std::string id, uname;
};

// Adds <node id uname type="member"/> entries that are missing (by uname).
void ensure_nodes(CibDocument& doc, const std::vector<NodeSpec>& nodes);
Element* find_node_element(const CibDocument& doc, std::string_view uname);
// pcs's check before a constraint or a move names a node: it must be one of
// the CIB's <nodes> (`force` skips it). A CIB that lists no node at all (a new
// -f file) cannot tell, and passes, as pcs -f skips the check.
Status check_node_known(const CibDocument& doc, std::string_view uname, bool force);

// Unames of the cluster member nodes in <nodes> (remote and ping nodes left out).
std::vector<std::string> member_node_names(const CibDocument& doc);

// How one list of node names differs from the cluster's: names it lacks
// (`dropped`) and names the cluster does not have (`added`), each sorted.
struct NodeNamesDiff {
  std::vector<std::string> dropped, added;
  bool empty() const { return dropped.empty() && added.empty(); }
};
NodeNamesDiff diff_node_names(const std::vector<std::string>& cluster, const std::vector<std::string>& other);
// Sets (empty value removes) a permanent attribute of a node.
Status set_node_attribute(CibDocument& doc, std::string_view uname, std::string_view name, std::string_view value);

}  // namespace hactl::core
