#include "net/election.h"

#include <algorithm>

namespace hactl::net {

std::optional<NodeId> elect(const std::vector<NodeId>& up_members) {
  std::optional<NodeId> dc;
  for (NodeId id : up_members)
    if (id != kNoNode && (!dc || id < *dc)) dc = id;
  return dc;
}

}  // namespace hactl::net
