#include "cmd/daemon/node_agent.h"
#include "cmd/daemon/message_schema.h"
#include "core/cib_replace.h"
#include "core/cib_write_stamp.h"
#include "cmd/sys/json_text.h"

#include <ifaddrs.h>
#include <optional>
#include <netdb.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <asio.hpp>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include <sodium.h>

#include "cmd/daemon/log.h"
#include "cmd/sys/file_io.h"
#include "cmd/sys/run_dir.h"
#include "core/verify.h"
#include "net/election.h"
#include "net/frame_guard.h"
#include "net/tcp_transport.h"

namespace hactl::cmd::daemon {

using core::ExitCode;
using core::Status;
using json = nlohmann::json;

class Timer {
 public:
  explicit Timer(asio::io_context& io) : timer(io) {}
  asio::steady_timer timer;
};

namespace {

constexpr auto kHousekeeping = std::chrono::seconds(1);  // drop counters; replication re-check every 5th tick

std::vector<std::string> local_addresses() {
  std::vector<std::string> out;
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return out;
  for (ifaddrs* a = list; a; a = a->ifa_next) {
    if (!a->ifa_addr || (a->ifa_addr->sa_family != AF_INET && a->ifa_addr->sa_family != AF_INET6)) continue;
    char host[64];
    socklen_t len = a->ifa_addr->sa_family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6);
    if (::getnameinfo(a->ifa_addr, len, host, sizeof host, nullptr, 0, NI_NUMERICHOST) == 0) out.push_back(host);
  }
  ::freeifaddrs(list);
  return out;
}

net::CibCopy copy_of(const core::CibDocument& doc) { return {doc.version(), doc.to_xml()}; }

std::string version_text(const core::CibVersion& v) { return v.to_string(); }

}  // namespace

core::Result<std::string> find_self(const core::ClusterConf& conf, const std::string& hint) {
  std::string name = hint;
  if (name.empty())
    if (const char* env = std::getenv("HACTL_NODE"); env && *env) name = env;
  if (name.empty()) {
    auto mine = local_addresses();
    std::vector<std::string> matches;
    for (auto& n : conf.nodes)
      if (std::find(mine.begin(), mine.end(), n.addr) != mine.end()) matches.push_back(n.name);
    if (matches.size() == 1) name = matches[0];
  }
  if (name.empty()) {
    utsname u{};
    if (::uname(&u) == 0) name = std::string(u.nodename).substr(0, std::string(u.nodename).find('.'));
  }
  if (!conf.find(name))
    return Status::error(ExitCode::not_configured, "this node ('" + name + "') is not in the cluster configuration; "
                                                   "give its name with --node NAME or HACTL_NODE");
  return name;
}

NodeAgent::NodeAgent(asio::io_context& io, AgentOptions options)
    : io_(io), options_(std::move(options)), paths_{options_.root} {}

NodeAgent::~NodeAgent() { stop(); }

bool NodeAgent::is_dc() const { return dc_ && *dc_ == self_; }

std::vector<uint32_t> NodeAgent::up_members() const { return last_up_; }

// The boot value must grow from one start to the next (peers drop frames of
// an older boot as replays): the wall clock, but never below the last one + 1.
uint64_t NodeAgent::next_boot() {
  std::string file = paths_.state_dir() + "/boot";
  uint64_t last = 0;
  if (auto text = read_file(file)) last = std::strtoull(text->c_str(), nullptr, 10);
  uint64_t boot = std::max<uint64_t>(net::boot_from_realtime(), last + 1);
  write_file_atomic(file, std::to_string(boot) + "\n", 0600);
  return boot;
}

