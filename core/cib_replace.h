// The coordinator's compare-and-swap of a client's CIB replacement: the rules
// that decide what `cib_replace` makes of the CIB, apart from the I/O.
#pragma once

#include <string>

#include "core/cib_document.h"
#include "core/status.h"

namespace hactl::core {

struct CibReplaceRequest {
  std::string cib;       // the client's whole new CIB
  std::string base;      // the version it read ("a.e.n"); empty: no check
  std::string base_cib;  // what it read, for an edit that set no version of its own: lets a stale edit be rebased
  std::string scope = "all";  // "configuration": the cluster's status section is kept
};

// The CIB that replaces `current`. A request based on an older version is
// rebased onto `current` when it brings what it read and its change does not
// touch what changed meanwhile (core/cib_rebase.h); otherwise temp_fail, and
// the client re-reads and redoes its edit. A replacement older than current
// is refused (old). The epoch is bumped when the client set no newer version.
Result<CibDocument> apply_cib_replace(const CibDocument& current, const CibReplaceRequest& request);

}  // namespace hactl::core
