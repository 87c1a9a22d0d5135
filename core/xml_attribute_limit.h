// A bound on the attributes of one XML element, checked before tinyxml2 sees
// the text. tinyxml2 compares each new attribute of an element with every
// earlier one (its duplicate check in XMLElement::ParseAttributes), O(k^2) per
// element: one element with 200k attributes (2.3 MB) took over 30 s to parse.
// No element of Pacemaker's schema has more than a few dozen attributes
// (lrm_rsc_op, the widest, about 21), so a larger count is refused, which
// keeps every parse O(n * kMaxXmlAttributes) in one linear pre-scan.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/status.h"

namespace hactl::core {

constexpr size_t kMaxXmlAttributes = 256;

// Counts the attributes of every start tag (comments, CDATA, processing
// instructions and quoted values skipped) in one pass; an error names the
// first element over `limit`. Malformed text is left for the parser to refuse.
Status check_xml_attribute_counts(std::string_view xml, size_t limit = kMaxXmlAttributes);

}  // namespace hactl::core
