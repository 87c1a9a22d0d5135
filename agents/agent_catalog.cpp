#include "agents/agent_catalog.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <tuple>

#include "agents/builtin_agents.h"
#include "agents/process_runner.h"
#include "core/agent_confinement.h"

namespace hactl::agents {
namespace fs = std::filesystem;

namespace {

constexpr int64_t kMetadataTimeoutMs = 10000;
const char* const kUnitDirs[] = {"/etc/systemd/system", "/run/systemd/system", "/usr/lib/systemd/system",
                                 "/lib/systemd/system"};

bool is_executable_file(const std::string& p) {
  struct stat st{};
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0;
}

bool is_dir(const std::string& p) {
  std::error_code ec;
  return fs::is_directory(p, ec);
}

// Names of executable regular files in `dir` (hidden files and backups skipped).
std::vector<std::string> executables_in(const std::string& dir, std::string_view prefix = "") {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    std::string name = e.path().filename().string();
    if (name.empty() || name[0] == '.' || name.ends_with('~') || !name.starts_with(prefix)) continue;
    if (is_executable_file(e.path().string())) out.push_back(name);
  }
  return out;
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    size_t p = s.find(sep, start);
    parts.emplace_back(s.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
    if (p == std::string_view::npos) return parts;
    start = p + 1;
  }
}

bool less_name(const AgentName& a, const AgentName& b) {
  auto key = [](const AgentName& n) {
    std::string t = n.type;
    std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
    return std::make_tuple(n.standard, n.provider, t, n.type);
  };
  return key(a) < key(b);
}

// LSB init scripts describe themselves in a comment block; lsb agents have no
// meta-data action, so, like Pacemaker, hactl builds one from that block.
AgentMetadata lsb_metadata(const std::string& name, const std::string& file) {
  AgentMetadata md;
  md.name = name;
  md.version = "1.0";
  std::ifstream in(file);
  std::string line;
  bool in_block = false;
  while (std::getline(in, line)) {
    if (line.starts_with("### BEGIN INIT INFO")) in_block = true;
    else if (line.starts_with("### END INIT INFO")) break;
    else if (in_block && line.starts_with("# Short-Description:")) md.shortdesc = line.substr(20);
    else if (in_block && line.starts_with("# Description:")) md.longdesc = line.substr(14);
  }
  auto trim = [](std::string& s) {
    s.erase(0, s.find_first_not_of(" \t"));
    s.erase(s.find_last_not_of(" \t\r") + 1);
  };
  trim(md.shortdesc);
  trim(md.longdesc);
  if (md.shortdesc.empty()) md.shortdesc = name;
  for (const char* a : {"start", "stop", "status", "restart", "force-reload"}) {
    md.actions.push_back({a, "15s", "", "", ""});
  }
  md.actions[2].interval = "15s";
  md.actions[2].name = "monitor";
  md.actions.push_back({"meta-data", "5s", "", "", ""});
  return md;
}

AgentMetadata systemd_metadata(const std::string& unit) {
  AgentMetadata md;
  md.name = unit;
  md.version = "1.0";
  md.shortdesc = "systemd unit file for " + unit;
  md.longdesc = "Cluster controlled " + unit;
  md.actions = {{"start", "100s", "", "", ""},
                {"stop", "100s", "", "", ""},
                {"status", "100s", "", "", ""},
                {"monitor", "100s", "60s", "", ""},
                {"meta-data", "5s", "", "", ""}};
  return md;
}

}  // namespace

std::string AgentName::to_string() const {
  if (standard == "ocf") return standard + ":" + provider + ":" + type;
  return standard + ":" + type;
}

core::Status agent_not_installed(std::string_view name) {
  return core::Status::error(core::ExitCode::not_installed,
                             "Agent '" + std::string(name) + "' is not installed or does not provide valid metadata");
}

AgentCatalog::AgentCatalog(std::string root) : root_(std::move(root)) {
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
  if (root_.empty()) root_ = "/";
}

std::string AgentCatalog::path(std::string_view absolute) const {
  if (root_ == "/") return std::string(absolute);
  return root_ + std::string(absolute);
}

bool AgentCatalog::systemd_running() const { return is_dir(path("/run/systemd/system")); }