Status NodeAgent::start() {
  auto text = read_file(paths_.cluster_conf());
  if (!text) return Status::error(ExitCode::not_configured, "no cluster configuration (" + paths_.cluster_conf() + "): run 'hactl cluster setup' first");
  auto conf = core::parse_cluster_conf(*text);
  if (!conf) return conf.status();
  conf_ = *conf;
  auto me = find_self(conf_, options_.node);
  if (!me) return me.status();
  self_name_ = *me;
  self_ = conf_.find(self_name_)->id;

  auto key = read_file(paths_.authkey());
  if (!key) return Status::error(ExitCode::not_configured, "no cluster key (" + paths_.authkey() + ")");
  if (key->size() != net::KeyBytes{}.size())
    return Status::error(ExitCode::not_configured, paths_.authkey() + " has the wrong size (expected " + std::to_string(net::KeyBytes{}.size()) + " bytes)");
  members_.cluster_name = conf_.cluster_name;
  std::copy(key->begin(), key->end(), members_.key.begin());
  for (auto& n : conf_.nodes) members_.nodes.push_back({n.id, n.name, n.addr, n.port ? n.port : conf_.port});
  if (Status s = net::validate(members_); !s) return s;

  if (Status s = make_dirs(paths_.state_dir(), 0750); !s) return s;
  store_ = std::make_unique<CibStore>(paths_.cib());
  std::vector<std::string> warnings;
  auto doc = store_->load(&warnings);
  for (auto& w : warnings) log_warn("cib", w);
  if (!doc) return doc.status();
  cib_ = std::make_unique<core::CibDocument>(std::move(*doc));
  log_info("cib", "loaded CIB " + version_text(cib_->version()) + " from " + paths_.cib());

  uint64_t boot = next_boot();
  sealer_ = std::make_unique<net::FrameSealer>(net::Channel::bulk, members_.key, self_, boot, randombytes_random());
  guard_ = std::make_unique<net::FrameGuard>(net::Channel::bulk, members_.key, self_, members_.ids(), net::kMaxBulkFrameBytes);
  sync_ = std::make_unique<net::CibSync>(self_, copy_of(*cib_));
  quorum_ = std::make_unique<net::QuorumTracker>([&] {
    net::QuorumConfig q = net::QuorumConfig::defaults_for(members_.ids());
    q.two_node = conf_.two_node;
    q.wait_for_all = conf_.wait_for_all || conf_.two_node;
    return q;
  }());

  auto bulk = net::TcpTransport::open(
      io_, members_, self_, [this](net::ByteView f) { return on_bulk_frame(f); },
      [this] { return sealer_->seal({}); });
  if (!bulk) return bulk.status();
  bulk_ = std::move(*bulk);

  net::ServiceOptions so;
  so.members = members_;
  so.self = self_;
  so.boot = boot;
  so.config.probe_interval = net::Millis(conf_.probe_interval_ms);
  so.config.probe_timeout = net::Millis(std::max<int64_t>(1, conf_.probe_interval_ms * 2 / 5));
  so.config.suspicion_base = net::Millis(conf_.suspicion_ms);
  if (Status s = net::validate(so.config); !s) return s;
  net::ThreadOptions to;
  to.log = [](const std::string& line) { log_info("membership", line); };
  auto ms = net::MembershipThread::start(io_, so, [this](const net::MemberEvent& e) { on_member_event(e); }, to);
  if (!ms) return ms.status();
  membership_ = std::move(*ms);

  std::string run_dir_warning;
  if (Status s = prepare_run_dir(paths_, &run_dir_warning); !s) return s;
  if (!run_dir_warning.empty()) log_warn("agent", run_dir_warning + "; only root can reach the socket");
  auto ipc = IpcServer::open(io_, paths_.socket(), options_.root, [this](const json& r, Respond respond) { handle_ipc(r, respond); });
  if (!ipc) return ipc.status();
  ipc_ = std::move(*ipc);

  resync_timer_ = std::make_unique<Timer>(io_);
  auto schedule = std::make_shared<std::function<void()>>();
  *schedule = [this, schedule] {
    resync_timer_->timer.expires_after(kHousekeeping);
    resync_timer_->timer.async_wait([this, schedule](std::error_code ec) {
      if (ec || stopping_) return;
      membership_->loop_alive();
      log_dropped_frames();
      log_refused_connections();
      if (++ticks_ % 5 == 0 && sync_->is_dc() && !sync_->in_sync()) {
        net::CibEffects fx;
        sync_->resync(fx);
        apply_effects(fx);
      }
      (*schedule)();
    });
  };
  (*schedule)();

  log_info("agent", "node " + self_name_ + " (id " + std::to_string(self_) + ") of cluster " + conf_.cluster_name + " started, pid " +
                        std::to_string(::getpid()));
  refresh_view();
  return {};
}

