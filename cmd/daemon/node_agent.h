// NodeAgent: the resident daemon of one node, wiring the pure modules to the
// OS on one asio io_context (single thread): membership over authenticated
// UDP, CIB replication over authenticated TCP, coordinator election and
// quorum from the membership view, the durable CIB store, and the local IPC
// server the CLI talks to.
//
// Configuration changes: the CLI reads the CIB, edits it, and sends it back
// with the version it started from (compare-and-swap). Whichever node gets it
// forwards it to the DC, which applies it only if nothing changed in between,
// makes it durable, replicates it, and then answers.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "cmd/daemon/cib_store.h"
#include "cmd/daemon/cib_writer.h"
#include "cmd/daemon/ipc_server.h"
#include "cmd/sys/node_paths.h"
#include "core/cluster_conf.h"
#include "net/cib_sync.h"
#include "net/membership_thread.h"
#include "net/quorum.h"

namespace asio {
class io_context;
}

namespace hactl::net {
class TcpTransport;
class FrameSealer;
class FrameGuard;
}  // namespace hactl::net

namespace hactl::cmd::daemon {

struct AgentOptions {
  std::string root = "/";
  std::string node;  // this node's name; empty: found from addresses / hostname
};

// Hooks for the controller (the DC's placement loop), called on the io thread.
struct AgentListener {
  std::function<void()> view_changed;  // membership, DC or quorum changed
  std::function<void()> cib_changed;   // the local CIB copy was replaced
  std::function<void()> stopped;       // stop() ran: release whatever keeps the io_context busy
};

class NodeAgent {
 public:
  NodeAgent(asio::io_context& io, AgentOptions options);
  ~NodeAgent();
  core::Status start();
  void stop();  // closes sockets; the io_context then runs out of work
  bool stopping() const { return stopping_; }

  // State for the controller and status answers.
  const core::ClusterConf& conf() const { return conf_; }
  std::string name_of(uint32_t id) const;
  const std::string& self_name() const { return self_name_; }
  uint32_t self_id() const { return self_; }
  bool is_dc() const;
  std::optional<uint32_t> dc() const { return dc_; }
  const net::QuorumState& quorum() const { return quorum_state_; }
  std::vector<uint32_t> up_members() const;
  const core::CibDocument& cib() const { return *cib_; }
  // How many times the local CIB was replaced by another node's copy (as a
  // member from the DC, or as the DC from the member holding a newer one
  // after a partition heals). The DC's controller re-probes after that.
  uint64_t adoptions() const { return adoptions_; }
  void add_listener(AgentListener l) { listeners_.push_back(std::move(l)); }
  // DC only: replace the CIB (status updates by the controller); persisted and replicated.
  core::Status commit_local(core::CibDocument doc);
  // Bulk-channel messages of other families (first payload byte >= 32; 1..31
  // are CIB replication). Sent sealed and authenticated like everything else.
  void send_bulk(uint32_t to, const std::vector<uint8_t>& payload);
  void add_bulk_handler(std::function<bool(uint32_t from, const std::vector<uint8_t>& payload)> h) {
    bulk_handlers_.push_back(std::move(h));
  }
  // Extra IPC ops (controller commands): return true if handled.
  void add_ipc_handler(std::function<bool(const nlohmann::json&, Respond)> h) { extra_ipc_.push_back(std::move(h)); }

 private:
  void on_member_event(const net::MemberEvent& e);
  void refresh_view();
  std::optional<uint32_t> on_bulk_frame(net::ByteView frame);
  void apply_effects(net::CibEffects& fx);
  void handle_ipc(const nlohmann::json& req, Respond respond);
  void dispatch_ipc(const nlohmann::json& req, Respond respond);
  nlohmann::json status_json() const;
  void apply_change(const net::IncomingChange& change);
  void adopt(net::CibCopy copy);
  void apply_delta(const net::DeltaToApply& d);
  void publish(core::CibDocument doc, std::optional<std::string> delta, std::string xml);

  asio::io_context& io_;
  AgentOptions options_;
  NodePaths paths_;
  core::ClusterConf conf_;
  net::ClusterMembers members_;
  uint32_t self_ = 0;
  std::string self_name_;
  std::unique_ptr<CibStore> store_;
  std::unique_ptr<CibWriter> writer_;  // after store_: stopped before it
  std::unique_ptr<core::CibDocument> cib_;
  std::unique_ptr<net::MembershipThread> membership_;
  std::unique_ptr<net::TcpTransport> bulk_;
  std::unique_ptr<net::FrameSealer> sealer_;
  std::unique_ptr<net::FrameGuard> guard_;
  std::unique_ptr<net::CibSync> sync_;
  std::unique_ptr<net::QuorumTracker> quorum_;
  net::QuorumState quorum_state_;
  std::optional<uint32_t> dc_;
  std::vector<uint32_t> last_up_;
  std::map<uint64_t, Respond> pending_;  // our change requests awaiting the DC
  std::unique_ptr<IpcServer> ipc_;
  std::vector<std::function<bool(const nlohmann::json&, Respond)>> extra_ipc_;
  std::vector<std::function<bool(uint32_t, const std::vector<uint8_t>&)>> bulk_handlers_;
  std::vector<AgentListener> listeners_;
  void notify(std::function<void()> AgentListener::*which);
  std::unique_ptr<class Timer> resync_timer_;
  // Status saves: the text is made at most once per kPersistDelay, for the
  // writer thread (a 1,000-resource CIB takes milliseconds to print).
  std::unique_ptr<class Timer> persist_timer_;
  bool persist_pending_ = false;
  void persist_soon();
  void persist_pending_now();
  bool stopping_ = false;
  uint64_t ticks_ = 0;
  uint64_t adoptions_ = 0;
  uint64_t dropped_seen_[2][16] = {};
  void log_dropped_frames();
  uint64_t refusals_seen_[16] = {};
  void log_refused_connections();
  uint64_t next_boot();
};

// The node this process is, from --node / HACTL_NODE, a unique local address
// in cluster.conf, or the host name.
core::Result<std::string> find_self(const core::ClusterConf& conf, const std::string& hint);

}  // namespace hactl::cmd::daemon
