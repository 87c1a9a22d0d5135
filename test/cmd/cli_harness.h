// Runs the real hactl binary (or a crm_* symlink to it) in a scratch directory
// and captures its exit code, stdout and stderr; also runs Debian's Pacemaker
// tools when installed, as oracles.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace hactl::test {

struct Run {
  int rc = -1;
  std::string out, err;
};

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

class Scratch {
 public:
  Scratch() {
    char tmpl[] = "/tmp/hactl-test-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
  }
  // An agent may still be removing its own files while this runs (remove_all
  // then fails on a vanished entry): never throw from here, retry a few times.
  ~Scratch() {
    for (int i = 0; i < 5; ++i) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
      if (!ec) return;
    }
  }
  const std::string& dir() const { return dir_; }
  std::string path(const std::string& name) const { return dir_ + "/" + name; }

  // Runs a shell command line in the scratch dir with HACTL_ROOT set to it.
  Run sh(const std::string& cmdline) const {
    std::string out = path(".out"), err = path(".err");
    std::string full = "cd " + quote(dir_) + " && export HACTL_ROOT=" + quote(dir_ + "/root") + " && { " + cmdline +
                       " ; } >" + out + " 2>" + err;
    int status = std::system(full.c_str());
    Run r;
    r.rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
  }
  // hactl with arguments (already shell-quoted where needed).
  Run hactl(const std::string& args) const { return sh(quote(HACTL_BINARY) + " " + args); }
  // A crm_* personality: the symlink to hactl next to the binary.
  static std::string tool_path(const std::string& name) {
    return std::filesystem::path(HACTL_BINARY).parent_path() / name;
  }
  Run tool(const std::string& name, const std::string& args) const { return sh(quote(tool_path(name)) + " " + args); }

 private:
  std::string dir_;
};

inline bool have(const std::string& program) {
  std::string cmd = program.rfind("test ", 0) == 0 ? program : "command -v " + program + " >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

}  // namespace hactl::test
