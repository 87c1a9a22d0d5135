#include "core/corosync_text.h"

#include <cstdio>

namespace hactl::core {

namespace {
std::string pad_left(const std::string& s, size_t width) { return s.size() >= width ? s : std::string(width - s.size(), ' ') + s; }
}  // namespace

std::string corosync_ring_id(const CorosyncView& v) {
  uint32_t lowest = 0;
  int up = 0;
  for (const auto& m : v.members)
    if (m.up) {
      ++up;
      if (lowest == 0 || m.id < lowest) lowest = m.id;
    }
  return std::to_string(lowest ? lowest : v.local_id) + "." + std::to_string(up);
}

std::string cfgtool_status_text(const CorosyncView& v) {
  return "Printing link status.\nLocal node ID " + std::to_string(v.local_id) + "\nLink ID 0\n\taddr\t= " + v.local_addr +
         "\n\tstatus\t= ring 0 active with no faults\n";
}

std::string quorumtool_status_text(const CorosyncView& v) {
  int up = 0;
  for (const auto& m : v.members) up += m.up ? 1 : 0;
  std::string flags = v.two_node ? "2Node " : "";
  flags += v.quorate ? "Quorate" : "";
  std::string out = "Quorum information\n------------------\n";
  out += "Date:             " + v.date + "\n";
  out += "Quorum provider:  corosync_votequorum\n";
  out += "Nodes:            " + std::to_string(up) + "\n";
  out += "Node ID:          " + std::to_string(v.local_id) + "\n";
  out += "Ring ID:          " + corosync_ring_id(v) + "\n";
  out += std::string("Quorate:          ") + (v.quorate ? "Yes" : "No") + "\n\n";
  out += "Votequorum information\n----------------------\n";
  out += "Expected votes:   " + std::to_string(v.expected_votes) + "\n";
  out += "Highest expected: " + std::to_string(v.expected_votes) + "\n";
  out += "Total votes:      " + std::to_string(v.total_votes) + "\n";
  out += "Quorum:           " + std::to_string(v.quorum) + (v.quorate ? "" : " Activity blocked") + "\n";
  out += "Flags:            " + flags + "\n\n";
  out += "Membership information\n----------------------\n";
  out += "    Nodeid      Votes    Qdevice Name\n";
  for (const auto& m : v.members) {
    if (!m.up) continue;  // corosync lists the members of this partition
    out += pad_left(std::to_string(m.id), 10) + pad_left("1", 11) + pad_left("NR", 11) + " " + m.name +
           (m.id == v.local_id ? " (local)" : "") + "\n";
  }
  return out;
}

}  // namespace hactl::core
