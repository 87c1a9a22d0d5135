// NodeAgent's local requests: ping, status, CIB query and replacement,
// shutdown, then the controller's handlers.
#include <unistd.h>

#include <asio.hpp>
#include <nlohmann/json.hpp>

#include "cmd/daemon/log.h"
#include "cmd/daemon/message_schema.h"
#include "cmd/daemon/node_agent.h"
#include "cmd/sys/file_io.h"
#include "cmd/sys/json_text.h"
#include "cmd/sys/run_dir.h"

namespace hactl::cmd::daemon {

using core::ExitCode;
using json = nlohmann::json;

json NodeAgent::status_json() const {
  json nodes = json::array();
  const auto& m = membership_->view();
  const net::UdpCounters udp = membership_->counters().udp;
  for (auto& n : conf_.nodes) {
    std::string state = n.id == self_ ? "member" : net::is_up(m.state_of(n.id)) ? "member" : "lost";
    nodes.push_back({{"id", n.id}, {"name", n.name}, {"addr", n.addr}, {"state", state},
                     {"membership", n.id == self_ ? "alive" : std::string(net::member_state_name(m.state_of(n.id)))}});
  }
  std::string dc_name = dc_ ? name_of(*dc_) : "";
  json partition = json::array();
  for (auto id : last_up_) partition.push_back(name_of(id));
  return {{"ok", true},
          {"cluster_name", conf_.cluster_name},
          {"node", self_name_},
          {"node_id", self_},
          {"pid", ::getpid()},
          {"dc", dc_name.empty() ? json(nullptr) : json(dc_name)},
          {"quorate", quorum_state_.quorate},
          {"votes", {{"present", quorum_state_.present_votes}, {"total", quorum_state_.total_votes}, {"needed", quorum_state_.needed}}},
          {"partition", partition},
          {"nodes", nodes},
          {"cib_version", cib_->version().to_string()},
          {"membership_traffic", {{"datagrams_sent", udp.sent},
                                  {"bytes_sent", udp.bytes_sent},
                                  {"datagrams_received", udp.received},
                                  {"bytes_received", udp.bytes_received}}}};
}

// A request whose fields have the wrong types (`{"op":5}`) makes nlohmann
// throw from deep inside a handler: it is answered as malformed, and the agent
// goes on.
void NodeAgent::handle_ipc(const json& req, Respond respond) {
  try {
    dispatch_ipc(req, respond);
  } catch (const std::exception& e) {
    log_warn("ipc", std::string("malformed request refused: ") + e.what());
    respond(ipc_error(ExitCode::protocol, std::string("malformed request: ") + e.what()));
  }
}

void NodeAgent::dispatch_ipc(const json& req, Respond respond) {
  if (std::string e = ipc_request_error(req); !e.empty()) return respond(ipc_error(ExitCode::protocol, "malformed request: " + e));
  std::string op = req.value("op", std::string());
  if (op == "ping") return respond({{"ok", true}, {"node", self_name_}, {"pid", ::getpid()}});
  if (op == "status") return respond(status_json());
  if (op == "cib_query") return respond({{"ok", true}, {"cib", cib_->to_xml()}, {"version", cib_->version().to_string()}});
  if (op == "cib_replace") {
    json change = {{"cib", req.value("cib", std::string())}, {"base", req.value("base", std::string())},
                   {"base_cib", req.value("base_cib", std::string())}, {"scope", req.value("scope", std::string("all"))},
                   {"client", req.value("client", std::string("hactl")).substr(0, 64)},
                   {"user", user_name(paths_.root, req.value("peer_uid", 0u))}};
    net::CibEffects fx;
    uint64_t id = sync_->request_change(json_text(change), fx);
    pending_[id] = std::move(respond);
    apply_effects(fx);
    return;
  }
  if (op == "shutdown") {
    respond({{"ok", true}});
    log_info("agent", "shutdown requested");
    asio::post(io_, [this] { stop(); });
    return;
  }
  for (auto& h : extra_ipc_)
    if (h(req, respond)) return;
  respond(ipc_error(ExitCode::invalid_param, "unknown request '" + op + "'"));
}

}  // namespace hactl::cmd::daemon
