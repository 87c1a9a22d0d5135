// Clone edits with pcs 0.11 semantics, ids and messages: `resource clone`,
// `resource promotable`, `resource unclone`, the clone part of `resource
// create ... clone|promotable`, and the pcs 0.9 role names (Master/Slave).
// Pure functions on a CibDocument; agent checks (promotability) are the
// caller's, as they need the agent's meta-data.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/cib_document.h"
#include "core/resource_edit.h"

namespace hactl::core {

// What follows `clone RSC` / `promotable RSC` / `create ... clone` on the line.
struct CloneOptions {
  std::string clone_id;  // empty: pcs's default, RSC-clone (made unique)
  KeyValues meta;        // written sorted by name into <clone id>-meta_attributes
};

// Splits `[CLONE_ID] [k=v...] [meta k=v...]` as pcs's parse_clone does: a first
// word without '=' (and not "meta"/"op") is the clone id; "op" is refused.
// `promotable`: adds promotable=true, refused if the options carry it too.
Result<CloneOptions> parse_clone_options(const std::vector<std::string>& args, bool promotable);

// Puts the primitive or group `rsc` into a new <clone> appended to <resources>
// (where pcs puts it), taking a primitive out of its group (the group goes if
// it was its last member), and points the constraints that named `rsc` at the
// clone. Refuses, as pcs does: a clone, a member of a clone or bundle, a
// cloned group, a stonith resource (unless `force`; then a warning), a clone
// id that is invalid or in use. Warnings go to `warnings`. Returns the clone id.
Result<std::string> clone_resource(CibDocument& doc, std::string_view rsc, const CloneOptions& options, bool force,
                                   std::vector<std::string>* warnings);

// `resource unclone CLONE|RSC|GROUP`: the clone goes (with the constraints
// naming it) and its member becomes a top-level resource; a primitive of a
// cloned group of several members only leaves that group.
Status unclone_resource(CibDocument& doc, std::string_view id);

// The <clone>/<master> holding `id` (the clone itself, or its primitive or
// group member, or a primitive of a cloned group), or null.
Element* enclosing_clone(const CibDocument& doc, std::string_view id);
bool is_clone_element(const Element* e);

// Promoted/Unpromoted for the pcs 0.9 names Master/Slave; any other text as is.
std::string modern_role(std::string_view role);

}  // namespace hactl::core
