// Editing name/value sets (instance_attributes, meta_attributes,
// cluster_property_set) with the ids pcs generates: <set-id>-<name>.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/cib_document.h"

namespace hactl::core {

// The first child set `tag` of `parent` without a rule, created with `id_base` (made unique) if missing.
Element* ensure_nvset(CibDocument& doc, Element* parent, const char* tag, std::string_view id_base);
// Sets name=value in the set (creates the nvpair with id <set-id>-<name>); an
// empty value removes the pair, as pcs does for `name=`. Returns true if the set changed.
bool set_nvpair(CibDocument& doc, Element* set, std::string_view name, std::string_view value);
bool remove_nvpair(Element* set, std::string_view name);
// The value in the first matching nvpair of any `tag` set of parent, or nullopt.
std::optional<std::string> get_nvpair(const Element* parent, const char* tag, std::string_view name);
// Removes sets left empty by removals (pcs keeps them; Pacemaker does not care). Returns count.
int drop_empty_sets(Element* parent, const char* tag);

}  // namespace hactl::core
