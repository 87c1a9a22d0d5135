// SimAgent: one node agent process in the simulator, the production glue of
// cmd/daemon reproduced over the real pure machines:
// - node_agent.cpp: membership view -> elect -> quorum -> CibSync::on_view;
//   CibSync effects (sends, adopt, change requests, replies); commit_local;
//   apply_change (a client's compare-and-swap replacement, verified, merged);
//   the housekeeping resync of an out-of-sync DC every 5 s;
// - controller*.cpp: the coordinator driven with inputs()/feed()/apply(), a
//   10 ms status batch flushed whenever the coordinator reads the CIB (and
//   so re-entrantly, as in the daemon), the node side: a hello with session
//   and dcs_followed on every view change, execute requests run on the
//   node's executor, results sent to the current DC and to the node that
//   asked, and the leave / leave_done graceful shutdown.
// Its environment (SimEnv) is the cluster: clock, bulk links, executor, disk.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/cib_document.h"
#include "core/cluster_conf.h"
#include "core/control/coordinator.h"
#include "net/cib_sync.h"
#include "net/quorum.h"
#include "test/sim/fake_executor.h"
#include "test/sim/sim_messages.h"

namespace hactl::test::sim {

class SimEnv {
 public:
  virtual ~SimEnv() = default;
  virtual int64_t now_ms() const = 0;
  virtual void send(uint32_t from, uint32_t to, SimMessage m) = 0;
  virtual void save_cib(uint32_t node, const std::string& xml) = 0;  // the node's disk
  // A configuration write this node asked for was answered (code 0: acknowledged).
  virtual void write_answered(uint32_t node, uint64_t request_id, int code, const core::CibVersion& v) = 0;
  virtual void agent_exited(uint32_t node) = 0;  // a graceful shutdown ended
};

class SimAgent {
 public:
  static inline bool trace = false;  // print every node's log lines (cluster_sim --seed S --trace)
  SimAgent(SimEnv& env, const core::ClusterConf& conf, uint32_t self, const std::string& disk_cib,
           FakeExecutor& executor, std::string session);

  // Membership's up members changed (or the agent starts).
  void on_membership(std::vector<uint32_t> up);
  void on_message(uint32_t from, const SimMessage& m);
  // Timers due by now: status batch, coordinator wakeup, housekeeping, executor results.
  void poll();
  // A client's configuration edit through this node's IPC: the CLI's request.
  std::optional<uint64_t> request_write(const std::string& change_json);
  // `cluster stop` on this node: resources moved away via the DC, then exit.
  void shutdown();

  const core::CibDocument& cib() const { return *cib_; }
  const std::vector<uint32_t>& up() const { return last_up_; }
  std::optional<uint32_t> dc() const { return dc_; }
  bool is_dc() const { return dc_ && *dc_ == self_; }
  const core::control::Coordinator& coordinator() const { return co_; }
  const net::CibSync& sync() const { return *sync_; }
  size_t pending_edits() const { return batch_.size(); }
  bool status_failing() const { return batch_failures_ > 0; }
  bool stopped() const { return stopped_; }
  const std::vector<uint32_t>& membership_up() const { return membership_up_; }
  uint64_t fences_asked() const { return fences_asked_; }

 private:
  // node_agent.cpp's part (sim_agent.cpp).
  void refresh_view();
  void apply_effects(net::CibEffects& fx);
  void adopt(const net::CibCopy& copy);
  bool commit_local(core::CibDocument doc);
  void apply_change(const net::IncomingChange& change);
  void send_cib(uint32_t to, const net::CibMessage& m);
  // controller*.cpp's part (sim_controller.cpp).
  core::control::Inputs inputs();
  void feed(const core::control::Event& e);
  void apply(core::control::Effects& fx);
  void flush_batch();
  void controller_on_view();
  void controller_on_cib();
  void on_ctl(uint32_t from, const SimMessage& m);
  void on_local_result(const ExecResult& r);
  void send_to_dc(SimMessage m);
  void exit_agent();

  SimEnv& env_;
  const core::ClusterConf& conf_;
  uint32_t self_;
  FakeExecutor& exec_;
  std::string session_;
  std::unique_ptr<core::CibDocument> cib_;
  std::unique_ptr<net::CibSync> sync_;
  std::unique_ptr<net::QuorumTracker> quorum_;
  net::QuorumState quorum_state_;
  std::vector<uint32_t> membership_up_, last_up_;
  std::optional<uint32_t> dc_;
  std::map<uint64_t, bool> pending_;  // change requests waiting for the DC's answer
  uint64_t adoptions_ = 0, adoptions_seen_ = 0;
  int64_t next_housekeeping_ = 0;
  uint64_t ticks_ = 0;
  bool stopped_ = false;

  core::control::Coordinator co_;
  std::vector<core::control::StatusEdit> batch_;
  int64_t batch_due_ = -1;
  uint64_t batch_failures_ = 0;
  std::vector<core::control::FenceNode> fences_;  // answered at the next poll
  uint64_t fences_asked_ = 0;
  std::optional<uint32_t> followed_dc_;
  uint64_t dcs_followed_ = 0;
  bool shutting_down_ = false;
  int64_t shutdown_deadline_ = -1;
};

}  // namespace hactl::test::sim
