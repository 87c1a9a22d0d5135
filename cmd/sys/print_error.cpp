#include "cmd/sys/print_error.h"

#include <iostream>

#include "core/printable_text.h"

namespace hactl::cmd {

int print_error(const core::Status& s) {
  std::cerr << "Error: " << core::printable(s.message()) << "\n";
  return core::to_int(s.code() == core::ExitCode::ok ? core::ExitCode::error : s.code());
}

}  // namespace hactl::cmd
