#include "cmd/daemon/ipc_server.h"
#include "cmd/json_text.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <asio.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cmd/file_io.h"

namespace hactl::cmd::daemon {

using asio::local::stream_protocol;
using json = nlohmann::json;

namespace {

constexpr size_t kMaxRequest = 16 * 1024 * 1024;  // a large CIB fits; a flood does not

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

struct IpcServer::Impl : std::enable_shared_from_this<IpcServer::Impl> {
  asio::io_context& io;
  stream_protocol::acceptor acceptor;
  RequestHandler handler;
  std::string path;
  int gid = -1;
  bool closed = false;

  Impl(asio::io_context& io_, RequestHandler h) : io(io_), acceptor(io_), handler(std::move(h)) {}

  void accept() {
    auto self = shared_from_this();
    acceptor.async_accept([self](std::error_code ec, stream_protocol::socket sock) {
      if (self->closed) return;
      if (!ec) {
        ::fcntl(sock.native_handle(), F_SETFD, FD_CLOEXEC);
        self->serve(std::make_shared<stream_protocol::socket>(std::move(sock)));
      }
      self->accept();
    });
  }

  bool allowed(stream_protocol::socket& sock) {
    ucred cred{};
    socklen_t len = sizeof cred;
    if (::getsockopt(sock.native_handle(), SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return false;
    if (cred.uid == 0 || cred.uid == ::geteuid()) return true;
    return gid >= 0 && (static_cast<int>(cred.gid) == gid || in_group(cred.pid, gid));
  }

  void serve(std::shared_ptr<stream_protocol::socket> sock) {
    auto buf = std::make_shared<std::string>();
    auto respond = [sock](const json& answer) {
      auto out = std::make_shared<std::string>(json_text(answer) + "\n");
      asio::async_write(*sock, asio::buffer(*out), [sock, out](std::error_code, size_t) {
        std::error_code ignore;
        sock->close(ignore);
      });
    };
    if (!allowed(*sock)) {
      respond(ipc_error(core::ExitCode::insufficient_priv, "permission denied: root or the haclient group only"));
      return;
    }
    read_more(sock, buf, respond);
  }

  void read_more(std::shared_ptr<stream_protocol::socket> sock, std::shared_ptr<std::string> buf, Respond respond) {
    auto chunk = std::make_shared<std::array<char, 65536>>();
    auto self = shared_from_this();
    sock->async_read_some(asio::buffer(*chunk), [self, sock, buf, chunk, respond](std::error_code ec, size_t n) {
      buf->append(chunk->data(), n);
      size_t nl = buf->find('\n');
      if (buf->size() > kMaxRequest) return respond(ipc_error(core::ExitCode::data_err, "request too large"));
      if (nl == std::string::npos && !ec) return self->read_more(sock, buf, respond);
      json req = json::parse(buf->substr(0, nl), nullptr, false);
      if (req.is_discarded() || !req.is_object() || !req.contains("op"))
        return respond(ipc_error(core::ExitCode::protocol, "malformed request: one JSON object with \"op\" expected"));
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
