// hactl's version, as the DC records it in the CIB (dc-version, shown by
// crm_mon as "Current DC: n1 (version ...)"). Keep in step with project() in
// the top-level CMakeLists.txt.
#pragma once

namespace hactl::core {
inline constexpr const char* kHactlVersion = "0.1.0";
// Pacemaker's form is "<version>-<build>"; ours names the implementation.
inline constexpr const char* kDcVersion = "0.1.0-hactl";
}  // namespace hactl::core
