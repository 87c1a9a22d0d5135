#include "cmd/daemon/ipc_server.h"
#include "cmd/sys/json_text.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <asio.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cmd/sys/file_io.h"
#include "cmd/sys/ipc_limits.h"

namespace hactl::cmd::daemon {

using asio::local::stream_protocol;
using json = nlohmann::json;

namespace {

// The haclient group id from the root's /etc/group (no NSS in a static binary).
int haclient_gid(const std::string& root) {
  auto text = read_file(under_root(root, "/etc/group"));
  if (!text) return -1;
  std::istringstream in(*text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("haclient:", 0) != 0) continue;
    std::istringstream f(line);
    std::string name, pw, gid;
    std::getline(f, name, ':');
    std::getline(f, pw, ':');
    std::getline(f, gid, ':');
    return std::atoi(gid.c_str());
  }
  return -1;
}

bool in_group(pid_t pid, int gid) {
  auto status = read_file("/proc/" + std::to_string(pid) + "/status");
  if (!status) return false;
  std::istringstream in(*status);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("Groups:", 0) == 0) {
      std::istringstream g(line.substr(7));
      int x;
      while (g >> x)
        if (x == gid) return true;
    }
  return false;
}

}  // namespace

json ipc_error(core::ExitCode code, const std::string& message) {
  return {{"ok", false}, {"code", core::to_int(code)}, {"error", message}};
}

// One client connection. The request must arrive whole within
// kIpcRequestDeadlineMs; the answer (now or when the DC has answered) closes
// it. `live` counts connections from accept to close, for the cap.
struct IpcConnection : std::enable_shared_from_this<IpcConnection> {
  IpcConnection(stream_protocol::socket s, asio::io_context& io, std::shared_ptr<size_t> live)
      : sock(std::move(s)), deadline(io), live(std::move(live)) {
    ++*this->live;
  }
  ~IpcConnection() {  // the answer never came (dropped unanswered): the socket closes itself
    if (!finished) --*live;
  }
  stream_protocol::socket sock;
  asio::steady_timer deadline;
  std::shared_ptr<size_t> live;
  std::string buf;
  std::array<char, 65536> chunk{};
  bool dispatched = false, answered = false, finished = false;
  uint32_t peer_uid = 0;  // from SO_PEERCRED: who asks, whatever the request says

  void finish() {
    if (finished) return;
    finished = true;
    --*live;
    std::error_code ignore;
    deadline.cancel();
    sock.close(ignore);
  }
  // Writes the one answer, then closes; later calls do nothing.
  void answer(const json& a) {
    if (answered) return;
    answered = true;
    deadline.cancel();
    auto out = std::make_shared<std::string>(json_text(a) + "\n");
    asio::async_write(sock, asio::buffer(*out), [self = shared_from_this(), out](std::error_code, size_t) { self->finish(); });
  }
};

struct IpcServer::Impl : std::enable_shared_from_this<IpcServer::Impl> {
  asio::io_context& io;
  stream_protocol::acceptor acceptor;
  RequestHandler handler;
  std::string path;
  int gid = -1;
  bool closed = false;
  std::shared_ptr<size_t> live = std::make_shared<size_t>(0);

  Impl(asio::io_context& io_, RequestHandler h) : io(io_), acceptor(io_), handler(std::move(h)) {}

  void accept() {
    auto self = shared_from_this();
    acceptor.async_accept([self](std::error_code ec, stream_protocol::socket sock) {
      if (self->closed) return;
      if (!ec) {
        ::fcntl(sock.native_handle(), F_SETFD, FD_CLOEXEC);
        self->serve(std::make_shared<IpcConnection>(std::move(sock), self->io, self->live));
      }
      self->accept();
    });
  }

