// The head of `hactl status` (pcs status / crm_mon's "Cluster Summary"), the
// same for a CIB file and the running cluster: crm_mon's singular and plural,
// the DC, "Last change" from the CIB's own attributes; and the Migration
// Summary of `status --full`.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>

#include "core/cib_document.h"
#include "core/cib_model.h"

namespace hactl::cmd {

struct SummaryFacts {
  std::string dc;                 // empty: no DC known
  std::string dc_id;              // printed with --full, as crm_mon --show-detail
  bool quorate = false;
  std::string updated_on;         // the node that answered, if any
  size_t nodes = 0, resources = 0;
  bool full = false;
};

// "1 node", "2 nodes".
std::string counted(size_t n, const std::string& one, const std::string& many);
// "Wed Dec  2 04:00:00 2026 by root via cibadmin on n1", or "" when the CIB has no cib-last-written.
std::string last_change_text(const core::CibDocument& doc);
// DC facts a CIB file records itself: dc-uuid (named by its node) and have-quorum.
void dc_from_cib(const core::CibDocument& doc, const core::Cib& cib, SummaryFacts* facts);
void print_cluster_summary(std::ostream& os, const SummaryFacts& f, const core::CibDocument* doc, const core::Cib* cib);
// crm_mon's "Migration Summary": per node, each resource with a fail count.
void print_migration_summary(std::ostream& os, const core::Cib& cib);

}  // namespace hactl::cmd
