#include "core/agent_confinement.h"

#include <string>

namespace hactl::core {

namespace {

constexpr std::string_view kFencePrefix = "fence_";

// One path component inside an agent directory.
bool is_file_name(std::string_view s) {
  if (s.empty() || s.front() == '.') return false;  // also ".", "..", hidden files
  for (unsigned char c : s)
    if (c == '/' || c < 0x20 || c == 0x7f) return false;
  return true;
}

// systemd's unit-name characters; a leading '-' would be read as an option.
bool is_unit_name(std::string_view s) {
  if (s.empty() || s.front() == '-' || s.front() == '.') return false;
  for (unsigned char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':' || c == '_' ||
              c == '.' || c == '-' || c == '\\' || c == '@';
    if (!ok) return false;
  }
  return true;
}

Status refused(std::string_view standard, std::string_view provider, std::string_view type, std::string_view why) {
  std::string name(standard);
  if (!provider.empty()) name += ":" + std::string(provider);
  name += ":" + std::string(type);
  return Status::error(ExitCode::not_installed, "Agent '" + name + "' is not allowed: " + std::string(why));
}

}  // namespace

bool is_runnable_standard(std::string_view s) {
  return s == "ocf" || s == "lsb" || s == "service" || s == "systemd" || s == "stonith";
}

Status check_agent_name(std::string_view standard, std::string_view provider, std::string_view type) {
  if (!is_runnable_standard(standard)) return refused(standard, provider, type, "hactl runs no agents of this class");
  if (standard == "ocf") {
    if (!is_file_name(provider)) return refused(standard, provider, type, "the provider must be a directory name of the OCF root");
    if (!is_file_name(type)) return refused(standard, provider, type, "the type must be a file name of the provider's directory");
    return {};
  }
  if (!provider.empty()) return refused(standard, provider, type, "only ocf agents have a provider");
  if (standard == "lsb") {
    if (!is_file_name(type)) return refused(standard, provider, type, "the type must be a file name of /etc/init.d");
    return {};
  }
  if (standard == "systemd" || standard == "service") {
    if (!is_unit_name(type)) return refused(standard, provider, type, "the type must be a systemd unit name");
    return {};
  }
  // stonith: fence agents only (hactl ships no built-in fence device).
  if (!type.starts_with(kFencePrefix) || type.size() == kFencePrefix.size() || !is_file_name(type))
    return refused(standard, provider, type, "stonith devices are fence agents, named fence_*");
  return {};
}

}  // namespace hactl::core
