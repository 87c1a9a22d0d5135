// The fixed cluster the frame fuzz targets and their seed generator share:
// node 1 receives from nodes 2 and 3 under one known key. Seeds sealed with
// this key reach the accepted path; mutations of them exercise every drop.
#pragma once

#include <cstdint>
#include <vector>

#include "net/cluster_key.h"
#include "net/net_types.h"

namespace hactl::fuzz {

inline net::KeyBytes fuzz_cluster_key() {
  net::KeyBytes k{};
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(0x5a ^ (i * 7));
  return k;
}
inline constexpr net::NodeId kSelf = 1;
inline constexpr net::NodeId kPeer = 2;
inline const std::vector<net::NodeId> kMembers = {1, 2, 3};
inline constexpr std::uint64_t kPeerBoot = 1000;
inline constexpr std::uint32_t kPeerSalt = 0xfeedbeef;

}  // namespace hactl::fuzz
