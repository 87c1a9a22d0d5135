#include "cmd/invocation.h"

#include <cstdlib>
#include <set>

namespace hactl::cmd {

using core::Result;
using core::Status;

core::Result<Invocation> parse_invocation(const std::vector<std::string>& argv) {
  Invocation inv;
  if (const char* root = std::getenv("HACTL_ROOT"); root && *root) inv.root = root;
  if (const char* file = std::getenv("CIB_file"); file && *file) inv.cib_file = file;
  static const std::set<std::string> with_value = {"--group", "--before", "--after", "--name", "--corosync_conf",
                                                   "--lifetime", "--node", "--request-timeout"};
  std::map<std::string, bool Invocation::*> flags = {
      {"--force", &Invocation::force},       {"--full", &Invocation::full},
      {"--all", &Invocation::all},           {"--defaults", &Invocation::defaults},
      {"--disabled", &Invocation::disabled}, {"--no-default-ops", &Invocation::no_default_ops},
      {"--config", &Invocation::config},     {"--yes", &Invocation::yes},
      {"--debug", &Invocation::debug},       {"--expired", &Invocation::expired},
      {"--strict", &Invocation::strict},     {"--foreground", &Invocation::foreground},
      {"--help", &Invocation::help},
  };
  bool options_done = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (options_done || a.size() < 2 || a[0] != '-' || (a[1] != '-' && a != "-f" && a != "-h")) {
      // Negative scores such as -INFINITY or -100 are arguments, not options.
      inv.args.push_back(a);
      continue;
    }
    if (a == "--") { options_done = true; continue; }
    auto need_value = [&](const std::string& name) -> Result<std::string> {
      if (i + 1 >= argv.size()) return Status::usage("option '" + name + "' needs a value");
      return argv[++i];
    };
    std::string name = a, val;
    bool has_eq = false;
    if (auto eq = a.find('='); eq != std::string::npos) {
      name = a.substr(0, eq);
      val = a.substr(eq + 1);
      has_eq = true;
    }
    if (name == "-h") {
      inv.help = true;
    } else if (name == "-f") {
      auto v = need_value(name);
      if (!v) return v.status();
      inv.cib_file = *v;
    } else if (name == "--root") {
      if (!has_eq) { auto v = need_value(name); if (!v) return v.status(); val = *v; }
      inv.root = val;
    } else if (name == "--output-as" || name == "--output-format" || name == "--as") {
      if (!has_eq) { auto v = need_value(name); if (!v) return v.status(); val = *v; }
      if (val != "text" && val != "json" && val != "xml" && val != "cmd" && val != "console")
        return Status::usage("unknown output format '" + val + "', use text or json");
      inv.output = val == "console" ? "text" : val;
    } else if (name == "--wait") {
      inv.wait = has_eq ? val : "";
    } else if (with_value.count(name)) {
      if (!has_eq) { auto v = need_value(name); if (!v) return v.status(); val = *v; }
      // An empty group, node or name would be silently ignored downstream.
      if (val.empty()) return Status::usage("option '" + name + "' needs a non-empty value");
      inv.values[name.substr(2)] = val;
    } else if (auto f = flags.find(name); f != flags.end() && !has_eq) {
      inv.*(f->second) = true;
    } else if (name == "--master" || name == "--promoted") {
      inv.values["promoted"] = "1";
      if (name == "--master") inv.values["master"] = "1";  // pcs 0.9's spelling, noted where it is used
    } else {
      return Status::usage("unknown option '" + a + "'");
    }
  }
  return inv;
}

}  // namespace hactl::cmd