  bool allowed(IpcConnection& conn) {
    ucred cred{};
    socklen_t len = sizeof cred;
    if (::getsockopt(conn.sock.native_handle(), SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return false;
    conn.peer_uid = cred.uid;
    if (cred.uid == 0 || cred.uid == ::geteuid()) return true;
    return gid >= 0 && (static_cast<int>(cred.gid) == gid || in_group(cred.pid, gid));
  }

  void serve(const std::shared_ptr<IpcConnection>& conn) {
    if (*live > kMaxIpcConnections)  // this one is counted
      return conn->answer(ipc_error(core::ExitCode::temp_fail, "the node agent has " + std::to_string(kMaxIpcConnections) +
                                                                   " connections open; try again"));
    if (!allowed(*conn))
      return conn->answer(ipc_error(core::ExitCode::insufficient_priv, "permission denied: root or the haclient group only"));
    conn->deadline.expires_after(std::chrono::milliseconds(kIpcRequestDeadlineMs));
    conn->deadline.async_wait([conn](std::error_code ec) {
      if (ec || conn->dispatched) return;
      conn->answer(ipc_error(core::ExitCode::timeout, "no complete request within " +
                                                          std::to_string(kIpcRequestDeadlineMs / 1000) + " s"));
    });
    read_more(conn);
  }

  void read_more(const std::shared_ptr<IpcConnection>& conn) {
    auto self = shared_from_this();
    conn->sock.async_read_some(asio::buffer(conn->chunk), [self, conn](std::error_code ec, size_t n) {
      if (self->closed || conn->answered || conn->finished) return;  // timed out, refused or closed
      auto* buf = &conn->buf;
      const size_t searched = buf->size();  // no newline before: look only at the new bytes
      buf->append(conn->chunk.data(), n);
      size_t nl = buf->find('\n', searched);
      if (buf->size() > kMaxIpcRequestBytes)
        return conn->answer(ipc_error(core::ExitCode::data_err, ipc_request_too_large(buf->size(), true)));
      if (nl == std::string::npos && !ec) return self->read_more(conn);
      conn->dispatched = true;
      conn->deadline.cancel();
      auto respond = [conn](const json& answer) { conn->answer(answer); };
      json req = json::parse(buf->substr(0, nl), nullptr, false);
      if (req.is_discarded() || !req.is_object() || !req.contains("op"))
        return respond(ipc_error(core::ExitCode::protocol, "malformed request: one JSON object with \"op\" expected"));
      req["peer_uid"] = conn->peer_uid;  // the kernel's word, never the client's
      self->handler(req, respond);
    });
  }
};

core::Result<std::unique_ptr<IpcServer>> IpcServer::open(asio::io_context& io, const std::string& path,
                                                         const std::string& root, RequestHandler handler) {
  auto impl = std::make_shared<Impl>(io, std::move(handler));
  impl->path = path;
  impl->gid = haclient_gid(root);
  ::unlink(path.c_str());
  std::error_code ec;
  impl->acceptor.open(stream_protocol(), ec);
  if (!ec) ::fcntl(impl->acceptor.native_handle(), F_SETFD, FD_CLOEXEC);
  mode_t old = ::umask(0177);  // never world-accessible, not even for an instant
  if (!ec) impl->acceptor.bind(stream_protocol::endpoint(path), ec);
  ::umask(old);
  if (!ec) impl->acceptor.listen(64, ec);
  if (ec) return core::Status::error(core::ExitCode::os_err, "unable to listen on " + path + ": " + ec.message());
  if (impl->gid >= 0) {
    if (::chown(path.c_str(), 0, static_cast<gid_t>(impl->gid)) == 0) ::chmod(path.c_str(), 0660);
  }
  impl->accept();
  return std::unique_ptr<IpcServer>(new IpcServer(impl));
}

IpcServer::~IpcServer() { close(); }

void IpcServer::close() {
  if (!impl_ || impl_->closed) return;
  impl_->closed = true;
  std::error_code ec;
  impl_->acceptor.close(ec);
  ::unlink(impl_->path.c_str());
}

}  // namespace hactl::cmd::daemon
