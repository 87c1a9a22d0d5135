// crm_verify's reporting: one line per finding, a summary line, exit 78 on errors.
#include <iostream>

#include "core/printable_text.h"
#include "core/verify.h"

namespace hactl::cmd {

int print_verify(const std::vector<core::Finding>& findings, const std::string& tool) {
  bool errors = false;
  for (const core::Finding& f : findings) {
    bool error = f.severity == core::Finding::Severity::error;
    errors = errors || error;
    std::cerr << (error ? "error: " : "warning: ") << core::printable(f.text) << "\n";
  }
  if (errors) {
    std::cerr << tool << ": Errors found during check: config not valid\n";
    return core::to_int(core::ExitCode::config);
  }
  if (!findings.empty()) std::cerr << tool << ": Warnings found during check: config may not be valid\n";
  return 0;
}

}  // namespace hactl::cmd
