// Resource edits with pcs 0.11 semantics and ids: create, delete, update, meta,
// operations, groups. Pure functions on a CibDocument; the caller checks the
// agent (meta-data, required parameters) and decides about --force.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/cib_document.h"

namespace hactl::core {

using KeyValues = std::vector<std::pair<std::string, std::string>>;

struct OpSpec {
  std::string name;
  KeyValues attrs;  // interval, timeout, role, on-fail, ...
};

// An operation an agent's meta-data suggests (pcs adds these unless --no-default-ops).
struct DefaultOp {
  std::string name, interval, timeout, role, depth;
};

struct PrimitiveSpec {
  std::string id, cls, provider, type;
  KeyValues params;
  std::vector<OpSpec> ops;
  KeyValues meta;
};

struct GroupPlacement {
  std::string group;         // empty: top level
  std::string before, after;  // member ids within the group
};

// The user's ops and each suggested op whose action the user did not give,
// sorted by name (stable), skipping meta-data, validate-all and status (as pcs does).
std::vector<OpSpec> merge_default_ops(const std::vector<OpSpec>& user, const std::vector<DefaultOp>& defaults);

// The <primitive>/<group>/<clone>/<bundle> element with this id, or null.
Element* find_resource(const CibDocument& doc, std::string_view id);
Element* find_primitive_element(const CibDocument& doc, std::string_view id);

Status create_primitive(CibDocument& doc, const PrimitiveSpec& spec, const GroupPlacement& placement);
// Removes the resource (a group with its members), every constraint that
// references it (whole constraint, or its resource_ref in a set), and a group
// left empty. `removed` gets the ids of removed constraints.
Status delete_resource(CibDocument& doc, std::string_view id, std::vector<std::string>* removed);
// Removes every constraint naming one of `ids` (whole constraint, or the
// resource_ref in a set, and a constraint left without sets); ids to `removed`.
void remove_constraints_of(CibDocument& doc, const std::vector<std::string>& ids, std::vector<std::string>* removed);

// Sets (empty value: removes) instance attributes, meta attributes and op options.
Status update_params(CibDocument& doc, std::string_view id, const KeyValues& params);
Status update_meta(CibDocument& doc, std::string_view id, const KeyValues& meta);
// `op ACTION k=v`: updates the first op of that action, or adds it.
Status update_op(CibDocument& doc, std::string_view id, const OpSpec& op);
Status add_op(CibDocument& doc, std::string_view id, const OpSpec& op, bool force);
// Removes an op by id, or every op of RSC matching action and all given attrs.
Status remove_op_by_id(CibDocument& doc, std::string_view op_id);
Status remove_op(CibDocument& doc, std::string_view rsc, const OpSpec& match);

Status group_add(CibDocument& doc, std::string_view group, const std::vector<std::string>& rscs,
                 const std::string& before, const std::string& after);
// Removes members (all when empty) from the group; they become top-level resources.
Status group_remove(CibDocument& doc, std::string_view group, const std::vector<std::string>& rscs);

}  // namespace hactl::core
