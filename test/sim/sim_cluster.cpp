#include "test/sim/sim_cluster.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "core/cib_document.h"

namespace hactl::test::sim {

namespace {

std::string nodes_xml(const core::ClusterConf& conf) {
  std::string out;
  for (const auto& n : conf.nodes)
    out += "<node id=\"" + std::to_string(n.id) + "\" uname=\"" + n.name + "\"/>";
  return out;
}

net::sim::SimConfig net_config(const ClusterSpec& spec, const core::ClusterConf& conf) {
  net::sim::SimConfig c;
  c.nodes = spec.nodes;
  c.seed = spec.seed;
  // The daemon's timing (node_agent.cpp): probe timeout 2/5 of the interval.
  c.membership.probe_interval = net::Millis(conf.probe_interval_ms);
  c.membership.probe_timeout = net::Millis(std::max<int64_t>(1, conf.probe_interval_ms * 2 / 5));
  c.membership.suspicion_base = net::Millis(conf.suspicion_ms);
  return c;
}

core::ClusterConf make_conf(const ClusterSpec& spec) {
  core::ClusterConf conf;
  conf.cluster_name = "sim";
  for (uint32_t i = 1; i <= spec.nodes; ++i)
    conf.nodes.push_back({i, "n" + std::to_string(i), "10.0.0." + std::to_string(i), 0});
  conf.two_node = spec.nodes == 2;
  return conf;
}

}  // namespace

std::string dummy_xml(const std::string& id) {
  return "<primitive id=\"" + id + "\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"><operations>"
         "<op id=\"" + id + "-start\" name=\"start\" interval=\"0\" timeout=\"3s\"/>"
         "<op id=\"" + id + "-stop\" name=\"stop\" interval=\"0\" timeout=\"3s\"/>"
         "<op id=\"" + id + "-monitor\" name=\"monitor\" interval=\"2s\" timeout=\"3s\"/>"
         "</operations></primitive>";
}

std::string initial_cib(const core::ClusterConf& conf, int resources) {
  std::string rsc;
  for (int i = 1; i <= resources; ++i) rsc += dummy_xml("R" + std::to_string(i));
  return "<cib admin_epoch=\"0\" epoch=\"5\" num_updates=\"0\" validate-with=\"pacemaker-3.9\"><configuration>"
         "<crm_config><cluster_property_set id=\"o\"><nvpair id=\"o-s\" name=\"stonith-enabled\" value=\"false\"/>"
         "</cluster_property_set></crm_config><nodes>" + nodes_xml(conf) + "</nodes><resources>" + rsc +
         "</resources><constraints/></configuration><status/></cib>";
}

SimCluster::SimCluster(const ClusterSpec& spec)
    : spec_(spec),
      conf_(make_conf(spec)),
      net_(net_config(spec, conf_)),
      links_(spec.seed * 31 + 7, 300, 700) {
  slots_.resize(spec.nodes);
  const std::string cib = initial_cib(conf_, spec.resources);
  for (uint32_t id = 1; id <= spec.nodes; ++id) {
    slot(id).exec = std::make_unique<FakeExecutor>(spec.seed * 1000 + id);
    slot(id).disk = cib;
  }
  for (uint32_t id = 1; id <= spec.nodes; ++id) start_agent(id);
}

SimCluster::~SimCluster() = default;

void SimCluster::guard(uint32_t id, const char* what, const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    log_.violation("n" + std::to_string(id) + " threw in " + what + " at " + std::to_string(now_ms()) + " ms: " + e.what());
  } catch (...) {
    log_.violation("n" + std::to_string(id) + " threw a non-exception in " + what);
  }
}

bool SimCluster::connected(uint32_t a, uint32_t b) const {
  return agent_up(a) && agent_up(b) && net_.reachable(a, b);
}

void SimCluster::break_broken_links() {
  for (uint32_t a = 1; a <= size(); ++a)
    for (uint32_t b = a + 1; b <= size(); ++b)
      if (!connected(a, b)) links_.break_link(a, b);
}

void SimCluster::send(uint32_t from, uint32_t to, SimMessage m) {
  if (from == to) {  // the daemon posts local deliveries to its loop
    local_.push_back({to, slot(to).life, std::move(m)});
    return;
  }
  if (to < 1 || to > size()) return;
  links_.send(from, to, std::move(m), now_us_, connected(from, to));
}

