#include "cmd/dispatch.h"

#include <cstdio>

namespace hactl::cmd {
int run_main(int argc, char** argv) {
  std::fputs("Error: not implemented yet\n", stderr);
  return 1;
}
}  // namespace hactl::cmd
