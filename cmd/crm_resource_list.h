// crm_resource --list: crm_mon's resource listing without node names (text,
// crm_mon.cpp) and its <resources> element (xml, crm_mon_xml.cpp).
#pragma once

#include <ostream>

#include "cmd/crm_mon_view.h"
#include "cmd/xml_out.h"

namespace hactl::cmd {

// false when there is no resource (Pacemaker prints "NO resources configured").
bool print_resource_list_text(std::ostream& os, const MonView& v);
void print_resources_xml(XmlOut& x, const MonView& v);

}  // namespace hactl::cmd
