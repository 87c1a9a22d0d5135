// The cibadmin personality: Pacemaker's low-level CIB tool. Reads from
// CIB_file or the local agent; every write is the same compare-and-swap
// through the DC that `cluster cib-push` makes (edit_cib).
#pragma once

#include <ostream>
#include <string>

#include "core/cib_document.h"

#include "cmd/invocation.h"

namespace hactl::cmd {

struct CibadminOptions {
  enum class Op { none, query, create, modify, replace, remove, patch, erase, empty } op = Op::none;
  std::string scope, xpath;
  std::string xml_file, xml_text;
  bool xml_pipe = false, allow_create = false, force = false, no_children = false, delete_all = false;
};

int run_cibadmin(Invocation inv, const CibadminOptions& opts);
// One element (and its children) in libxml2's layout, as cibadmin --query prints it.
int print_cib_element(std::ostream& os, const core::Element* e);

}  // namespace hactl::cmd