void SimCluster::write_answered(uint32_t node, uint64_t request_id, int code, const core::CibVersion&) {
  for (auto& w : log_.writes)
    if (w.node == node && w.request_id == request_id && !w.code) {
      w.code = code;
      w.answered_ms = now_ms();
      if (slot(node).agent && slot(node).agent->dc()) w.acked_by = *slot(node).agent->dc();
      return;
    }
  early_answers_.push_back({{node, request_id}, code});
}

void SimCluster::start_agent(uint32_t id) {
  Slot& s = slot(id);
  if (!s.machine_up || agent_up(id)) return;
  s.agent.reset();
  ++s.life;
  if (net_.running(id)) net_.crash(id);
  net_.start(id);
  s.seen_up.clear();
  s.seen_dc.reset();
  s.paused_until_ms = 0;
  s.agent = std::make_unique<SimAgent>(*this, conf_, id, s.disk, *s.exec,
                                       "n" + std::to_string(id) + "-" + std::to_string(s.life));
  poll_view(id);
}

void SimCluster::teardown_agent(uint32_t id) {
  Slot& s = slot(id);
  s.agent.reset();
  ++s.life;
  if (net_.running(id)) net_.crash(id);
  links_.break_all_of(id, size());
}

void SimCluster::crash_machine(uint32_t id) {
  if (!slot(id).machine_up) return;
  teardown_agent(id);
  slot(id).exec->crash_machine();
  slot(id).machine_up = false;
}

void SimCluster::restart_machine(uint32_t id) {
  if (slot(id).machine_up) return;
  slot(id).machine_up = true;
  start_agent(id);
}

void SimCluster::restart_agent(uint32_t id) {
  if (!agent_up(id)) return;
  teardown_agent(id);
  slot(id).exec->restart_process();
}

void SimCluster::stop_agent(uint32_t id) {
  if (!agent_up(id)) return;
  guard(id, "shutdown", [&] { slot(id).agent->shutdown(); });
}

void SimCluster::pause(uint32_t id, int64_t ms) {
  if (!agent_up(id)) return;
  net_.pause(id, net::Millis(ms));
  slot(id).paused_until_ms = now_ms() + ms;
}

void SimCluster::set_network(const std::set<uint32_t>& isolated, const std::set<std::pair<uint32_t, uint32_t>>& one_way,
                             double loss) {
  std::vector<std::vector<net::NodeId>> groups;
  for (uint32_t id : isolated) groups.push_back({id});
  net_.partition(groups);
  net_.unblock_all();
  for (auto [a, b] : one_way) net_.block(a, b);
  net_.set_loss(loss);
  break_broken_links();
}

void SimCluster::write(uint32_t node, WriteKind kind, const std::string& rsc) {
  if (!agent_up(node) || slot(node).paused_until_ms > now_ms()) return;  // a stalled agent takes no request
  // What the CLI does: read the CIB, edit it, send it with the version and the copy it read.
  const core::CibDocument& current = slot(node).agent->cib();
  auto doc = core::CibDocument::parse(current.to_xml());
  if (!doc) return;
  const std::string before = doc->to_xml();
  core::Element* resources = doc->section("resources");
  if (kind == WriteKind::add) {
    if (doc->id_in_use(rsc)) return;
    tinyxml2::XMLDocument part;
    part.Parse(dummy_xml(rsc).c_str());
    resources->InsertEndChild(part.RootElement()->DeepClone(&doc->xml()));
  } else {
    core::Element* e = doc->find_id(rsc);
    if (!e || e->Parent() != resources) return;
    resources->DeleteChild(e);
  }
  doc->bump_epoch();
  nlohmann::json req = {{"cib", doc->to_xml()}, {"base", current.version().to_string()}, {"base_cib", before},
                        {"scope", "configuration"}, {"client", "sim"}};
  WriteRecord w;
  w.node = node;
  w.kind = kind;
  w.rsc = rsc;
  w.sent_ms = now_ms();
  const size_t index = log_.writes.size();
  log_.writes.push_back(w);
  std::optional<uint64_t> id;
  // The answer may come back within request_write (the DC's own client).
  log_.writes[index].request_id = ~uint64_t{0};
  guard(node, "request_write", [&] { id = slot(node).agent->request_write(req.dump()); });
  if (!id) {
    log_.writes.pop_back();
    return;
  }
  log_.writes[index].request_id = *id;
  for (auto& pending : early_answers_)
    if (pending.first.first == node && pending.first.second == *id) {
      log_.writes[index].code = pending.second;
      log_.writes[index].answered_ms = now_ms();
      log_.writes[index].acked_by = node;
    }
  early_answers_.clear();
}

