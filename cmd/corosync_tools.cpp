// corosync-cfgtool and corosync-quorumtool personalities: the running agent's
// membership and quorum in corosync's text layout (core/corosync_text). Only
// the status views are answered; corosync's other commands are refused.
#include <ctime>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "cmd/cli.h"
#include "cmd/sys/ipc_client.h"
#include "core/corosync_text.h"

namespace hactl::cmd {

namespace {

core::Result<core::CorosyncView> view_of_agent() {
  auto inv = parse_invocation({});
  if (!inv) return inv.status();
  auto st = ipc_call(paths_of(*inv).socket(), nlohmann::json{{"op", "status"}}, 5000);
  if (!st) return st.status();
  core::CorosyncView v;
  v.local_id = st->value("node_id", 0u);
  v.quorate = st->value("quorate", false);
  const auto votes = st->value("votes", nlohmann::json::object());
  v.expected_votes = votes.value("total", 0);
  v.total_votes = votes.value("present", 0);
  v.quorum = votes.value("needed", 0);
  for (const auto& n : st->value("nodes", nlohmann::json::array())) {
    core::CorosyncMember m{n.value("id", 0u), n.value("name", ""), n.value("state", "") == "member"};
    if (m.id == v.local_id) {
      std::string addr = n.value("addr", "");
      v.local_addr = addr.substr(0, addr.rfind(':') == std::string::npos ? addr.size() : addr.rfind(':'));
    }
    v.members.push_back(m);
  }
  v.two_node = v.members.size() == 2;
  std::time_t now = std::time(nullptr);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a %b %e %H:%M:%S %Y", std::localtime(&now));
  v.date = buf;
  return v;
}

bool has_arg(int argc, char** argv, const std::string& a) {
  for (int i = 1; i < argc; ++i)
    if (argv[i] == a) return true;
  return false;
}

}  // namespace

int run_corosync_cfgtool(int argc, char** argv) {
  if (argc != 2 || !has_arg(argc, argv, "-s")) {
    std::cerr << "corosync-cfgtool: hactl answers only -s (link status)\n";
    return 1;
  }
  auto v = view_of_agent();
  if (!v) {
    std::cerr << "Could not initialize corosync configuration API error 2 (" << v.status().message() << ")\n";
    return 1;
  }
  std::cout << core::cfgtool_status_text(*v);
  return 0;
}

int run_corosync_quorumtool(int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    if (std::string a = argv[i]; a != "-s" && a != "-p" && a != "-H") {
      std::cerr << "corosync-quorumtool: hactl answers only -s / -p (quorum status), not " << a << "\n";
      return 1;
    }
  auto v = view_of_agent();
  if (!v) {
    std::cerr << "Cannot initialize QUORUM service (" << v.status().message() << ")\n";
    return 1;
  }
  std::cout << core::quorumtool_status_text(*v);
  return v->quorate ? 0 : 2;  // corosync-quorumtool: EXIT_NOT_QUORATE
}

}  // namespace hactl::cmd
