// The crm_mon personality: Pacemaker 2.1's crm_mon one-shot output (text,
// --simple-status, and the XML of --output-as xml / the legacy -X document),
// read from CIB_file or, without it, from the local node agent's CIB.
#pragma once

#include "cmd/invocation.h"

namespace hactl::cmd {

struct CrmMonOptions {
  bool inactive = false;    // -r: inactive resources too ("Full List of Resources")
  bool failcounts = false;  // -f: Migration Summary
  bool attributes = false;  // -A: Node Attributes
  bool operations = false;  // -o: Operations (with -f's fail counts)
  bool timing = false;      // -t: operation times
  bool by_node = false;     // -n: resources under their node
  bool simple = false;      // -s: one Nagios-style line
  enum class Format { text, xml, legacy_xml } format = Format::text;
  std::string request;      // the command line, echoed by pacemaker-result
};

int run_crm_mon(const Invocation& inv, const CrmMonOptions& opts);

}  // namespace hactl::cmd
