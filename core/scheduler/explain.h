// explain_placement(): why the scheduler puts a resource where it does (or
// keeps it stopped), in words a user can act on: per node, the score and what
// made it (location constraints, stickiness, fail counts, node state,
// colocations), and the action the transition takes. Pure, like schedule().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/cib_model.h"
#include "core/score.h"

namespace hactl::core {

struct ScoreReason {
  std::string what;
  Score score = 0;
};

struct NodeVerdict {
  std::string node;
  std::optional<Score> score;       // final allocation score; nullopt: never considered
  std::string cannot_host;          // why the node cannot run resources now ("" = it can)
  std::vector<ScoreReason> reasons;  // named contributions to the score
};

struct PlacementExplanation {
  std::string rsc;
  std::string group;                       // the group it belongs to, if any
  std::vector<std::string> current;        // nodes it is active on now
  std::optional<std::string> target;       // after the transition; nullopt = stopped
  std::string action, action_reason;       // the Transition Summary line, if any
  bool blocked = false;
  std::vector<NodeVerdict> nodes;          // best first
  std::vector<std::string> notes;          // role, management, colocations, ...
};

// Status::not_found when `rsc` is not a configured primitive or group.
Result<PlacementExplanation> explain_placement(const Cib& cib, std::string_view rsc, int64_t now);

}  // namespace hactl::core
