// Status deltas: what changed in <status> between two versions of one CIB,
// as a small text the members apply to their copy instead of receiving and
// re-parsing the whole CIB for every status change (a 1,000-resource CIB is
// megabytes; one batch of results changes a few elements of it).
//
// The delta is an XML document of edits on the status section, keyed the
// way Pacemaker keys status elements (tag + id among siblings):
//   <status_delta>
//     <root a="..."/>              the <cib> element's attributes, all of them
//     <at tag="node_state" id="1"> descend into that child of the current element
//       <attributes .../>          the current element's attributes, all of them
//       <put><lrm_resource id="D1">...</lrm_resource></put>  replace (or append) the child with that key
//       <drop tag="lrm_rsc_op" id="x"/>                      remove the child with that key
//       <children>...</children>   all of the current element's children, replaced
//     </at>
//   </status_delta>
// A child without an id attribute is keyed by its tag alone (no id
// attribute on <at>/<drop>). The ops at the top apply to <status> itself.
//
// Pure; no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/cib_document.h"
#include "core/status.h"

namespace hactl::core {

// The delta turning `from` into `to`, or nullopt when they differ anywhere
// outside <status> and the root's attributes (a configuration change: the
// whole CIB must travel).
std::optional<std::string> status_delta(const CibDocument& from, const CibDocument& to);

// Applies a delta made by status_delta() to `doc`, all or nothing: an edit
// naming an element `doc` does not have (a copy that is not the delta's
// base) changes nothing and is an error.
Status apply_status_delta(CibDocument& doc, std::string_view delta);

// Same elements, attributes (in order), text and comments.
bool same_xml(const tinyxml2::XMLNode* a, const tinyxml2::XMLNode* b);

}  // namespace hactl::core