std::vector<std::string> AgentCatalog::base_environment() const {
  return {"PATH=/usr/sbin:/usr/bin:/sbin:/bin",
          "LC_ALL=C",
          "OCF_ROOT=" + ocf_root(),
          "OCF_FUNCTIONS_DIR=" + ocf_root() + "/lib/heartbeat",
          "OCF_RA_VERSION_MAJOR=1",
          "OCF_RA_VERSION_MINOR=1",
          "HA_LOGFACILITY=none",
          "HA_debug=0"};
}

std::vector<std::string> AgentCatalog::standards() const {
  std::vector<std::string> out{"ocf"};
  bool lsb = is_dir(path("/etc/init.d"));
  bool systemd = systemd_running();
  if (lsb) out.push_back("lsb");
  if (lsb || systemd) out.push_back("service");
  if (systemd) out.push_back("systemd");
  if (!executables_in(path("/usr/sbin"), "fence_").empty()) out.push_back("stonith");
  return out;
}

std::vector<std::string> AgentCatalog::providers() const {
  std::set<std::string> names;
  for (const auto& b : builtin_agents()) names.emplace(b.provider);
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(path("/usr/lib/ocf/resource.d"), ec)) {
    std::string n = e.path().filename().string();
    if (!n.empty() && n[0] != '.' && is_dir(e.path().string())) names.insert(n);
  }
  return {names.begin(), names.end()};
}

std::vector<AgentName> AgentCatalog::agents(std::string_view standard, std::string_view provider) const {
  std::set<AgentName> found;
  auto want = [&](std::string_view s) { return standard.empty() || standard == s; };
  if (want("ocf")) {
    for (const auto& p : providers()) {
      if (!provider.empty() && provider != p) continue;
      for (auto& t : executables_in(path("/usr/lib/ocf/resource.d/" + p))) found.insert({"ocf", p, t});
    }
    for (const auto& b : builtin_agents()) {
      if (provider.empty() || provider == b.provider)
        found.insert({"ocf", std::string(b.provider), std::string(b.type)});
    }
  }
  if (!provider.empty()) {
    std::vector<AgentName> v(found.begin(), found.end());
    std::sort(v.begin(), v.end(), less_name);
    return v;
  }
  std::vector<std::string> lsb = executables_in(path("/etc/init.d"));
  std::vector<std::string> units;
  if (systemd_running()) {
    std::set<std::string> u;
    for (const char* d : kUnitDirs) {
      std::error_code ec;
      for (const auto& e : fs::directory_iterator(path(d), ec)) {
        std::string n = e.path().filename().string();
        if (n.ends_with(".service") && n.find('@') == std::string::npos) u.insert(n.substr(0, n.size() - 8));
      }
    }
    units.assign(u.begin(), u.end());
  }
  if (want("lsb"))
    for (auto& n : lsb) found.insert({"lsb", "", n});
  if (want("systemd"))
    for (auto& n : units) found.insert({"systemd", "", n});
  if (want("service")) {
    for (auto& n : lsb) found.insert({"service", "", n});
    for (auto& n : units) found.insert({"service", "", n});
  }
  if (want("stonith"))
    for (auto& n : executables_in(path("/usr/sbin"), "fence_")) found.insert({"stonith", "", n});
  std::vector<AgentName> v(found.begin(), found.end());
  std::sort(v.begin(), v.end(), less_name);
  return v;
}

std::string AgentCatalog::on_disk_path(const AgentName& n) const {
  if (!core::check_agent_name(n.standard, n.provider, n.type)) return "";
  std::string p;
  if (n.standard == "ocf") {
    p = path("/usr/lib/ocf/resource.d/" + n.provider + "/" + n.type);
  } else if (n.standard == "lsb" || n.standard == "service") {
    p = path("/etc/init.d/" + n.type);
  } else if (n.standard == "stonith") {
    p = path("/usr/sbin/" + n.type);
  } else {
    return "";
  }
  return is_executable_file(p) ? p : "";
}

bool AgentCatalog::has_builtin(const AgentName& n) const {
  return n.standard == "ocf" && find_builtin(n.provider, n.type) != nullptr;
}

bool AgentCatalog::is_builtin(const AgentName& n) const { return has_builtin(n) && on_disk_path(n).empty(); }

