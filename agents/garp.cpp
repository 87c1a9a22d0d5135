#include "agents/garp.h"

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace hactl::agents {
namespace {

// Ethernet ARP payload for IPv4 (RFC 826), packed as on the wire.
struct __attribute__((packed)) ArpPacket {
  uint16_t htype, ptype;
  uint8_t hlen, plen;
  uint16_t op;
  uint8_t sha[6];
  uint32_t spa;
  uint8_t tha[6];
  uint32_t tpa;
};

core::Status sys_error(const std::string& what) {
  return core::Status::error(core::ExitCode::os_err, what + ": " + std::strerror(errno));
}

}  // namespace

core::Result<GarpReport> send_gratuitous_arp(const std::string& ifname, uint32_t ip, int rounds, int interval_ms) {
  int fd = ::socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ARP));
  if (fd < 0) return sys_error("AF_PACKET socket");
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};

  ifreq ifr{};
  if (ifname.size() >= sizeof ifr.ifr_name) return core::Status::invalid("interface name too long: " + ifname);
  std::memcpy(ifr.ifr_name, ifname.c_str(), ifname.size());
  if (::ioctl(fd, SIOCGIFINDEX, &ifr) != 0) return sys_error("interface " + ifname);
  int ifindex = ifr.ifr_ifindex;
  if (::ioctl(fd, SIOCGIFFLAGS, &ifr) != 0) return sys_error("flags of " + ifname);
  if (ifr.ifr_flags & (IFF_NOARP | IFF_LOOPBACK)) {
    return core::Status::error(core::ExitCode::unimplemented, ifname + " does not use ARP");
  }
  if (::ioctl(fd, SIOCGIFHWADDR, &ifr) != 0) return sys_error("hardware address of " + ifname);
  if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER) {
    return core::Status::error(core::ExitCode::unimplemented, ifname + " is not an Ethernet interface");
  }
  uint8_t mac[6];
  std::memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);

  sockaddr_ll to{};
  to.sll_family = AF_PACKET;
  to.sll_protocol = htons(ETH_P_ARP);
  to.sll_ifindex = ifindex;
  to.sll_halen = 6;
  std::memset(to.sll_addr, 0xff, 6);

  GarpReport report;
  char macs[18];
  std::snprintf(macs, sizeof macs, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
  report.mac = macs;
  for (int round = 0; round < rounds; ++round) {
    if (round > 0 && interval_ms > 0) {
      timespec ts{interval_ms / 1000, (interval_ms % 1000) * 1000000L};
      while (::nanosleep(&ts, &ts) != 0 && errno == EINTR) {
      }
    }
    for (uint16_t op : {ARPOP_REQUEST, ARPOP_REPLY}) {
      ArpPacket p{};
      p.htype = htons(ARPHRD_ETHER);
      p.ptype = htons(ETH_P_IP);
      p.hlen = 6;
      p.plen = 4;
      p.op = htons(op);
      std::memcpy(p.sha, mac, 6);
      p.spa = ip;
      p.tpa = ip;
      // Request: target hardware unknown (zero); reply: addressed to everyone.
      if (op == ARPOP_REPLY) std::memset(p.tha, 0xff, 6);
      if (::sendto(fd, &p, sizeof p, 0, reinterpret_cast<sockaddr*>(&to), sizeof to) != sizeof p) {
        return sys_error("sending ARP on " + ifname);
      }
      (op == ARPOP_REQUEST ? report.requests : report.replies)++;
    }
  }
  return report;
}

}  // namespace hactl::agents
