// Gratuitous ARP for a just-moved IPv4 address. Both forms are sent in each
// round — a broadcast request (sender = target = the address) and a broadcast
// reply — because some switches and firewalls only learn from one of them
// (resource-agents issues 1117/977). Raw AF_PACKET socket, needs CAP_NET_RAW.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace hactl::agents {

struct GarpReport {
  int requests = 0, replies = 0;
  std::string mac;  // sender hardware address used, "aa:bb:..."
};

// `ip` in network byte order. Blocks for (rounds - 1) * interval_ms.
core::Result<GarpReport> send_gratuitous_arp(const std::string& ifname, uint32_t ip, int rounds, int interval_ms);

}  // namespace hactl::agents
