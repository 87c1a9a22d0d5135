// A CIB file that lists a cluster's nodes, made as an operator would make one
// (`-f FILE cluster setup` is refused, as pcs refuses it): set up a throwaway
// node root of its own, then copy that node's CIB.
#pragma once

#include <string>

#include "test/cmd/cli_harness.h"

namespace hactl::test {

inline Run setup_cib_file(const Scratch& s, const std::string& setup_args, const std::string& file) {
  std::string root = quote(s.path(".setup-" + file));
  return s.sh("rm -rf " + root + " && HACTL_ROOT=" + root + " " + quote(HACTL_BINARY) + " cluster setup " + setup_args +
              " && cp " + root + "/var/lib/hactl/cib.xml " + quote(file));
}

}  // namespace hactl::test
