// One CLI invocation: pcs-style global options (accepted anywhere on the line,
// as pcs's getopt does) separated from the command words and k=v arguments.
#pragma once

#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace hactl::cmd {

struct Invocation {
  std::vector<std::string> args;  // command words and arguments, options removed
  std::string cib_file;           // -f FILE (or CIB_file from the environment)
  std::string root = "/";         // --root DIR or HACTL_ROOT: prefix of every path hactl touches
  std::string output = "text";    // --output-as / --output-format: text | json | xml | cmd
  std::optional<std::string> wait;  // --wait[=SECONDS]
  std::map<std::string, std::string> values;  // --group G, --before R, --after R, --name N, --corosync_conf F...
  bool force = false, full = false, all = false, defaults = false, disabled = false, no_default_ops = false;
  bool config = false, yes = false, debug = false, expired = false, strict = false, foreground = false, help = false;

  bool json() const { return output == "json"; }
  std::string value(const std::string& key) const {
    auto it = values.find(key);
    return it == values.end() ? "" : it->second;
  }
};

// Parses argv (without argv[0]). Environment: HACTL_ROOT, CIB_file.
core::Result<Invocation> parse_invocation(const std::vector<std::string>& argv);

}  // namespace hactl::cmd
