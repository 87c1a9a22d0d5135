#include "cmd/sys/ipc_client.h"
#include "cmd/sys/json_text.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include <nlohmann/json.hpp>

#include "cmd/sys/ipc_limits.h"

namespace hactl::cmd {

using core::ExitCode;
using core::Result;
using core::Status;

namespace {
int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
}  // namespace

Result<std::string> ipc_call_raw(const std::string& socket_path, const std::string& request, int timeout_ms) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (socket_path.size() >= sizeof addr.sun_path) return Status::invalid("socket path too long: " + socket_path);
  std::memcpy(addr.sun_path, socket_path.c_str(), socket_path.size() + 1);
  std::string msg = request + "\n";
  // The agent would refuse it after reading 16 MiB: say so without sending.
  if (msg.size() > kMaxIpcRequestBytes) return Status::error(ExitCode::data_err, ipc_request_too_large(msg.size()));
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::error(ExitCode::os_err, std::string("socket: ") + std::strerror(errno));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    int e = errno;
    ::close(fd);
    if (e == EACCES || e == EPERM)
      return Status::error(ExitCode::insufficient_priv, "permission denied on " + socket_path + ": the node agent answers root and the haclient group only");
    return Status::error(ExitCode::disconnect, "unable to reach the local hactl node agent (" + std::string(std::strerror(e)) +
                                                   "); is the cluster running on this node? ('hactl cluster start')");
  }
  size_t sent = 0;
  bool send_failed = false;
  while (sent < msg.size()) {
    ssize_t n = ::send(fd, msg.data() + sent, msg.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {  // the agent may have refused the request and said why: read on
      send_failed = true;
      break;
    }
    sent += static_cast<size_t>(n);
  }
  if (!send_failed) ::shutdown(fd, SHUT_WR);
  std::string answer;
  int64_t deadline = now_ms() + timeout_ms;
  char buf[65536];
  for (;;) {
    int left = static_cast<int>(deadline - now_ms());
    if (left <= 0) {
      ::close(fd);
      return Status::error(ExitCode::timeout, "the node agent did not answer within " + std::to_string(timeout_ms / 1000) + " s");
    }
    pollfd p{fd, POLLIN, 0};
    int r = ::poll(&p, 1, left);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) continue;
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // end of the answer, or a reset after it
    answer.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  if (answer.empty() && send_failed) return Status::error(ExitCode::disconnect, "lost the connection to the node agent");
  if (answer.empty()) return Status::error(ExitCode::disconnect, "the node agent closed the connection without an answer");
  return answer;
}

Result<nlohmann::json> ipc_call(const std::string& socket_path, const nlohmann::json& request, int timeout_ms) {
  auto raw = ipc_call_raw(socket_path, json_text(request), timeout_ms);
  if (!raw) return raw.status();
  auto j = nlohmann::json::parse(*raw, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status::error(ExitCode::protocol, "the node agent sent an unreadable answer");
  if (!j.value("ok", false)) {
    int code = j.value("code", 1);
    return Status::error(static_cast<ExitCode>(code), j.value("error", std::string("the node agent refused the request")));
  }
  return j;
}

}  // namespace hactl::cmd