void NodeAgent::stop() {
  if (stopping_) return;
  stopping_ = true;
  if (resync_timer_) resync_timer_->timer.cancel();
  if (ipc_) ipc_->close();
  if (membership_) membership_->stop();
  if (bulk_) bulk_->close();
  for (auto& [id, respond] : pending_) respond(ipc_error(ExitCode::disconnect, "the node agent is stopping"));
  pending_.clear();
  log_info("agent", "stopped");
  notify(&AgentListener::stopped);
}

// Frames that failed authentication are the sign of a misconfigured node (a
// wrong authkey) or of an attack: say so, once per change, with the reason.
void NodeAgent::log_dropped_frames() {
  const net::GuardCounters membership_guard = membership_->counters().guard;
  const net::GuardCounters* sources[] = {&membership_guard, &guard_->counters()};
  const char* names[] = {"membership", "bulk"};
  for (int i = 0; i < 2; ++i) {
    const net::GuardCounters& c = *sources[i];
    for (size_t r = 0; r < static_cast<size_t>(net::DropReason::count_); ++r) {
      uint64_t& seen = dropped_seen_[i][r];
      if (c.dropped[r] == seen) continue;
      log_warn("security", std::to_string(c.dropped[r] - seen) + " " + names[i] + " frame(s) dropped: " +
                               std::string(net::drop_reason_name(static_cast<net::DropReason>(r))) +
                               (static_cast<net::DropReason>(r) == net::DropReason::bad_auth
                                    ? " (a node with another cluster key, or forged traffic)"
                                    : ""));
      seen = c.dropped[r];
    }
  }
}

// Bulk connections closed by the transport's limits: junk, a scan, or an
// attempt to hold the node; one line per reason and change, like the drops.
void NodeAgent::log_refused_connections() {
  static_assert(static_cast<size_t>(net::InboundRefusal::count_) <= sizeof(refusals_seen_) / sizeof(uint64_t));
  if (!bulk_) return;
  const net::TcpCounters& c = bulk_->counters();
  const net::AdmissionLimits limits = net::TcpLimits{}.admission;
  for (size_t r = 0; r < static_cast<size_t>(net::InboundRefusal::count_); ++r) {
    uint64_t& seen = refusals_seen_[r];
    if (c.refusals[r] == seen) continue;
    const auto reason = static_cast<net::InboundRefusal>(r);
    std::string line = std::to_string(c.refusals[r] - seen) + " bulk connection(s) closed: " +
                       std::string(net::inbound_refusal_name(reason));
    switch (reason) {
      case net::InboundRefusal::handshake_deadline:
        line += " (no authenticated frame within " + std::to_string(limits.handshake_deadline.count()) + " ms)";
        break;
      case net::InboundRefusal::source_cap:
        line += " (over " + std::to_string(limits.per_source) + " unauthenticated from one address: oldest closed)";
        break;
      case net::InboundRefusal::total_cap:
        line += " (over " + std::to_string(limits.unauthenticated) + " unauthenticated in all: oldest closed)";
        break;
      case net::InboundRefusal::unauthenticated_length:
        line += " (first frame announced over " + std::to_string(net::kMaxUnauthenticatedFrameBytes) +
                " bytes before authentication)";
        break;
      case net::InboundRefusal::failed_authentication:
        line += " (first frame did not authenticate: another cluster key, or not a node)";
        break;
      case net::InboundRefusal::peer_cap:
      case net::InboundRefusal::idle:
      case net::InboundRefusal::count_:
        break;
    }
    // A node's own connections replaced or idle: housekeeping, not an attack.
    if (reason == net::InboundRefusal::peer_cap || reason == net::InboundRefusal::idle)
      log_info("bulk", line);
    else
      log_warn("security", line);
    seen = c.refusals[r];
  }
}

std::string NodeAgent::name_of(uint32_t id) const {
  for (auto& c : conf_.nodes)
    if (c.id == id) return c.name;
  return std::to_string(id);
}

void NodeAgent::notify(std::function<void()> AgentListener::*which) {
  for (auto& l : listeners_)
    if (l.*which) (l.*which)();
}

void NodeAgent::on_member_event(const net::MemberEvent& e) {
  log_info("membership", "node " + name_of(e.node) + " is " + std::string(net::member_state_name(e.state)) +
                             " (incarnation " + std::to_string(e.incarnation) + ")");
  refresh_view();
}

