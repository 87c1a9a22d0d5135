// What Pacemaker's CIB manager writes on the <cib> element of every accepted
// change, so readers (crm_mon's "Last change", ha_cluster_exporter, crmsh)
// find them here too: cib-last-written, update-origin, update-client,
// update-user; and the DC's own dc-version property.
#pragma once

#include <ctime>
#include <string>

#include "core/cib_document.h"

namespace hactl::core {

struct CibWriter {
  std::string origin;  // node name the change came from
  std::string client;  // the tool that made it ("cibadmin", "crm_resource", "hactl")
  std::string user;    // the user who ran it
};

// Pacemaker's timestamp format (ctime without the newline), in local time:
// "Wed Dec  2 03:27:19 2026".
std::string cib_time_text(std::time_t when);

// Stamps a configuration change: cib-last-written = `when`, and the writer's
// fields (empty ones are left as they were).
void stamp_cib_write(CibDocument& doc, const CibWriter& who, std::time_t when);

// The DC's version in crm_config's cib-bootstrap-options ("dc-version"), as
// Pacemaker's controller records it on election. True if the CIB changed.
bool set_dc_version(CibDocument& doc, const std::string& version);

}  // namespace hactl::core
