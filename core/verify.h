// Configuration checks in the spirit of crm_verify: what Pacemaker would reject
// or silently ignore. Used by `cluster verify`, `crm_verify` and before every
// `cluster cib-push`, so a bad file is refused with the reason.
#pragma once

#include <string>
#include <vector>

#include "core/cib_document.h"

namespace hactl::core {

struct Finding {
  enum class Severity { error, warning };
  Severity severity;
  std::string text;
};

// `structure_only`: only what makes a CIB unusable (what Pacemaker's schema
// would reject: duplicate ids, dangling references, bad classes, kinds,
// scores), not policy findings such as a missing fencing device. cib-push
// refuses a file on these.
std::vector<Finding> verify(const CibDocument& doc, bool structure_only = false);
bool has_errors(const std::vector<Finding>& findings);

}  // namespace hactl::core
