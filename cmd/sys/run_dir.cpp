#include "cmd/sys/run_dir.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "cmd/sys/file_io.h"

namespace hactl::cmd {

int group_id(const std::string& root, const std::string& group) {
  auto text = read_file(under_root(root, "/etc/group"));
  if (!text) return -1;
  std::istringstream in(*text);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string name, pw, gid;
    if (!std::getline(f, name, ':') || name != group) continue;
    std::getline(f, pw, ':');
    std::getline(f, gid, ':');
    if (gid.empty() || gid.find_first_not_of("0123456789") != std::string::npos) return -1;
    return std::atoi(gid.c_str());
  }
  return -1;
}

std::string user_name(const std::string& root, unsigned uid) {
  if (auto text = read_file(under_root(root, "/etc/passwd"))) {
    std::istringstream in(*text);
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream f(line);
      std::string name, pw, id;
      if (std::getline(f, name, ':') && std::getline(f, pw, ':') && std::getline(f, id, ':') && id == std::to_string(uid))
        return name;
    }
  }
  return uid == 0 ? "root" : std::to_string(uid);
}

core::Status prepare_run_dir(const NodePaths& paths, std::string* warning) {
  const std::string dir = paths.run_dir();
  if (core::Status s = make_dirs(dir.substr(0, dir.rfind('/')), 0755); !s) return s;
  if (core::Status s = make_dirs(dir, 0750); !s) return s;
  int gid = group_id(paths.root, "haclient");
  if (gid >= 0 && ::chown(dir.c_str(), static_cast<uid_t>(-1), static_cast<gid_t>(gid)) != 0)
    *warning = "unable to give " + dir + " the haclient group: " + std::strerror(errno);
  // 0750 whatever the umask or an older version left: the group may enter, nobody else.
  else if (::chmod(dir.c_str(), 0750) != 0)
    *warning = "unable to set the mode of " + dir + ": " + std::strerror(errno);
  return {};
}

}  // namespace hactl::cmd
