// Agents compiled into hactl, so a node without resource-agents can run the
// common cases: ocf:heartbeat:IPaddr2, ocf:heartbeat:apache, ocf:pacemaker:Dummy.
// A built-in runs in a forked child of hactl (see SpawnRequest::in_child), so it
// gets the same timeout, process-group kill and output capture as a script,
// and it may block (sleep between ARP packets, wait for httpd) freely.
// Contract of `run`: the OCF one — returns an OCF rc (0..9), writes human
// messages to stdout/stderr, reads parameters from `params` (the OCF_RESKEY_*
// values without the prefix) and meta from `meta`.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace hactl::agents {

struct BuiltinCall {
  std::string action;    // start, stop, monitor, validate-all, meta-data...
  std::string instance;  // OCF_RESOURCE_INSTANCE
  std::map<std::string, std::string> params;
  std::map<std::string, std::string> meta;
  int64_t timeout_ms = 20000;
  int64_t interval_ms = 0;  // 0 for probes and one-shot actions
  std::string root = "/";   // the node's root directory (state files, tests)
  std::string param(std::string_view name, std::string_view fallback = "") const;
};

using BuiltinFn = int (*)(const BuiltinCall&);

struct BuiltinAgent {
  std::string_view provider, type;  // standard is always "ocf"
  std::string_view metadata_xml;
  BuiltinFn run;
};

const std::vector<BuiltinAgent>& builtin_agents();
const BuiltinAgent* find_builtin(std::string_view provider, std::string_view type);

// Meta-data texts (builtin_metadata.cpp) and implementations (builtin_*.cpp).
extern const std::string_view kIpaddr2Metadata, kApacheMetadata, kDummyMetadata;
int run_builtin_ipaddr2(const BuiltinCall& call);
int run_builtin_apache(const BuiltinCall& call);
int run_builtin_dummy(const BuiltinCall& call);

}  // namespace hactl::agents
