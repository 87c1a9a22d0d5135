#include "core/cib_write_stamp.h"

#include "core/nvset_edit.h"

namespace hactl::core {

std::string cib_time_text(std::time_t when) {
  std::tm tm{};
  localtime_r(&when, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a %b %e %H:%M:%S %Y", &tm);
  return buf;
}

void stamp_cib_write(CibDocument& doc, const CibWriter& who, std::time_t when) {
  Element* root = doc.root();
  root->SetAttribute("cib-last-written", cib_time_text(when).c_str());
  if (!who.origin.empty()) root->SetAttribute("update-origin", who.origin.c_str());
  if (!who.client.empty()) root->SetAttribute("update-client", who.client.c_str());
  if (!who.user.empty()) root->SetAttribute("update-user", who.user.c_str());
}

bool set_dc_version(CibDocument& doc, const std::string& version) {
  Element* crm_config = doc.section("crm_config");
  if (!crm_config) return false;
  Element* set = nullptr;
  for (Element* s : children(crm_config, "cluster_property_set"))
    if (attr(s, "id") == "cib-bootstrap-options") set = s;
  if (!set) set = ensure_nvset(doc, crm_config, "cluster_property_set", "cib-bootstrap-options");
  return set_nvpair(doc, set, "dc-version", version);
}

}  // namespace hactl::core
