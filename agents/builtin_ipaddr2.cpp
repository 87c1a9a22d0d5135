// Built-in ocf:heartbeat:IPaddr2: a floating IPv4 address, added and removed
// with iproute2's `ip`, announced with gratuitous ARP (garp.h). Runs in a forked
// child (builtin_agents.h), so blocking between ARP rounds is fine.
// Idempotent as OCF requires: start of a present address re-announces it and
// succeeds; stop of an absent one succeeds.
#include <arpa/inet.h>

#include <cstdio>
#include <optional>

#include "agents/builtin_agents.h"
#include "agents/builtin_util.h"
#include "agents/garp.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "agents/ocf_result.h"

namespace hactl::agents {
namespace {

int rc(OcfRc r) { return static_cast<int>(r); }

struct Prefix {
  uint32_t net = 0;  // host byte order
  int len = 0;
  bool contains(uint32_t ip) const { return len == 0 || ((ip ^ net) >> (32 - len)) == 0; }
};

std::optional<uint32_t> parse_ipv4(const std::string& s) {
  in_addr a{};
  if (::inet_pton(AF_INET, s.c_str(), &a) != 1) return std::nullopt;
  return ntohl(a.s_addr);
}

std::optional<Prefix> parse_prefix(const std::string& s) {
  size_t slash = s.find('/');
  auto ip = parse_ipv4(s.substr(0, slash));
  if (!ip) return std::nullopt;
  int len = slash == std::string::npos ? 32 : std::atoi(s.c_str() + slash + 1);
  if (len < 0 || len > 32) return std::nullopt;
  return Prefix{*ip, len};
}

std::string strip_at(std::string dev) { return dev.substr(0, dev.find('@')); }

struct Config {
  std::string ip_text, ip_bin, nic, label, broadcast;
  uint32_t ip = 0;
  int prefix = -1;
  int arp_count = 5, arp_interval = 200;
};

// The interface (and prefix) holding `ip` now, from `ip -o -4 addr show`.
std::optional<std::pair<std::string, int>> find_address(const Config& c) {
  std::vector<std::string> argv{c.ip_bin, "-o", "-4", "addr", "show"};
  if (!c.nic.empty()) argv.insert(argv.end(), {"dev", c.nic});
  CommandOutput o = run_command(argv);
  std::string line;
  size_t pos = 0;
  while (pos < o.out.size()) {
    size_t end = o.out.find('\n', pos);
    line = o.out.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    pos = end == std::string::npos ? o.out.size() : end + 1;
    auto w = split_words(line);
    for (size_t i = 0; i + 1 < w.size(); ++i) {
      if (w[i] != "inet") continue;
      auto p = parse_prefix(w[i + 1]);
      if (p && p->net == c.ip && w.size() > 1) return std::make_pair(strip_at(w[1]), p->len);
    }
  }
  return std::nullopt;
}

// The most specific non-default route covering ip: its device and prefix.
std::optional<std::pair<std::string, int>> route_to(const Config& c) {
  CommandOutput o = run_command({c.ip_bin, "-o", "-4", "route", "show", "table", "main"});
  std::optional<std::pair<std::string, int>> best;
  size_t pos = 0;
  while (pos < o.out.size()) {
    size_t end = o.out.find('\n', pos);
    auto w = split_words(o.out.substr(pos, end == std::string::npos ? std::string::npos : end - pos));
    pos = end == std::string::npos ? o.out.size() : end + 1;
    if (w.empty() || w[0] == "default") continue;
    auto p = parse_prefix(w[0]);
    if (!p || !p->contains(c.ip)) continue;
    for (size_t i = 1; i + 1 < w.size(); ++i) {
      if (w[i] == "dev" && (!best || p->len > best->second)) best = std::make_pair(w[i + 1], p->len);
    }
  }
  return best;
}

std::optional<Config> read_config(const BuiltinCall& call) {
  Config c;
  c.ip_text = call.param("ip");
  auto ip = parse_ipv4(c.ip_text);
  if (!ip) {
    std::fprintf(stderr, "ocf-exit-reason:IP address (the ip parameter) '%s' is not a valid IPv4 address\n",
                 c.ip_text.c_str());
    return std::nullopt;
  }
  c.ip = *ip;
  c.nic = call.param("nic");
  c.label = call.param("iflabel", call.param("label"));
  c.broadcast = call.param("broadcast");
  std::string mask = call.param("cidr_netmask");
  if (!mask.empty()) {
    char* end = nullptr;
    long v = std::strtol(mask.c_str(), &end, 10);
    if (*end != '\0' || v < 0 || v > 32) {
      std::fprintf(stderr, "ocf-exit-reason:cidr_netmask '%s' is not a prefix length 0-32\n", mask.c_str());
      return std::nullopt;
    }
    c.prefix = static_cast<int>(v);
  }
  c.arp_count = std::atoi(call.param("arp_count", "5").c_str());
  c.arp_interval = std::atoi(call.param("arp_interval", "200").c_str());
  c.ip_bin = find_program(call, {"/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"});
  if (c.ip_bin.empty()) {
    std::fprintf(stderr, "ocf-exit-reason:the ip command (iproute2) is not installed\n");
    return std::nullopt;
  }
  return c;
}

// Repeats the announcement arp_count-1 times, arp_interval apart, from a
// grandchild in its own session (not in the action's process group, holding
// none of its pipes); it stops as soon as the address is gone from the node.
void announce_in_background(const Config& c, const std::string& nic) {
  pid_t pid = ::fork();
  if (pid < 0) return;
  if (pid > 0) {
    ::waitpid(pid, nullptr, 0);
    return;
  }
  ::setsid();
  if (::fork() != 0) ::_exit(0);
  int devnull = ::open("/dev/null", O_RDWR);
  if (devnull >= 0)
    for (int fd = 0; fd <= 2; ++fd) ::dup2(devnull, fd);
  for (int i = 1; i < c.arp_count; ++i) {
    ::usleep(static_cast<useconds_t>(c.arp_interval) * 1000);
    auto present = find_address(c);
    if (!present || present->first != nic) break;
    send_gratuitous_arp(nic, htonl(c.ip), 1, 0);
  }
  ::_exit(0);
}

int start(Config& c) {
  std::string nic = c.nic;
  auto present = find_address(c);
  if (!present) {
    auto route = route_to(c);
    if (nic.empty()) {
      if (!route) {
        std::fprintf(stderr, "ocf-exit-reason:no interface has a route to %s; set nic and cidr_netmask\n",
                     c.ip_text.c_str());
        return rc(OcfRc::not_configured);
      }
      nic = route->first;
    }
    int prefix = c.prefix >= 0 ? c.prefix : route && route->first == nic ? route->second : 32;
    std::vector<std::string> argv{c.ip_bin, "-4", "addr", "add", c.ip_text + "/" + std::to_string(prefix)};
    if (c.broadcast == "+") argv.insert(argv.end(), {"broadcast", "+"});
    else if (!c.broadcast.empty() && c.broadcast != "-") argv.insert(argv.end(), {"broadcast", c.broadcast});
    argv.insert(argv.end(), {"dev", nic});
    if (!c.label.empty()) argv.insert(argv.end(), {"label", nic + ":" + c.label});
    CommandOutput o = run_command(argv);
    if (o.exit_code != 0) {
      std::fprintf(stderr, "ocf-exit-reason:adding %s/%d to %s failed: %s\n", c.ip_text.c_str(), prefix, nic.c_str(),
                   o.err.c_str());
      return rc(OcfRc::err_generic);
    }
    std::printf("added %s/%d on %s\n", c.ip_text.c_str(), prefix, nic.c_str());
  } else {
    nic = present->first;
    std::printf("%s already on %s\n", c.ip_text.c_str(), nic.c_str());
  }
  // The first announcement goes out now, so clients and switches learn the new
  // owner before start returns; the repeats (for lossy networks, slow switches)
  // come from a detached child, as resource-agents' IPaddr2 backgrounds its
  // sender: waiting for them would add (count-1) x interval to every failover.
  auto garp = send_gratuitous_arp(nic, htonl(c.ip), 1, 0);
  if (c.arp_count > 1) announce_in_background(c, nic);
  if (garp) {
    std::printf("gratuitous ARP for %s from %s on %s: %d requests, %d replies now, %d more %d ms apart in the background\n",
                c.ip_text.c_str(), garp->mac.c_str(), nic.c_str(), garp->requests, garp->replies, c.arp_count - 1,
                c.arp_interval);
  } else {
    // The address is up; a failed announcement is worth a warning, not a failed start.
    std::fprintf(stderr, "warning: no gratuitous ARP for %s: %s\n", c.ip_text.c_str(),
                 garp.status().message().c_str());
  }
  return rc(OcfRc::ok);
}

int stop(const Config& c) {
  auto present = find_address(c);
  if (!present) return rc(OcfRc::ok);
  CommandOutput o = run_command({c.ip_bin, "-4", "addr", "del", c.ip_text + "/" + std::to_string(present->second),
                                 "dev", present->first});
  if (o.exit_code != 0 && find_address(c)) {
    std::fprintf(stderr, "ocf-exit-reason:removing %s from %s failed: %s\n", c.ip_text.c_str(),
                 present->first.c_str(), o.err.c_str());
    return rc(OcfRc::err_generic);
  }
  std::printf("removed %s from %s\n", c.ip_text.c_str(), present->first.c_str());
  return rc(OcfRc::ok);
}

}  // namespace

int run_builtin_ipaddr2(const BuiltinCall& call) {
  if (call.action == "meta-data") {
    std::fwrite(kIpaddr2Metadata.data(), 1, kIpaddr2Metadata.size(), stdout);
    return rc(OcfRc::ok);
  }
  auto c = read_config(call);
  if (!c) return rc(OcfRc::not_configured);
  if (call.action == "start") return start(*c);
  if (call.action == "stop") return stop(*c);
  if (call.action == "monitor" || call.action == "status") {
    return find_address(*c) ? rc(OcfRc::ok) : rc(OcfRc::not_running);
  }
  if (call.action == "validate-all") {
    if (!c->nic.empty() && run_command({c->ip_bin, "link", "show", "dev", c->nic}).exit_code != 0) {
      std::fprintf(stderr, "ocf-exit-reason:interface %s does not exist\n", c->nic.c_str());
      return rc(OcfRc::not_configured);
    }
    return rc(OcfRc::ok);
  }
  return rc(OcfRc::unimplemented);
}

}  // namespace hactl::agents
