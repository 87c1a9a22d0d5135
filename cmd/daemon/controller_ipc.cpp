// The controller's IPC requests. They need the DC's state, so a node that is
// not the DC forwards them over the bulk channel and relays the answer.
//   ctl_state    {}                      -> settled?, transition, blocked, fencing history
//   ctl_cleanup  {rsc?, node?}           -> clear fail counts + history (re-probe)
//   ctl_fence    {node}                  -> fence a node now
//   ctl_shutdown {}                      -> stop this node's resources, then the agent (local only)
//   ctl_shutdown_all {}                  -> ask the DC to stop every resource and every agent
//   ctl_stop_node {node}                 -> that node stops as `cluster stop` typed on it would
#include <algorithm>
#include <set>

#include "cmd/daemon/controller.h"
#include "cmd/daemon/controller_messages.h"
#include "cmd/daemon/log.h"
#include "core/cib_model.h"

namespace hactl::cmd::daemon {

using json = nlohmann::json;
using core::ExitCode;

namespace {
constexpr int kForwardTimeoutMs = 90000;
}

bool Controller::on_ipc(const json& req, Respond respond) {
  std::string op = req.value("op", "");
  if (op == "ctl_shutdown_all") {
    send_to_dc(static_cast<uint8_t>(CtlMsg::stop_all), json::object());
  }
  if (op == "ctl_shutdown" || op == "ctl_shutdown_all") {
    shutdown([this, respond] {
      respond({{"ok", true}});
      asio::post(io_, [this] { agent_.stop(); });
    });
    return true;
  }
  if (op == "ctl_stop_node") {
    stop_node(req.value("node", ""), std::move(respond));
    return true;
  }
  if (op != "ctl_state" && op != "ctl_cleanup" && op != "ctl_fence") return false;
  if (agent_.is_dc()) {
    handle_dc_request(req, std::move(respond));
    return true;
  }
  auto dc = agent_.dc();
  if (!dc) {
    respond(ipc_error(ExitCode::unavailable, "no coordinator (DC) is reachable in this partition"));
    return true;
  }
  uint64_t qid = next_qid_++;
  forwards_[qid] = std::move(respond);
  auto timer = std::make_shared<asio::steady_timer>(io_, std::chrono::milliseconds(kForwardTimeoutMs));
  timer->async_wait([this, qid, timer](std::error_code) {
    auto it = forwards_.find(qid);
    if (it == forwards_.end()) return;
    it->second(ipc_error(ExitCode::timeout, "the DC did not answer"));
    forwards_.erase(it);
  });
  agent_.send_bulk(*dc, encode_ctl(CtlMsg::forward, {{"qid", qid}, {"req", req}}));
  return true;
}

// `cluster stop NODE`: the named node is asked to leave (please_leave, as the DC
// asks every node on `stop --all`); it then moves its resources away and exits
// like a local `cluster stop`. This node, when named, does that itself.
void Controller::stop_node(const std::string& node, Respond respond) {
  const core::ClusterNode* n = agent_.conf().find(node);
  if (!n) return respond(ipc_error(ExitCode::no_such, "node '" + node + "' is not in the cluster"));
  if (n->id == agent_.self_id()) {
    shutdown([this, respond] {
      respond({{"ok", true}, {"node", agent_.self_name()}});
      asio::post(io_, [this] { agent_.stop(); });
    });
    return;
  }
  const auto up = agent_.up_members();
  if (std::find(up.begin(), up.end(), n->id) == up.end())
    return respond(ipc_error(ExitCode::not_running, "node '" + node + "' is not running (not a member of this partition)"));
  log_info("controller", "cluster stop " + node + ": asking it to shut down");
  agent_.send_bulk(n->id, encode_ctl(CtlMsg::please_leave, json::object()));
  respond({{"ok", true}, {"node", node}});
}

void Controller::on_forward(uint32_t from, const json& m) {
  uint64_t qid = m.value("qid", uint64_t{0});
  json req = m.value("req", json::object());
  auto reply = [this, from, qid](const json& answer) {
    agent_.send_bulk(from, encode_ctl(CtlMsg::forward_reply, {{"qid", qid}, {"answer", answer}}));
  };
  if (!agent_.is_dc()) return reply(ipc_error(ExitCode::unavailable, "this node is no longer the DC; retry"));
  handle_dc_request(req, reply);
}

void Controller::on_forward_reply(const json& m) {
  auto it = forwards_.find(m.value("qid", uint64_t{0}));
  if (it == forwards_.end()) return;
  it->second(m.value("answer", json::object()));
  forwards_.erase(it);
}

json Controller::state_json() const {
  const core::control::CoordinatorState st = coordinator_.state();
  json fencing = json::array();
  for (const auto& f : st.fencing)
    fencing.push_back({{"target", f.target}, {"ok", f.ok}, {"when", f.when}, {"reason", f.reason}});
  return {{"ok", true},
          {"dc", agent_.self_name()},
          {"acting", st.acting},
          {"settled", st.settled},
          {"transition", st.transition},
          {"in_flight", st.in_flight},
          {"last_abort", st.last_abort},
          {"blocked", st.blocked},
          {"cib_version", st.cib_version},
          {"schedules", st.schedules},
          {"epoch", agent_.cib().version().epoch},
          // Results kept in memory because saving the status failed (disk full):
          // scheduling waits until they are durable.
          {"status_unsaved", status_batch_.failing() ? status_batch_.pending() : 0},
          {"fencing", fencing}};
}

void Controller::handle_dc_request(const json& req, Respond respond) {
  std::string op = req.value("op", "");
  if (op == "ctl_state") return respond(state_json());
  if (op == "ctl_cleanup") {
    auto reply = feed(core::control::CleanupRequested{req.value("rsc", ""), req.value("node", ""), req.value("refresh", false)});
    if (!reply || reply->code != ExitCode::ok)
      return respond(ipc_error(reply ? reply->code : ExitCode::error, reply ? reply->error : "no answer"));
    return respond({{"ok", true}, {"cleared", reply->cleared}});
  }
  if (op == "ctl_fence") {
    std::string node = req.value("node", "");
    if (!agent_.conf().find(node)) return respond(ipc_error(ExitCode::no_such, "node '" + node + "' is not in the cluster"));
    if (node == agent_.self_name())
      return respond(ipc_error(ExitCode::invalid_param, "the DC cannot fence itself; run this on another node"));
    start_fence(node, [this, respond, node](bool ok, std::string reason) {
      const bool cancelled = !ok && reason.rfind(FenceRunner::kCancelled, 0) == 0;
      if (ok) respond({{"ok", true}, {"node", node}});
      else respond(ipc_error(ExitCode::error, "fencing of " + node + " failed: " + reason));
      asio::post(io_, [this, node, ok, cancelled, reason] {
        feed(core::control::FenceFinished{node, ok, cancelled, reason, -1, 0});
      });
    });
    return;
  }
  respond(ipc_error(ExitCode::invalid_param, "unknown request '" + op + "'"));
}

}  // namespace hactl::cmd::daemon
