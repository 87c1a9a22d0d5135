// crm_mon's XML documents (see crm_mon_xml.cpp).
#pragma once

#include <iosfwd>
#include <string>

#include "cmd/crm_mon_view.h"

namespace hactl::cmd {

// legacy: -X / --as-xml's <crm_mon version=...> root, without <status>.
void print_crm_mon_xml(std::ostream& os, const MonView& v, bool legacy, const std::string& request);

}  // namespace hactl::cmd
