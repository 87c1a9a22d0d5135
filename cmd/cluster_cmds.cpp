// `hactl cluster ...`: setup, cib, cib-push, verify, destroy, and the legacy
// `cluster standby|unstandby`. start/stop/status talk to the node agent.
#include <arpa/inet.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <iostream>
#include <sstream>

#include <sodium.h>

#include "cmd/cli.h"
#include "cmd/sys/file_io.h"
#include "core/cluster_conf.h"
#include "core/nvset_edit.h"
#include "core/printable_text.h"
#include "core/node_edit.h"
#include "core/verify.h"

namespace hactl::cmd {

using core::CibDocument;
using core::ExitCode;
using core::Status;

int print_verify(const std::vector<core::Finding>& findings, const std::string& tool);  // verify_output.cpp
int run_daemon_command(Invocation& inv, const std::string& sub, const Args& args);      // daemon_cmds.cpp

namespace {

bool is_ip(const std::string& s) {
  unsigned char buf[16];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

// Names resolve through the hosts file only: the static binary has no NSS.
std::string lookup_hosts(const std::string& root, const std::string& name) {
  auto text = read_file(under_root(root, "/etc/hosts"));
  if (!text) return "";
  std::istringstream in(*text);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line.substr(0, line.find('#')));
    std::string addr, alias;
    if (!(words >> addr)) continue;
    while (words >> alias)
      if (alias == name && is_ip(addr)) return addr;
  }
  return "";
}

// A TCP/UDP port: digits only, 1..65535 (atoi would wrap 99999 to 34463).
core::Result<uint16_t> parse_port(const std::string& text) {
  if (text.empty() || text.size() > 5 || text.find_first_not_of("0123456789") != std::string::npos)
    return Status::invalid("'" + text + "' is not a port number (1-65535)");
  long n = std::stol(text);
  if (n < 1 || n > 65535) return Status::invalid("'" + text + "' is not a port number (1-65535)");
  return static_cast<uint16_t>(n);
}

std::string random_hex(size_t bytes) {
  std::vector<unsigned char> b(bytes);
  randombytes_buf(b.data(), b.size());
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : b) {
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return out;
}

int setup(Invocation& inv, Args a) {
  // pcs refuses -f for setup: a cluster's key and membership belong to nodes,
  // and a CIB file gets its nodes from the cluster it is pushed to.
  if (Status s = refuse_cib_file(inv, "cluster setup"); !s) return fail(s);
  std::string name = inv.value("name");
  if (!name.empty()) legacy_note("cluster setup --name " + name + " NODE...", "cluster setup " + name + " NODE...");
  else if (!a.empty()) {
    name = a[0];
    a.erase(a.begin());
  }
  if (name.empty() || a.empty()) return usage_error("cluster setup CLUSTER_NAME NODE [addr=ADDR]... [NODE [addr=ADDR]...]...");
  core::ClusterConf conf;
  conf.cluster_name = name;
  for (const std::string& word : a) {
    std::string k, v;
    if (split_kv(word, &k, &v)) {
      if (conf.nodes.empty()) return usage_error("'" + word + "' must follow a node name");
      if (k == "addr") {
        // pcs allows addr=IP[:PORT]; an IPv6 address keeps its colons.
        std::string host = v;
        if (auto colon = v.rfind(':'); colon != std::string::npos && v.find(':') == colon) {
          host = v.substr(0, colon);
          auto port = parse_port(v.substr(colon + 1));
          if (!port) return fail(Status::invalid("invalid port in '" + word + "': " + port.status().message()));
          conf.nodes.back().port = *port;
        }
        if (!is_ip(host)) return fail(Status::invalid("'" + host + "' is not an IP address; hactl resolves names only at setup, from /etc/hosts"));
        conf.nodes.back().addr = host;
      } else {
        return usage_error("unknown node option '" + k + "', use addr=ADDRESS");
      }
      continue;
    }
    if (conf.find(word)) return fail(Status::exists("node '" + word + "' is given more than once"));
    conf.nodes.push_back({static_cast<uint32_t>(conf.nodes.size() + 1), word, "", 0});
  }
  for (auto& n : conf.nodes) {
    if (!n.addr.empty()) continue;
    n.addr = lookup_hosts(inv.root, n.name);
    if (n.addr.empty())
      return fail(Status::error(ExitCode::no_host, "Unable to resolve address for node '" + n.name +
                                                       "' from /etc/hosts, give it with " + n.name + " addr=ADDRESS"));
  }
  // Corosync's rule for two nodes: either one alone keeps quorum once both were seen.
  conf.two_node = conf.nodes.size() == 2;
  conf.wait_for_all = conf.two_node;
  conf.cluster_uuid = random_hex(16);

  NodePaths paths = paths_of(inv);
  if (file_exists(paths.cluster_conf()) && !inv.force)
    return fail(Status::exists("a cluster is already set up on this node (" + paths.cluster_conf() +
                               "); run 'hactl cluster destroy' first, or use --force to override"));
  if (Status s = make_dirs(paths.conf_dir(), 0755); !s) return fail(s);
  std::string key(crypto_aead_xchacha20poly1305_ietf_KEYBYTES, '\0');
  randombytes_buf(key.data(), key.size());
  if (Status s = write_file_atomic(paths.authkey(), key, 0400); !s) return fail(s);
  if (Status s = write_file_atomic(paths.cluster_conf(), core::format_cluster_conf(conf), 0644); !s) return fail(s);

  Invocation target = inv;
  if (Status s = make_dirs(paths.state_dir(), 0750); !s) return fail(s);
  target.cib_file = paths.cib();
  int rc = edit_cib(target, [&](CibDocument& doc) {
    std::vector<core::NodeSpec> nodes;
    for (auto& n : conf.nodes) nodes.push_back({std::to_string(n.id), n.name});
    core::ensure_nodes(doc, nodes);
    core::Element* set = core::ensure_nvset(doc, doc.section("crm_config"), "cluster_property_set", "cib-bootstrap-options");
    core::set_nvpair(doc, set, "cluster-name", name);
    return Status::ok();
  });
  if (rc != 0) return rc;
  std::cerr << "Cluster '" << name << "' has been set up with " << conf.nodes.size() << " node(s); copy "
              << paths.conf_dir() << " to every node, then run 'hactl cluster start --all'\n";
  if (conf.two_node)
    warn("two-node cluster: quorum follows two_node/wait_for_all; without fencing a split can run services twice");
  return 0;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + core::printable(n);
  return out;
}

// The cluster's node names: cluster.conf's when this node has one, else those
// of the CIB being replaced (a -f file of a cluster set up elsewhere).
std::vector<std::string> cluster_node_names(const Invocation& inv, const CibDocument& current) {
  if (auto text = read_file(paths_of(inv).cluster_conf()))
    if (auto conf = core::parse_cluster_conf(*text)) {
      std::vector<std::string> names;
      for (const auto& n : conf->nodes) names.push_back(n.name);
      return names;
    }
  return core::member_node_names(current);
}

// A pushed configuration with another cluster's <nodes> would drop this
// cluster's nodes from the CIB: refused unless --force, which says what changes.
// A file with no cluster behind it (no cluster.conf, no nodes yet) takes any.
Status check_pushed_nodes(const Invocation& inv, const CibDocument& current, const CibDocument& pushed) {
  std::vector<std::string> cluster = cluster_node_names(inv, current);
  if (cluster.empty()) return {};
  core::NodeNamesDiff d = core::diff_node_names(cluster, core::member_node_names(pushed));
  if (d.empty()) return {};
  std::string what;
  if (!d.dropped.empty()) what = "drop node(s) " + joined(d.dropped);
  if (!d.added.empty()) what += (what.empty() ? "" : " and ") + std::string("add node(s) ") + joined(d.added);
  if (!inv.force)
    return Status::config("Unable to push to the CIB: the nodes of the pushed configuration do not match the "
                          "cluster's nodes; it would " + what + ", use --force to override");
  warn("the pushed configuration's nodes do not match the cluster's: it will " + what);
  return {};
}

std::string scope_of(const Invocation& inv, const Args& a) {
  if (inv.config) return "configuration";
  for (auto& x : a)
    if (x.rfind("scope=", 0) == 0) return x.substr(6);
  return "";
}

int cib(Invocation& inv, const Args& a) {
  auto doc = load_cib(inv);
  if (!doc) return fail(doc.status());
  std::string scope = scope_of(inv, a);
  std::string out;
  if (scope.empty()) {
    out = doc->to_xml();
  } else {
    core::Element* e = scope == "configuration" ? doc->configuration()
                       : scope == "status"      ? core::first_child(doc->root(), "status")
                                                : doc->find_section(scope);
    if (!e) return fail(Status::not_found("unable to get section '" + scope + "' of the CIB"));
    tinyxml2::XMLPrinter printer;
    e->Accept(&printer);
    out = printer.CStr();
  }
  for (auto& x : a)
    if (x.find('=') == std::string::npos) {
      if (Status s = write_file_atomic(x, out); !s) return fail(s);
      return 0;
    }
  std::cout << out;
  return 0;
}

int cib_push(Invocation& inv, const Args& a) {
  std::string file;
  for (auto& x : a)
    if (x.find('=') == std::string::npos) file = x;
  if (file.empty()) return usage_error("cluster cib-push FILE [scope=SCOPE | --config]");
  auto text = read_file(file);
  if (!text) return fail(text.status());
  auto pushed = CibDocument::parse(*text);
  if (!pushed) return fail(Status::error(pushed.status().code(), "Unable to push '" + file + "': " + pushed.status().message()));
  auto findings = core::verify(*pushed, true);
  if (core::has_errors(findings)) {
    for (auto& f : findings)
      if (f.severity == core::Finding::Severity::error) std::cerr << "Error: " << core::printable(f.text) << "\n";
    return fail(Status::config("'" + file + "' is not a valid CIB; the current CIB is unchanged"));
  }
  std::string scope = scope_of(inv, a);
  int rc = edit_cib(inv, [&](CibDocument& doc) -> Status {
    if (scope.empty() || scope == "configuration" || scope == "nodes")
      if (Status s = check_pushed_nodes(inv, doc, *pushed); !s) return s;
    if (scope.empty()) {
      if (pushed->version() < doc.version() && !inv.force)
        return Status::error(ExitCode::old, "Unable to push to the CIB because pushed configuration is older than existing one "
                                           "(" + pushed->version().to_string() + " < " + doc.version().to_string() +
                                           "). Use --config to replace only the configuration, or --force");
      doc = pushed->clone();
      return {};
    }
    core::Element* from = scope == "configuration" ? pushed->configuration() : pushed->find_section(scope);
    if (!from) return Status::not_found("the pushed file has no '" + scope + "' section");
    core::Element* to = scope == "configuration" ? doc.configuration() : doc.section(scope);
    core::Element* copy = from->DeepClone(&doc.xml())->ToElement();
    to->Parent()->InsertAfterChild(to, copy);
    to->Parent()->DeleteChild(to);
    return {};
  });
  if (rc == 0) std::cerr << "CIB updated\n";
  return rc;
}

// Removes the node's key, configuration and CIB with its backups, and says
// "Removed" only when something was and nothing was left behind.
int remove_node_files(const NodePaths& p) {
  std::vector<std::string> files = {p.cluster_conf(), p.authkey(), p.cib()};
  for (int i = 1; i <= 20; ++i) files.push_back(p.cib() + "." + std::to_string(i));
  files.push_back(p.cib() + ".new");  // a version staged when a crash came
  int removed = 0;
  std::string failures;
  ExitCode code = ExitCode::io_err;
  for (const std::string& f : files) {
    if (::unlink(f.c_str()) == 0) ++removed;
    else if (errno != ENOENT) {
      if (errno == EACCES || errno == EPERM || errno == EROFS) code = ExitCode::insufficient_priv;
      failures += (failures.empty() ? "" : "; ") + f + ": " + std::strerror(errno);
    }
  }
  if (!failures.empty())
    return fail(Status::error(code, "unable to remove " + failures + (removed ? "" : " (nothing was removed)")));
  if (removed == 0)
    return fail(Status::error(ExitCode::not_configured, "nothing to remove: this node has no cluster configuration, key or CIB under " +
                                                            p.conf_dir() + " and " + p.state_dir()));
  std::cerr << "Removed the cluster configuration, keys and CIB of this node\n";
  return 0;
}

// Files that exist but that this user cannot remove: checked before the agent
// is stopped, so an unprivileged destroy changes nothing at all.
std::string unremovable(const NodePaths& p) {
  for (const std::string& f : {p.cluster_conf(), p.authkey(), p.cib()}) {
    if (!file_exists(f)) continue;
    std::string dir = f.substr(0, f.rfind('/'));
    if (::access(dir.c_str(), W_OK | X_OK) != 0) return f;
  }
  return "";
}

int destroy(Invocation& inv) {
  if (Status s = refuse_cib_file(inv, "cluster destroy"); !s) return fail(s);
  NodePaths p = paths_of(inv);
  if (std::string f = unremovable(p); !f.empty())
    return fail(Status::error(ExitCode::insufficient_priv, "unable to remove " + f + ": " + std::strerror(EACCES) +
                                                               " (run as root); nothing was removed"));
  if (!inv.force && !inv.yes) {
    std::cerr << "Warning: This will destroy the cluster configuration and keys on this node. Are you sure? [y/N] ";
    std::string answer;
    if (!isatty(STDIN_FILENO) || !std::getline(std::cin, answer) || (answer != "y" && answer != "yes"))
      return fail(Status::unsafe("cluster destroy not confirmed, use --force"));
  }
  // A running agent would keep the key in memory, rewrite cib.xml and go on
  // running resources: stop it first (it moves its resources away), or refuse.
  if (::access(p.socket().c_str(), F_OK) == 0) {
    std::cerr << "The node agent is running on this node: stopping it first\n";
    int rc = run_daemon_command(inv, "stop", {});
    if (rc != 0) return fail(Status::unsafe("the node agent could not be stopped; nothing was removed"));
  }
  return remove_node_files(p);
}

}  // namespace

int run_cluster(Invocation& inv, Args args) {
  if (args.empty()) return usage_error("cluster setup|start|stop|status|destroy|cib|cib-push|verify ...");
  std::string sub = args[0];
  Args rest(args.begin() + 1, args.end());
  if (sub == "setup") return setup(inv, rest);
  if (sub == "cib") return cib(inv, rest);
  if (sub == "cib-push") return cib_push(inv, rest);
  if (sub == "verify") {
    for (auto& x : rest)
      if (x != "-V" && x.find('=') == std::string::npos) inv.cib_file = x;
    auto doc = load_cib(inv);
    if (!doc) return fail(doc.status());
    return print_verify(core::verify(*doc), "hactl");
  }
  if (sub == "destroy") return destroy(inv);
  if (sub == "standby" || sub == "unstandby") {
    legacy_note("cluster " + sub, "node " + sub);
    return run_node(inv, [&] { Args n = {sub}; n.insert(n.end(), rest.begin(), rest.end()); return n; }());
  }
  return run_daemon_command(inv, sub, rest);
}

}  // namespace hactl::cmd
