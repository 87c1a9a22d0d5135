// Ids as Pacemaker's schema types them: xsd:ID, an XML NCName. A first
// character that is a letter, '_' or a non-ASCII name-start character, then
// letters, digits, '.', '-', '_' and non-ASCII name characters; no ':', no
// spaces, quotes, '<', '/', control characters or invalid UTF-8. One rule for
// every command that makes an id and for cib-push/verify, so a CIB hactl
// writes is one Pacemaker's schema accepts.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/cib_document.h"

namespace hactl::core {

bool is_valid_id(std::string_view id);

// pcs's message for an invalid id ("invalid resource name '1a', '1' is not a
// valid first character for a resource name"), or "" when `id` is valid.
// `what` names the id's role ("resource name", "constraint id", "id").
std::string id_error(std::string_view id, std::string_view what = "id");

// A generated id made valid as pcs's sanitize_id does: characters an NCName
// cannot hold dropped (leading ones until a valid first character); "id" if
// nothing is left. For ids hactl derives (nvpairs named "x y", constraints of
// a node "n:1"); ids the user gives are refused instead, never rewritten.
std::string sanitize_id(std::string_view candidate);

// What an element's id is called in messages (primitive -> "resource name").
std::string id_role(std::string_view tag);

// The elements of <configuration> whose id attribute is an xsd:ID (node,
// acl_target and acl_group ids are plain text; resource_ref and obj_ref are
// references), in document order.
std::vector<Element*> id_elements(const CibDocument& doc);
std::set<std::string> config_ids(const CibDocument& doc);

// The first id of `doc` not in `existing` that is invalid, as an error
// (ExitCode::invalid_param); ok when every new id is valid. Commands run this
// after their edit, so no command can create an id the schema refuses.
Status check_new_ids(const std::set<std::string>& existing, const CibDocument& doc);

}  // namespace hactl::core
