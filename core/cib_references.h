// Resource templates and tags (Pacemaker's <template> and <tags>): a
// primitive with template="T" is the template's definition with its own
// id, children and operations added (lib/pengine/complex.c unpack_template);
// a constraint may name a template or a tag where it names a resource, and
// then stands for every resource derived from it or tagged with it
// (pcmk__tag_to_set, pcmk__expand_tags_in_sets).
#pragma once

#include <memory>
#include <tinyxml2.h>

#include "core/cib_model.h"

namespace hactl::core {

// The expanded definition of primitive `e` in `scratch`, or `e` itself when
// it names no template (or one that does not exist).
const Element* expand_template(const Element* e, tinyxml2::XMLDocument& scratch);

// Reads the <tags> section and the template users into `cib.references`.
void read_references(Cib& cib, const CibDocument& doc);

// A copy of `cib` whose constraints name resources only: references to a
// template or a tag become resource sets (sequential=false) as Pacemaker
// rewrites them; a location on one (or with resource sets) becomes one per
// resource. Null when `cib` has nothing to expand.
std::unique_ptr<Cib> expand_references(const Cib& cib);

}  // namespace hactl::core
