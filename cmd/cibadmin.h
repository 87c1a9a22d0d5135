// The cibadmin personality: Pacemaker's low-level CIB tool. Reads from
// CIB_file or the local agent; every write is the same compare-and-swap
// through the DC that `cluster cib-push` makes (edit_cib).
#pragma once

#include <string>

#include "cmd/invocation.h"

namespace hactl::cmd {

struct CibadminOptions {
  enum class Op { none, query, create, modify, replace, remove, erase, empty } op = Op::none;
  std::string scope, xpath;
  std::string xml_file, xml_text;
  bool xml_pipe = false, allow_create = false, force = false, no_children = false, delete_all = false;
};

int run_cibadmin(Invocation inv, const CibadminOptions& opts);

}  // namespace hactl::cmd
