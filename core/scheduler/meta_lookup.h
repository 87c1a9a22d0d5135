// Small lookups the unpack stages share: a meta attribute with its
// rsc_defaults fallback, and the names of failure attributes.
#pragma once

#include <string>

#include "core/cib_model.h"

namespace hactl::core::sched {

// The resource's own meta attribute, else rsc_defaults', else `fallback`.
inline std::string meta_value(const Attributes& meta, const Attributes& defaults, const std::string& name,
                              const std::string& fallback) {
  if (auto it = meta.find(name); it != meta.end()) return it->second;
  if (auto it = defaults.find(name); it != defaults.end()) return it->second;
  return fallback;
}

// fail-count-* / last-failure-* (node transient attributes the scheduler reads).
inline bool is_failure_attribute(const std::string& name) {
  return name.rfind("fail-count-", 0) == 0 || name.rfind("last-failure-", 0) == 0;
}

}  // namespace hactl::core::sched