void NodeAgent::refresh_view() {
  if (stopping_ || !membership_) return;
  std::vector<uint32_t> up = membership_->view().up;
  if (std::find(up.begin(), up.end(), self_) == up.end()) up.push_back(self_);
  std::sort(up.begin(), up.end());
  auto dc = net::elect(up);
  auto q = quorum_->update(up);
  bool changed = up != last_up_ || dc != dc_ || !(q == quorum_state_);
  if (!changed) return;
  if (dc != dc_) log_info("election", "DC is " + (dc ? name_of(*dc) : std::string("none")));
  if (q.quorate != quorum_state_.quorate || up != last_up_)
    log_info("quorum", std::string(q.quorate ? "partition has quorum" : "partition WITHOUT quorum") + " (" +
                           std::to_string(q.present_votes) + "/" + std::to_string(q.total_votes) + " votes" +
                           (q.waiting_for_all ? ", waiting for all nodes" : "") + ")");
  if (dc != dc_ && !pending_.empty()) {
    // Requests forwarded to a DC that is gone will never be answered: fail them
    // now as "try again" (the CLI re-reads the CIB and redoes its edit on the
    // new DC). One the old DC applied before dying is then found already there.
    for (auto& [id, respond] : pending_)
      respond(ipc_error(ExitCode::temp_fail, "the coordinator changed while the change was in flight; retry"));
    pending_.clear();
  }
  last_up_ = up;
  dc_ = dc;
  quorum_state_ = q;
  net::CibEffects fx;
  sync_->on_view(up, dc, fx);
  apply_effects(fx);
  notify(&AgentListener::view_changed);
}

std::optional<uint32_t> NodeAgent::on_bulk_frame(net::ByteView frame) {
  net::DropReason why{};
  auto opened = guard_->open(frame, &why);
  if (!opened) return std::nullopt;  // counted by the guard
  const uint32_t from = opened->sender;
  if (opened->payload.empty()) return from;  // a connection's hello: the transport admits it
  if (opened->payload[0] >= 32) {
    // Even an authenticated peer may send a message this version cannot
    // read (a field of another type): it is refused, never fatal.
    try {
      for (auto& h : bulk_handlers_)
        if (h(from, opened->payload)) return from;
    } catch (const std::exception& e) {
      log_warn("bulk", "malformed message type " + std::to_string(opened->payload[0]) + " from node " + name_of(from) +
                           " ignored: " + e.what());
      return from;
    }
    log_warn("bulk", "unhandled message type " + std::to_string(opened->payload[0]) + " from node " + name_of(from));
    return from;
  }
  auto msg = net::decode_cib_message(opened->payload);
  if (!msg) {
    log_warn("replication", "undecodable message from node " + std::to_string(from));
    return from;
  }
  net::CibEffects fx;
  sync_->on_message(from, *msg, fx);
  apply_effects(fx);
  return from;
}

void NodeAgent::apply_effects(net::CibEffects& fx) {
  for (auto& send : fx.sends) {
    if (send.to == self_) {
      // The DC answering its own request: no network hop, and CibSync ignores
      // messages from itself, so the answer is handled right here.
      if (auto* reply = std::get_if<net::CibChangeReply>(&send.message)) fx.replies.push_back(*reply);
      continue;
    }
    net::Bytes payload = net::encode_cib_message(send.message);
    net::Bytes frame = sealer_->seal(payload);
    bulk_->send(send.to, frame);
  }
  fx.sends.clear();
  if (fx.adopt) adopt(*fx.adopt);
  for (auto& change : fx.changes) apply_change(change);
  for (auto& reply : fx.replies) {
    auto it = pending_.find(reply.request_id);
    if (it == pending_.end()) continue;
    if (reply.exit_code == 0)
      it->second({{"ok", true}, {"version", version_text(reply.version)}});
    else
      it->second(ipc_error(static_cast<ExitCode>(reply.exit_code), reply.message));
    pending_.erase(it);
  }
  for (auto& req : fx.not_sent) {
    auto it = pending_.find(req.request_id);
    if (it == pending_.end()) continue;
    it->second(ipc_error(ExitCode::unavailable, "no coordinator (DC) is reachable in this partition; change refused"));
    pending_.erase(it);
  }
}

