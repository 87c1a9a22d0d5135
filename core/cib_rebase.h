// Three-way merge of a configuration edit onto a CIB that moved meanwhile.
//
// A client edits the configuration it read (`base`) into `mine`; by the time
// it reaches the coordinator, other clients' edits made the CIB `theirs`.
// Instead of refusing (and the client redoing its edit, again and again under
// many concurrent writers), the coordinator replays the client's change onto
// `theirs` when the two changes touch different elements. Elements are matched
// by tag and id, recursively; an element changed on both sides in different
// ways, or deleted on one side and changed on the other, is a conflict, and
// then the caller refuses as before (the client re-reads and redoes its edit).
// The merge rule is written down in docs/configuration-merge.md.
#pragma once

#include "core/cib_document.h"
#include "core/status.h"

namespace hactl::core {

// `theirs` with the configuration change base -> mine applied to it (status
// and version are theirs'), or a conflict (ExitCode::temp_fail) naming the
// first element both sides changed.
Result<CibDocument> rebase_configuration(const CibDocument& base, const CibDocument& mine, const CibDocument& theirs);

}  // namespace hactl::core