core::Result<AgentName> AgentCatalog::resolve(std::string_view spec) const {
  std::vector<std::string> parts = split(spec, ':');
  for (const auto& p : parts) {
    if (p.empty() || p.find('/') != std::string::npos) return agent_not_installed(spec);
  }
  if (parts.size() == 1) {
    std::vector<AgentName> matches;
    for (auto& a : agents("ocf"))
      if (a.type == parts[0]) matches.push_back(a);
    if (matches.size() == 1) return matches[0];
    if (matches.empty()) {
      return core::Status::error(core::ExitCode::not_installed,
                                 "Unable to find agent '" + parts[0] + "', try specifying its full name");
    }
    std::string list;
    for (size_t i = 0; i < matches.size(); ++i) {
      list += (i == 0 ? "'" : (i + 1 == matches.size() ? " or '" : ", '")) + matches[i].to_string() + "'";
    }
    return core::Status::error(core::ExitCode::multiple,
                               "Multiple agents match '" + parts[0] + "', please specify full name: " + list);
  }
  AgentName n;
  if (parts.size() == 3 && parts[0] == "ocf") {
    n = {parts[0], parts[1], parts[2]};
    if (core::Status s = core::check_agent_name(n.standard, n.provider, n.type); !s) return s;
    if (has_builtin(n) || !on_disk_path(n).empty()) return n;
    return agent_not_installed(spec);
  }
  if (parts.size() != 2) return agent_not_installed(spec);
  n = {parts[0], "", parts[1]};
  if (core::is_runnable_standard(n.standard))
    if (core::Status s = core::check_agent_name(n.standard, "", n.type); !s) return s;
  if (n.standard == "lsb" || n.standard == "stonith") {
    if (!on_disk_path(n).empty()) return n;
  } else if (n.standard == "systemd" || n.standard == "service") {
    std::string unit = n.type.ends_with(".service") ? n.type.substr(0, n.type.size() - 8) : n.type;
    if (systemd_running()) {
      for (const char* d : kUnitDirs)
        if (fs::exists(path(std::string(d) + "/" + unit + ".service"))) return n;
    }
    if (n.standard == "service" && !on_disk_path(n).empty()) return n;
    if (n.standard == "systemd" && !systemd_running()) {
      return core::Status::error(core::ExitCode::not_installed,
                                 "Agent '" + std::string(spec) + "' cannot be used: systemd is not running on this node");
    }
  }
  return agent_not_installed(spec);
}

core::Result<AgentMetadata> AgentCatalog::builtin_metadata(const AgentName& n) const {
  const BuiltinAgent* b = n.standard == "ocf" ? find_builtin(n.provider, n.type) : nullptr;
  if (!b) return agent_not_installed(n.to_string());
  auto md = parse_ocf_metadata(b->metadata_xml);
  if (md) md->builtin = true;
  return md;
}

core::Result<AgentMetadata> AgentCatalog::metadata(const AgentName& n) const {
  std::string file = on_disk_path(n);
  if (n.standard == "ocf" || n.standard == "stonith") {
    if (file.empty()) return builtin_metadata(n);
    SpawnRequest req;
    req.argv = n.standard == "ocf" ? std::vector<std::string>{file, "meta-data"}
                                   : std::vector<std::string>{file, "-o", "metadata"};
    req.env = base_environment();
    if (n.standard == "ocf") req.env.push_back("OCF_RESOURCE_INSTANCE=" + n.type);
    req.timeout_ms = kMetadataTimeoutMs;
    req.output_cap = 1024 * 1024;
    ProcessOutcome o = run_process_sync(std::move(req));
    if (o.end != ProcessOutcome::End::exited || o.exit_code != 0 || o.out_dropped > 0) {
      return agent_not_installed(n.to_string());
    }
    auto md = parse_ocf_metadata(o.out);
    if (!md) return agent_not_installed(n.to_string());
    return md;
  }
  if (n.standard == "lsb" || (n.standard == "service" && !systemd_running())) {
    if (file.empty()) return agent_not_installed(n.to_string());
    return lsb_metadata(n.type, file);
  }
  if (n.standard == "systemd" || n.standard == "service") {
    if (!resolve(n.to_string())) return agent_not_installed(n.to_string());
    return systemd_metadata(n.type);
  }
  return agent_not_installed(n.to_string());
}

}  // namespace hactl::agents