void NodeAgent::send_bulk(uint32_t to, const std::vector<uint8_t>& payload) {
  if (stopping_ || !bulk_) return;
  if (to == self_) {  // local delivery keeps one code path for the DC's own node
    auto copy = payload;
    asio::post(io_, [this, copy] {
      for (auto& h : bulk_handlers_)
        if (h(self_, copy)) return;
    });
    return;
  }
  bulk_->send(to, sealer_->seal(payload));
}

void NodeAgent::adopt(net::CibCopy copy) {
  auto doc = core::CibDocument::parse(copy.cib);
  if (!doc) {
    log_error("replication", "refused a CIB from the DC that does not parse: " + doc.status().message());
    return;
  }
  if (Status s = store_->save(*doc); !s) {
    log_error("cib", "unable to persist the CIB: " + s.message());
    return;
  }
  log_info("replication", "adopted CIB " + version_text(doc->version()) + (is_dc() ? " from a member" : " from the DC"));
  *cib_ = std::move(*doc);
  ++adoptions_;
  notify(&AgentListener::cib_changed);
}

Status NodeAgent::commit_local(core::CibDocument doc) {
  if (!is_dc()) return Status::error(ExitCode::unavailable, "not the DC");
  if (Status s = store_->save(doc); !s) return s;
  *cib_ = std::move(doc);
  net::CibEffects fx;
  sync_->local_changed(copy_of(*cib_), fx);
  apply_effects(fx);
  notify(&AgentListener::cib_changed);
  return {};
}

// The DC applies a compare-and-swap replacement: {"cib", "base", "scope"}.
void NodeAgent::apply_change(const net::IncomingChange& change) {
  auto reply = [&](ExitCode code, const std::string& message) {
    net::CibEffects fx;
    sync_->reply(change.from, {change.request_id, core::to_int(code), message, cib_->version()}, fx);
    apply_effects(fx);
  };
  json req = json::parse(change.change, nullptr, false);
  auto is_text = [&](const char* key) { return !req.contains(key) || req.at(key).is_string(); };
  if (req.is_discarded() || !req.is_object() || !req.contains("cib") || !is_text("cib") || !is_text("base") || !is_text("scope") ||
      !is_text("base_cib") || !is_text("client") || !is_text("user"))
    return reply(ExitCode::protocol, "malformed change request");
  core::CibReplaceRequest request;
  request.cib = req.value("cib", std::string());
  request.base = req.value("base", std::string());
  request.base_cib = req.value("base_cib", std::string());
  request.scope = req.value("scope", std::string("all"));
  const core::CibVersion current = cib_->version();
  // As Pacemaker's CIB manager validates every update: whatever client sent
  // it, a configuration the CLI's own checks refuse is refused here too, and
  // so is what a merge with the current CIB would make of it.
  auto first_error = [](const core::CibDocument& d) -> std::optional<std::string> {
    for (const core::Finding& f : core::verify(d, true))
      if (f.severity == core::Finding::Severity::error) return f.text;
    return std::nullopt;
  };
  if (auto sent = core::CibDocument::parse(request.cib); !sent) return reply(sent.status().code(), sent.status().message());
  else if (auto e = first_error(*sent)) return reply(ExitCode::config, *e);
  auto doc = core::apply_cib_replace(*cib_, request);
  if (!doc) return reply(doc.status().code(), doc.status().message());
  if (auto e = first_error(*doc)) return reply(ExitCode::config, *e);
  // A configuration change carries who made it, as Pacemaker's CIB manager records it.
  const core::CibVersion next = doc->version();
  if (next.admin_epoch != current.admin_epoch || next.epoch != current.epoch)
    core::stamp_cib_write(*doc, {name_of(change.from), req.value("client", std::string("hactl")), req.value("user", std::string())},
                          std::time(nullptr));
  if (Status s = store_->save(*doc); !s) return reply(ExitCode::io_err, s.message());
  log_info("cib", "applied change from node " + std::to_string(change.from) + ": " + version_text(current) + " -> " +
                      version_text(doc->version()));
  *cib_ = std::move(*doc);
  net::CibEffects fx;
  sync_->local_changed(copy_of(*cib_), fx);
  apply_effects(fx);
  reply(ExitCode::ok, "");
  notify(&AgentListener::cib_changed);
}

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
          {"cib_version", version_text(cib_->version())},
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
  if (op == "cib_query") return respond({{"ok", true}, {"cib", cib_->to_xml()}, {"version", version_text(cib_->version())}});
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
