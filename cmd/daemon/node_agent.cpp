// NodeAgent's life: start (configuration, store, transports, membership,
// IPC, housekeeping), stop, and the membership view (DC, quorum) it derives.
#include "cmd/daemon/node_agent.h"

#include <unistd.h>

#include <algorithm>
#include <asio.hpp>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include <sodium.h>

#include "cmd/daemon/log.h"
#include "cmd/sys/file_io.h"
#include "cmd/sys/run_dir.h"
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
constexpr auto kPersistDelay = std::chrono::milliseconds(200);  // status changes written together

}  // namespace

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
  writer_ = std::make_unique<CibWriter>(*store_);
  log_info("cib", "loaded CIB " + cib_->version().to_string() + " from " + paths_.cib());

  uint64_t boot = next_boot();
  sealer_ = std::make_unique<net::FrameSealer>(net::Channel::bulk, members_.key, self_, boot, randombytes_random());
  guard_ = std::make_unique<net::FrameGuard>(net::Channel::bulk, members_.key, self_, members_.ids(), net::kMaxBulkFrameBytes);
  // The text of the CIB is made only when a whole copy must travel.
  sync_ = std::make_unique<net::CibSync>(self_, cib_->version(), [this] { return cib_->to_xml(); });
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

  persist_timer_ = std::make_unique<Timer>(io_);
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
  persist_pending_now();  // the writer's destructor finishes it
  if (ipc_) ipc_->close();
  if (membership_) membership_->stop();
  if (bulk_) bulk_->close();
  for (auto& [id, respond] : pending_) respond(ipc_error(ExitCode::disconnect, "the node agent is stopping"));
  pending_.clear();
  log_info("agent", "stopped");
  notify(&AgentListener::stopped);
}

void NodeAgent::persist_soon() {
  if (persist_pending_ || stopping_) return;
  persist_pending_ = true;
  persist_timer_->timer.expires_after(kPersistDelay);
  persist_timer_->timer.async_wait([this](std::error_code ec) {
    if (!ec) persist_pending_now();
  });
}

// Saved now (or superseded by a save_now): nothing is left pending.
void NodeAgent::persist_pending_now() {
  if (!persist_pending_) return;
  persist_pending_ = false;
  if (persist_timer_) persist_timer_->timer.cancel();
  if (writer_ && cib_) writer_->save_async(cib_->to_xml());
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

}  // namespace hactl::cmd::daemon
