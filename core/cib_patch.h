// Applying a Pacemaker XML patchset (crm_diff's format 2, what `cibadmin
// --patch` takes and crmsh sends on commit): create / delete / modify / move
// changes addressed by XPath. Version attributes in the patch are ignored:
// the write that carries the result bumps the epoch as every edit does.
#pragma once

#include "core/cib_document.h"

namespace hactl::core {

// All or nothing on the caller's copy: a change that cannot be applied
// returns its error (the caller discards the document).
Status apply_patchset(CibDocument& doc, const Element* diff);
// True when some change is addressed into /cib/status.
bool patch_touches_status(const Element* diff);

}  // namespace hactl::core
