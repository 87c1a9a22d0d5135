// What crm_mon shows, computed once from a CIB for both printers (text and
// XML): nodes with Pacemaker's flags, resource history per node, fail counts,
// node attributes. Pure: refers into the Cib and document it was built from.
#pragma once

#include <ctime>
#include <string>
#include <utility>
#include <vector>

#include "core/cib_model.h"
#include "core/scheduler/cluster_status.h"

namespace hactl::cmd {

struct MonNode {
  std::string name, id;
  bool online = false, standby = false, standby_onfail = false, maintenance = false, pending = false, unclean = false;
  bool shutdown = false, expected_up = false, is_dc = false;
  int resources_running = 0;
  std::string feature_set;  // empty when offline
};

struct MonResourceHistory {
  std::string rsc;
  bool orphan = false;
  long migration_threshold = 1000000;
  long failcount = 0;
  std::time_t last_failure = 0;
  std::vector<const core::Element*> ops;  // lrm_rsc_op elements by call id (probes that found nothing left out)
};

struct MonNodeHistory {
  std::string node;
  std::vector<MonResourceHistory> resources;
};

struct MonView {
  const core::CibDocument& doc;
  core::Cib cib;
  core::ClusterStatus cs;
  std::time_t now;
  std::vector<MonNode> nodes;  // Pacemaker's node order
  MonView(const core::CibDocument& d, std::time_t when);

  const MonNode* dc() const;
  int instances() const;  // resource instances configured (orphans included)
  int disabled() const;
  int blocked() const;
  // Online nodes in status-section order; with operations=false only resources
  // with a fail count (the Migration Summary).
  std::vector<MonNodeHistory> history(bool operations) const;
  bool has_online_state() const;  // some online node has a node_state entry
  // Online nodes' attributes, automatic ones (fail-count-*, #..., standby) left out, by name.
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> node_attributes() const;
  // The failed actions crm_mon lists: a probe that found the agent not
  // installed is masked (Pacemaker's pcmk_xe_mask_probe_failure).
  std::vector<core::FailedAction> failed_actions() const;
};

// "10s", "1m30s", "1ms": Pacemaker's readable interval.
std::string readable_interval(long long ms);
// "probe" for a monitor of interval 0, else the task.
std::string op_task(const core::Element* op);

}  // namespace hactl::cmd
