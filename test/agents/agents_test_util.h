// Helpers shared by the agents tests: a temp root directory removed at the end,
// and executable scripts written into it.
#pragma once

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace hactl::agents::testing {

class TempRoot {
 public:
  TempRoot() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "hactl-agents-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempRoot() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempRoot(const TempRoot&) = delete;
  TempRoot& operator=(const TempRoot&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_ + "/" + rel; }

  // Writes `text` at root/rel (parents created), mode 0755 when executable.
  std::string write(const std::string& rel, const std::string& text, bool executable = true) const {
    std::string p = *this / rel;
    std::filesystem::create_directories(std::filesystem::path(p).parent_path());
    std::ofstream(p) << text;
    ::chmod(p.c_str(), executable ? 0755 : 0644);
    return p;
  }

 private:
  std::string path_;
};

// Live (non-zombie) processes whose process group is `pgid`, from /proc: kill(-pgid, 0)
// would also count zombies that init has not reaped yet.
inline int live_group_members(int pgid) {
  int n = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/proc", ec)) {
    std::ifstream in(e.path() / "stat");
    std::string stat;
    if (!std::getline(in, stat)) continue;
    size_t close = stat.rfind(')');
    if (close == std::string::npos) continue;
    char state = 0;
    int ppid = 0, pgrp = 0;
    if (std::sscanf(stat.c_str() + close + 2, "%c %d %d", &state, &ppid, &pgrp) == 3 && pgrp == pgid &&
        state != 'Z' && state != 'X')
      ++n;
  }
  return n;
}
inline bool process_group_exists(int pgid) { return live_group_members(pgid) > 0; }
// SIGKILL is delivered asynchronously: give the group up to 2 s to disappear.
inline bool group_gone(int pgid) {
  for (int i = 0; i < 200; ++i) {
    if (!process_group_exists(pgid)) return true;
    ::usleep(10000);
  }
  return false;
}

}  // namespace hactl::agents::testing
