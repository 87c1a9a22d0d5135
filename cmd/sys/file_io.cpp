#include "cmd/sys/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace hactl::cmd {

using core::ExitCode;
using core::Result;
using core::Status;

namespace {
std::string errno_text() { return std::strerror(errno); }

std::string dir_of(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}
}  // namespace

Result<std::string> read_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::error(ExitCode::no_input, "Unable to read '" + path + "': " + errno_text());
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return Status::error(ExitCode::io_err, "Unable to read '" + path + "': " + errno_text());
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

namespace {
// Errors name `shown`: the file the user asked for, not its temporary name.
Status write_synced(const std::string& path, const std::string& shown, const std::string& content, unsigned mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Status::error(ExitCode::cant_create, "Unable to write '" + shown + "': " + errno_text());
  ::fchmod(fd, mode);  // umask must not widen or narrow the mode we promise (authkey 0400)
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Status s = Status::error(ExitCode::io_err, "Unable to write '" + shown + "': " + errno_text());
      ::close(fd);
      ::unlink(path.c_str());
      return s;
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    Status s = Status::error(ExitCode::io_err, "Unable to write '" + shown + "': " + errno_text());
    ::unlink(path.c_str());
    return s;
  }
  return {};
}
}  // namespace

Status write_file_synced(const std::string& path, const std::string& content, unsigned mode) {
  return write_synced(path, path, content, mode);
}

Status write_file_atomic(const std::string& path, const std::string& content, unsigned mode) {
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  if (Status s = write_synced(tmp, path, content, mode); !s) return s;
  if (Status s = rename_durably(tmp, path); !s) {
    ::unlink(tmp.c_str());
    return s;
  }
  return {};
}

Status rename_durably(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0)
    return Status::error(ExitCode::io_err, "Unable to replace '" + to + "': " + errno_text());
  int dfd = ::open(dir_of(to).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return {};
}

Status make_dirs(const std::string& path, unsigned mode) {
  std::string cur;
  size_t pos = 0;
  while (pos != std::string::npos) {
    pos = path.find('/', pos + 1);
    cur = path.substr(0, pos);
    if (cur.empty()) continue;
    if (::mkdir(cur.c_str(), mode) != 0 && errno != EEXIST)
      return Status::error(ExitCode::cant_create, "Unable to create directory '" + cur + "': " + errno_text());
  }
  return {};
}

bool file_exists(const std::string& path) {
  struct stat st{};
  return ::stat(path.c_str(), &st) == 0;
}

std::string under_root(const std::string& root, const std::string& path) {
  if (root.empty() || root == "/") return path;
  std::string r = root;
  while (r.size() > 1 && r.back() == '/') r.pop_back();
  return r + path;
}

}  // namespace hactl::cmd
