#include "core/cluster_conf.h"
#include "core/utf8.h"

#include <algorithm>
#include <charconv>
#include <set>
#include <sstream>

namespace hactl::core {

namespace {

std::string trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

template <typename T>
bool to_number(const std::string& s, T* out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size();
}

Status bad(int line, const std::string& why) {
  return Status::config("cluster.conf line " + std::to_string(line) + ": " + why);
}

}  // namespace

const ClusterNode* ClusterConf::find(std::string_view name) const {
  for (const ClusterNode& n : nodes)
    if (n.name == name) return &n;
  return nullptr;
}

const ClusterNode* ClusterConf::find_id(uint32_t id) const {
  for (const ClusterNode& n : nodes)
    if (n.id == id) return &n;
  return nullptr;
}

Result<ClusterConf> parse_cluster_conf(std::string_view text) {
  if (auto bad = first_invalid_utf8(text))
    return Status::config("cluster.conf is not valid UTF-8 at byte " + std::to_string(*bad + 1));
  ClusterConf conf;
  std::istringstream in{std::string(text)};
  std::string raw;
  int lineno = 0;
  bool suspicion_given = false;
  std::set<uint32_t> ids;
  std::set<std::string> names;
  while (std::getline(in, raw)) {
    ++lineno;
    std::string line = trim(raw.substr(0, raw.find('#')));
    if (line.empty()) continue;
    if (line.rfind("node ", 0) == 0) {
      std::istringstream words(line.substr(5));
      std::string id, name, opt;
      ClusterNode n;
      if (!(words >> id >> name) || !to_number(id, &n.id) || n.id == 0) return bad(lineno, "expected 'node ID NAME addr=ADDR'");
      n.name = name;
      while (words >> opt) {
        if (opt.rfind("addr=", 0) == 0) n.addr = opt.substr(5);
        else if (opt.rfind("port=", 0) == 0) {
          if (!to_number(opt.substr(5), &n.port)) return bad(lineno, "invalid port '" + opt.substr(5) + "'");
        } else return bad(lineno, "unknown node option '" + opt + "'");
      }
      if (!ids.insert(n.id).second) return bad(lineno, "duplicate node id " + id);
      if (!names.insert(n.name).second) return bad(lineno, "duplicate node name " + name);
      conf.nodes.push_back(n);
      continue;
    }
    auto eq = line.find('=');
    if (eq == std::string::npos) return bad(lineno, "expected 'key = value'");
    std::string key = trim(line.substr(0, eq)), value = trim(line.substr(eq + 1));
    bool ok = true;
    if (key == "cluster_name") conf.cluster_name = value;
    else if (key == "cluster_uuid") conf.cluster_uuid = value;
    else if (key == "port") ok = to_number(value, &conf.port);
    else if (key == "probe_interval_ms") ok = to_number(value, &conf.probe_interval_ms) && conf.probe_interval_ms > 0;
    else if (key == "suspicion_ms") {
      ok = to_number(value, &conf.suspicion_ms) && conf.suspicion_ms > 0;
      suspicion_given = true;
    } else if (key == "failure_timeout_ms") ok = to_number(value, &conf.failure_timeout_ms) && conf.failure_timeout_ms > 0;
    else if (key == "two_node") conf.two_node = value == "1" || value == "true";
    else if (key == "wait_for_all") conf.wait_for_all = value == "1" || value == "true";
    else return bad(lineno, "unknown key '" + key + "'");
    if (!ok) return bad(lineno, "invalid value '" + value + "' for " + key);
  }
  if (conf.cluster_name.empty()) return Status::config("cluster.conf: cluster_name is missing");
  if (!suspicion_given) conf.suspicion_ms = std::max<int64_t>(20, (conf.failure_timeout_ms - conf.probe_interval_ms) / 3);
  if (conf.probe_interval_ms >= conf.failure_timeout_ms)
    return Status::config("cluster.conf: failure_timeout_ms must be larger than probe_interval_ms");
  if (conf.nodes.empty()) return Status::config("cluster.conf: no nodes");
  return conf;
}

std::string format_cluster_conf(const ClusterConf& c) {
  std::ostringstream out;
  out << "# hactl cluster configuration, written by 'hactl cluster setup'.\n"
      << "cluster_name = " << c.cluster_name << "\n";
  if (!c.cluster_uuid.empty()) out << "cluster_uuid = " << c.cluster_uuid << "\n";
  out << "port = " << c.port << "\n"
      << "probe_interval_ms = " << c.probe_interval_ms << "\n"
      << "failure_timeout_ms = " << c.failure_timeout_ms << "\n"
      << "two_node = " << (c.two_node ? 1 : 0) << "\n"
      << "wait_for_all = " << (c.wait_for_all ? 1 : 0) << "\n";
  for (const ClusterNode& n : c.nodes) {
    out << "node " << n.id << " " << n.name << " addr=" << n.addr;
    if (n.port) out << " port=" << n.port;
    out << "\n";
  }
  return out.str();
}

}  // namespace hactl::core