void SimCluster::poll_view(uint32_t id) {
  Slot& s = slot(id);
  if (!agent_up(id) || !net_.running(id)) return;
  std::vector<uint32_t> up = net_.node(id).membership().up_members();
  if (up == s.seen_up) return;
  for (uint32_t x : s.seen_up) {
    if (x == id || std::find(up.begin(), up.end(), x) != up.end()) continue;
    // Dropped while its machine runs and it (or something it started) is alive.
    if (slot(x).machine_up && (agent_up(x) || !slot(x).exec->running().empty()))
      if (!log_.first_false_death_ms) log_.first_false_death_ms = now_ms();
  }
  s.seen_up = up;
  guard(id, "view", [&] { s.agent->on_membership(up); });
}

void SimCluster::drain_local() {
  for (int guard_count = 0; !local_.empty() && guard_count < 100000; ++guard_count) {
    Local l = std::move(local_.front());
    local_.pop_front();
    if (!agent_up(l.node) || slot(l.node).life != l.life) continue;
    guard(l.node, "local message", [&] { slot(l.node).agent->on_message(l.node, l.message); });
  }
}

void SimCluster::run_for(int64_t ms) {
  for (int64_t i = 0; i < ms; ++i) step();
}

void SimCluster::step() {
  net_.run_for(net::Millis(1));
  now_us_ += 1000;
  const int64_t now = now_ms();
  auto paused = [this](uint32_t id) { return slot(id).paused_until_ms * 1000; };
  for (auto& d : links_.due(now_us_, paused)) {
    if (!agent_up(d.to)) continue;
    guard(d.to, "message", [&] { slot(d.to).agent->on_message(d.from, d.message); });
  }
  drain_local();
  for (uint32_t id = 1; id <= size(); ++id) {
    if (!agent_up(id) || slot(id).paused_until_ms > now) continue;
    poll_view(id);
    if (agent_up(id)) guard(id, "poll", [&] { slot(id).agent->poll(); });
    drain_local();
  }
  for (uint32_t id : exited_) {
    teardown_agent(id);
    slot(id).exec->restart_process();
  }
  exited_.clear();
  observe();
}

// Per-step observations: resources active twice (ground truth), DC splits.
void SimCluster::observe() {
  std::map<std::string, std::vector<uint32_t>> where;
  for (uint32_t id = 1; id <= size(); ++id)
    if (slot(id).machine_up)
      for (const auto& r : slot(id).exec->running()) where[r].push_back(id);
  bool twice = false;
  for (const auto& [rsc, nodes] : where) {
    if (nodes.size() < 2) continue;
    twice = true;
    if (!log_.first_false_death_ms && double_reported_.insert(rsc).second)
      log_.violation(rsc + " active on n" + std::to_string(nodes[0]) + " and n" + std::to_string(nodes[1]) + " at " +
                     std::to_string(now_ms()) + " ms without any false death");
  }
  if (twice) ++log_.double_active_ms;
  int dcs = 0;
  for (uint32_t id = 1; id <= size(); ++id) {
    const SimAgent* a = agent(id);
    if (!a) continue;
    if (a->is_dc()) ++dcs;
    if (a->dc() != slot(id).seen_dc) {
      slot(id).seen_dc = a->dc();
      if (a->dc()) log_.dc_changes.push_back({now_ms(), *a->dc()});
    }
    log_.fences = std::max(log_.fences, a->fences_asked());
  }
  if (dcs >= 2) {
    if (!log_.last_split_ms || *log_.last_split_ms != now_ms() - 1) log_.split_ms.push_back(now_ms());
    log_.last_split_ms = now_ms();
  }
}

}  // namespace hactl::test::sim
