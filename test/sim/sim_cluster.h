// SimCluster: N nodes in one process on one simulated clock. Each node is
// the real membership endpoint (on net/sim's SimNetwork: datagrams, loss,
// partitions, one-way cuts, pauses, crashes), a SimAgent (the daemon's glue
// over CibSync, election, quorum and the coordinator) and a FakeExecutor on
// its machine (the ground truth of what runs there). Bulk messages go over
// BulkLinks. Time advances in 1 ms steps; everything is deterministic from
// the seed.
//
// Two kinds of node death: crash_machine (resources die with it; back with
// restart_machine) and restart_agent (the process is gone, the resources it
// started keep running; back with start_agent).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/cluster_conf.h"
#include "net/sim/sim_network.h"
#include "test/sim/bulk_links.h"
#include "test/sim/fake_executor.h"
#include "test/sim/sim_agent.h"

namespace hactl::test::sim {

struct ClusterSpec {
  uint32_t nodes = 3;
  int resources = 3;  // R1..Rn, Dummy, monitored every 2 s
  uint64_t seed = 1;
};

enum class WriteKind { add, remove };
struct WriteRecord {
  uint32_t node = 0;
  uint64_t request_id = 0;
  WriteKind kind = WriteKind::add;
  std::string rsc;
  int64_t sent_ms = 0;
  std::optional<int> code;  // the answer; 0 = acknowledged
  int64_t answered_ms = 0;
  uint32_t acked_by = 0;  // the DC the requester followed when answered
};

// What happened during a run that the invariants are judged against.
struct RunLog {
  std::vector<std::string> violations;
  std::optional<int64_t> first_false_death_ms;  // a live node dropped from a view (see docs in invariants.h)
  std::optional<int64_t> last_split_ms;         // two nodes each their own DC at once
  std::vector<int64_t> split_ms;                // start of each split
  std::vector<std::pair<int64_t, uint32_t>> dc_changes;  // (when, new DC) as the nodes see it
  uint64_t double_active_ms = 0;                 // ms during which some resource ran on two nodes
  uint64_t fences = 0;
  std::vector<WriteRecord> writes;
  void violation(std::string v) {
    if (violations.size() < 20) violations.push_back(std::move(v));
  }
};

class SimCluster final : public SimEnv {
 public:
  explicit SimCluster(const ClusterSpec& spec);
  ~SimCluster() override;

  void run_for(int64_t ms);
  void step();  // one simulated millisecond
  int64_t now_ms() const override { return now_us_ / 1000; }

  // Faults.
  void crash_machine(uint32_t id);
  void restart_machine(uint32_t id);
  void restart_agent(uint32_t id);  // the process dies; its resources keep running
  void start_agent(uint32_t id);
  void stop_agent(uint32_t id);     // graceful: `cluster stop`
  void pause(uint32_t id, int64_t ms);
  // Network state: isolated nodes (each alone), one-way datagram cuts, loss.
  void set_network(const std::set<uint32_t>& isolated, const std::set<std::pair<uint32_t, uint32_t>>& one_way,
                   double loss);
  void write(uint32_t node, WriteKind kind, const std::string& rsc);

  // State.
  uint32_t size() const { return static_cast<uint32_t>(slots_.size()); }
  bool machine_up(uint32_t id) const { return slot(id).machine_up; }
  bool agent_up(uint32_t id) const { return slot(id).agent && !slot(id).agent->stopped(); }
  const SimAgent* agent(uint32_t id) const { return agent_up(id) ? slot(id).agent.get() : nullptr; }
  const FakeExecutor& executor(uint32_t id) const { return *slot(id).exec; }
  FakeExecutor& executor(uint32_t id) { return *slot(id).exec; }
  const core::ClusterConf& conf() const { return conf_; }
  const net::sim::SimNetwork& network() const { return net_; }
  RunLog& log() { return log_; }
  const RunLog& log() const { return log_; }
  std::string name_of(uint32_t id) const { return "n" + std::to_string(id); }

  // SimEnv.
  void send(uint32_t from, uint32_t to, SimMessage m) override;
  void save_cib(uint32_t node, const std::string& xml) override { slot(node).disk = xml; }
  void write_answered(uint32_t node, uint64_t request_id, int code, const core::CibVersion& v) override;
  void agent_exited(uint32_t node) override { exited_.push_back(node); }

 private:
  struct Slot {
    bool machine_up = true;
    std::unique_ptr<FakeExecutor> exec;
    std::unique_ptr<SimAgent> agent;
    std::string disk;       // the node's cib.xml
    uint64_t life = 0;      // agent process generation
    int64_t paused_until_ms = 0;
    std::vector<uint32_t> seen_up;  // the membership view last given to the agent
    std::optional<uint32_t> seen_dc;
  };
  struct Local {
    uint32_t node;
    uint64_t life;
    SimMessage message;
  };
  Slot& slot(uint32_t id) { return slots_[id - 1]; }
  const Slot& slot(uint32_t id) const { return slots_[id - 1]; }
  bool connected(uint32_t a, uint32_t b) const;
  void break_broken_links();
  void teardown_agent(uint32_t id);
  void guard(uint32_t id, const char* what, const std::function<void()>& f);
  void poll_view(uint32_t id);
  void drain_local();
  void observe();

  ClusterSpec spec_;
  core::ClusterConf conf_;
  net::sim::SimNetwork net_;
  BulkLinks links_;
  std::vector<Slot> slots_;
  std::deque<Local> local_;
  std::vector<uint32_t> exited_;
  std::set<std::pair<uint32_t, uint32_t>> one_way_;
  int64_t now_us_ = 0;
  RunLog log_;
  std::set<std::string> double_reported_;
  // Answers that came back inside request_write (the DC's own client), by (node, request id).
  std::vector<std::pair<std::pair<uint32_t, uint64_t>, int>> early_answers_;
};

// The CIB every node starts with: stonith disabled, R1..Rn.
std::string initial_cib(const core::ClusterConf& conf, int resources);
// A primitive as the sim's clients create it (Dummy; start/stop 3 s, monitor 2 s).
std::string dummy_xml(const std::string& id);

}  // namespace hactl::test::sim
