// Operation parameter digests, as Pacemaker 2.1.5 computes them to notice a
// changed resource definition (lib/pengine/pe_digest.c pe__calculate_digests,
// rsc_action_digest_cmp; lib/common/digest.c calculate_operation_digest).
//
// A digest is the MD5 sum of the parameters rendered as one XML element with
// its attributes sorted by name: ` <parameters a="1" b="2"/>` plus a newline.
// The parameters are the resource's instance attributes, then its group's,
// then the configured operation's own instance attributes (the first value of
// a name wins), with Pacemaker's meta attributes left out except the timeout
// of a recurring operation. Internal to core/scheduler; pure.
#pragma once

#include <string>
#include <string_view>

#include "core/cib_model.h"

namespace hactl::core::sched {

// The outcome of comparing a history entry with the current definition
// (Pacemaker's RSC_DIGEST_*).
enum class DigestMatch {
  match,
  unknown,         // nothing recorded to compare with, or not computable here
  changed,         // parameters changed: reload or reschedule (RSC_DIGEST_ALL)
  restart_needed,  // changed in a way only a restart applies (RSC_DIGEST_RESTART)
};

struct DigestCheck {
  DigestMatch result = DigestMatch::unknown;
  // The change is only in parameters a saved CIB may have masked: a
  // simulation of such a CIB does not act on it (only_sanitized_changed).
  bool only_private_changed = false;
};

// Compares history entry `op` of primitive `p` with the current configuration.
// `sanitized`: the CIB is a saved copy (crm_simulate -x), which makes the
// secure digest worth computing. Parameters chosen by rules, which would need
// a node to evaluate, make the result `unknown`.
DigestCheck compare_op_digest(const Cib& cib, const Primitive& p, const LrmOp& op, bool sanitized);

// The pieces, exposed for tests.
// crm_xml_escape: XML escaping plus Pacemaker's own quirks (tabs, newlines,
// other control characters).
std::string pacemaker_xml_escape(std::string_view text);
// calculate_operation_digest of a parameter set.
std::string parameters_digest(const Attributes& params);

}  // namespace hactl::core::sched
