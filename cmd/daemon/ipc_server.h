// The node agent's local IPC server: a unix stream socket (mode 0600 unless a
// `haclient` group exists, then 0660 with that group), one JSON request per
// connection, answered by the handler possibly later (requests forwarded to
// the DC answer when the DC has). Peer credentials are checked with SO_PEERCRED:
// root, or a member of haclient; anyone else gets a refusal. The handler sees
// the caller's uid as the request's "peer_uid" (set by the server, never by the client).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "core/status.h"

namespace asio {
class io_context;
}

namespace hactl::cmd::daemon {

using Respond = std::function<void(const nlohmann::json& answer)>;
using RequestHandler = std::function<void(const nlohmann::json& request, Respond respond)>;

class IpcServer {
 public:
  static core::Result<std::unique_ptr<IpcServer>> open(asio::io_context& io, const std::string& path,
                                                       const std::string& root, RequestHandler handler);
  ~IpcServer();
  void close();

 private:
  struct Impl;
  explicit IpcServer(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<Impl> impl_;
};

// An error answer in the IPC format.
nlohmann::json ipc_error(core::ExitCode code, const std::string& message);

}  // namespace hactl::cmd::daemon
