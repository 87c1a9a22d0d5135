// Which configured node this process is (find_self, declared in node_agent.h).
#include <ifaddrs.h>
#include <netdb.h>
#include <sys/utsname.h>

#include <algorithm>
#include <cstdlib>

#include "cmd/daemon/node_agent.h"

namespace hactl::cmd::daemon {

namespace {

std::vector<std::string> local_addresses() {
  std::vector<std::string> out;
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return out;
  for (ifaddrs* a = list; a; a = a->ifa_next) {
    if (!a->ifa_addr || (a->ifa_addr->sa_family != AF_INET && a->ifa_addr->sa_family != AF_INET6)) continue;
    char host[64];
    socklen_t len = a->ifa_addr->sa_family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6);
    if (::getnameinfo(a->ifa_addr, len, host, sizeof host, nullptr, 0, NI_NUMERICHOST) == 0) out.push_back(host);
  }
  ::freeifaddrs(list);
  return out;
}

}  // namespace

core::Result<std::string> find_self(const core::ClusterConf& conf, const std::string& hint) {
  std::string name = hint;
  if (name.empty())
    if (const char* env = std::getenv("HACTL_NODE"); env && *env) name = env;
  if (name.empty()) {
    auto mine = local_addresses();
    std::vector<std::string> matches;
    for (auto& n : conf.nodes)
      if (std::find(mine.begin(), mine.end(), n.addr) != mine.end()) matches.push_back(n.name);
    if (matches.size() == 1) name = matches[0];
  }
  if (name.empty()) {
    utsname u{};
    if (::uname(&u) == 0) name = std::string(u.nodename).substr(0, std::string(u.nodename).find('.'));
  }
  if (!conf.find(name))
    return core::Status::error(core::ExitCode::not_configured, "this node ('" + name + "') is not in the cluster configuration; "
                                                   "give its name with --node NAME or HACTL_NODE");
  return name;
}

}  // namespace hactl::cmd::daemon
