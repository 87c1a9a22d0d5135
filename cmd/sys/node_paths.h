// Where a node keeps its files, all under the root prefix (--root/HACTL_ROOT),
// so several nodes can live on one machine. See docs/on-disk.md.
#pragma once

#include <string>

#include "cmd/sys/file_io.h"

namespace hactl::cmd {

struct NodePaths {
  std::string root = "/";
  std::string conf_dir() const { return under_root(root, "/etc/hactl"); }
  std::string cluster_conf() const { return conf_dir() + "/cluster.conf"; }
  std::string authkey() const { return conf_dir() + "/authkey"; }
  std::string state_dir() const { return under_root(root, "/var/lib/hactl"); }
  std::string cib() const { return state_dir() + "/cib.xml"; }
  std::string run_dir() const { return under_root(root, "/run/hactl"); }
  std::string socket() const { return run_dir() + "/hactl.sock"; }
  std::string pid_file() const { return run_dir() + "/hactl.pid"; }
  std::string log_file() const { return under_root(root, "/var/log/hactl/hactl.log"); }
};

}  // namespace hactl::cmd
