// AgentCatalog: which resource agents exist on this node and what they accept.
// Reads the file system under a root directory (default "/", a temp dir in
// tests): OCF scripts in <root>/usr/lib/ocf/resource.d/<provider>/, LSB scripts
// in <root>/etc/init.d, systemd units in <root>/{etc,usr/lib,lib}/systemd/system
// (only when systemd runs: <root>/run/systemd/system exists), fence agents
// <root>/usr/sbin/fence_*. Built-in agents (builtin_agents.h) are always listed.
//
// Precedence: an on-disk OCF agent of the same name as a built-in wins (users
// keep the behaviour of the script they know); the resource meta attribute
// `hactl-builtin=true` selects the built-in anyway (see agents/README.md).
//
// Cheap to construct; every query reads the disk again (agents get installed
// while the daemon runs). metadata() of an on-disk agent runs it (blocking, with
// a timeout): call it from the CLI, or from a daemon only outside the event loop.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "agents/agent_metadata.h"
#include "core/status.h"

namespace hactl::agents {

struct AgentName {
  std::string standard, provider, type;
  std::string to_string() const;  // "ocf:heartbeat:IPaddr2", "systemd:httpd"
  auto operator<=>(const AgentName&) const = default;
};

class AgentCatalog {
 public:
  explicit AgentCatalog(std::string root = "/");

  std::vector<std::string> standards() const;  // ocf lsb service systemd stonith (those available)
  std::vector<std::string> providers() const;  // ocf providers: on-disk dirs + built-in (heartbeat, pacemaker)
  // Sorted; built-ins included (once, even when also on disk). Empty filters match all.
  std::vector<AgentName> agents(std::string_view standard = "", std::string_view provider = "") const;
  // "ocf:heartbeat:IPaddr2", "systemd:httpd", "lsb:foo", "service:foo", "stonith:fence_xvm", or a
  // bare OCF type "IPaddr2" (unique match, else an error listing the candidates).
  core::Result<AgentName> resolve(std::string_view spec) const;
  // Meta-data of the agent that runs by default: the on-disk agent's `meta-data` output when
  // there is one, else the built-in's. lsb/systemd/service agents get a generated description.
  core::Result<AgentMetadata> metadata(const AgentName& name) const;
  core::Result<AgentMetadata> builtin_metadata(const AgentName& name) const;

  // True when the agent that runs by default for this name is the built-in (no on-disk agent).
  bool is_builtin(const AgentName& name) const;
  bool has_builtin(const AgentName& name) const;
  // Path of the on-disk executable (OCF script, init script, fence agent), or "" if none.
  std::string on_disk_path(const AgentName& name) const;

  const std::string& root() const { return root_; }
  std::string path(std::string_view absolute) const;  // absolute path under root
  std::string ocf_root() const { return path("/usr/lib/ocf"); }
  bool systemd_running() const;
  // The environment every agent starts with (PATH, OCF_ROOT, OCF_RA_VERSION_*...).
  std::vector<std::string> base_environment() const;

 private:
  std::string root_;
};

// pcs's message for an agent that cannot be used, with ExitCode::not_installed.
core::Status agent_not_installed(std::string_view name);

}  // namespace hactl::agents
