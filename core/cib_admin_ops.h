// cibadmin's operations on a CIB document, apart from the I/O: selecting by
// scope or a simple XPath, and Pacemaker's create / modify / delete / replace
// semantics for a piece of XML given by the user.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/cib_document.h"
#include "core/status.h"

namespace hactl::core {

// The element a --scope names: "configuration", "status", "cib" or a
// configuration section (nodes, resources, constraints, crm_config,
// rsc_defaults, op_defaults, fencing-topology, acls, tags, alerts); a missing
// section is created when `create`. Null for an unknown name.
Element* scope_element(CibDocument& doc, std::string_view scope, bool create);

// The supported XPath subset: absolute steps (/cib/configuration/resources),
// "//" for any depth, "*" for any element, and predicates [@a='v'] joined by
// "and". Anything else is refused (invalid_param) rather than guessed.
Result<std::vector<Element*>> select_xpath(const CibDocument& doc, std::string_view xpath);

// --create: `xml` becomes a new child of `parent`; an id already in the
// configuration is refused (config: Pacemaker's schema refuses it too).
Status create_child(CibDocument& doc, Element* parent, const Element* xml);
// --modify: the element of xml's tag and id under `within` (xml itself when it
// is `within`'s own tag) gets xml's attributes and children merged in; not
// found is no_such unless `allow_create` (then it is created under `within`).
Status modify_element(CibDocument& doc, Element* within, const Element* xml, bool allow_create);
// --delete: the first element under `within` with xml's tag and every one of
// its attributes is removed; none is success, as Pacemaker's is.
Status delete_matching(Element* within, const Element* xml);
// --replace: the element of xml's tag (and id, if any) under `within` is
// replaced by xml; a whole <cib> must not be older than the current one.
Status replace_element(CibDocument& doc, Element* within, const Element* xml);

}  // namespace hactl::core
