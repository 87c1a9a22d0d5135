// SimAgent, controller*.cpp's glue: driving the coordinator, the status
// batch, and the node side (execute, results, hello, leave).
#include <algorithm>
#include <cstdio>

#include "core/cib_model.h"
#include "test/sim/sim_agent.h"

namespace hactl::test::sim {

namespace control = core::control;

namespace {

constexpr int64_t kStatusBatchMs = 10;
constexpr int64_t kStatusRetryMs = 1000;

}  // namespace

control::Inputs SimAgent::inputs() {
  control::Inputs in;
  in.now = {env_.now_ms(), 1700000000 + env_.now_ms() / 1000};
  in.view.up = last_up_;
  in.view.dc = dc_;
  in.view.quorate = quorum_state_.quorate;
  in.view.self = self_;
  in.conf = &conf_;
  in.cib = [this]() -> const core::CibDocument& {
    flush_batch();
    return *cib_;
  };
  in.status_failing = [this] { return batch_failures_ > 0; };
  in.stopping = stopped_;
  return in;
}

void SimAgent::feed(const control::Event& e) {
  control::Effects fx = co_.on(e, inputs());
  apply(fx);
}

void SimAgent::apply(control::Effects& fx) {
  if (trace)
    for (const auto& l : fx.log) std::printf("%7lld n%u %s: %s\n", static_cast<long long>(env_.now_ms()), self_, l.where.c_str(), l.text.c_str());
  if (fx.drop_pending_edits) {
    batch_.clear();
    batch_due_ = -1;
    batch_failures_ = 0;
  }
  for (auto& e : fx.edits) {
    batch_.push_back(std::move(e));
    if (batch_due_ < 0) batch_due_ = env_.now_ms() + (batch_failures_ ? kStatusRetryMs : kStatusBatchMs);
  }
  for (auto& f : fx.fences) {
    ++fences_asked_;
    fences_.push_back(f);
  }
  for (auto& x : fx.executes) env_.send(self_, x.node, CtlExecute{x.request});
  for (uint32_t id : fx.leave_done) env_.send(self_, id, CtlLeaveDone{});
  for (uint32_t id : fx.please_leave) env_.send(self_, id, CtlPleaseLeave{});
}

// StatusBatch::flush: the edits of one burst as one CIB version; kept and
// retried when the commit fails (here: this node is no longer the DC).
void SimAgent::flush_batch() {
  batch_due_ = -1;
  if (batch_.empty()) return;
  std::vector<control::StatusEdit> edits;
  edits.swap(batch_);
  core::CibDocument doc = cib_->clone();
  for (const auto& e : edits) e.apply(doc);
  doc.bump_num_updates();
  if (!commit_local(std::move(doc))) {
    edits.insert(edits.end(), std::make_move_iterator(batch_.begin()), std::make_move_iterator(batch_.end()));
    batch_.swap(edits);
    ++batch_failures_;
    if (batch_due_ < 0) batch_due_ = env_.now_ms() + kStatusRetryMs;
    return;
  }
  batch_failures_ = 0;
}

void SimAgent::controller_on_view() {
  if (stopped_) return;
  if (dc_ != followed_dc_) {
    followed_dc_ = dc_;
    ++dcs_followed_;
  }
  send_to_dc(CtlHello{session_, dcs_followed_});
  if (shutting_down_) send_to_dc(CtlLeave{});
  feed(control::ViewChanged{});
}

void SimAgent::controller_on_cib() {
  if (stopped_) return;
  const bool adopted = adoptions_ != adoptions_seen_;
  adoptions_seen_ = adoptions_;
  feed(control::CibChanged{adopted});
}

void SimAgent::send_to_dc(SimMessage m) {
  if (dc_) env_.send(self_, *dc_, std::move(m));
}

void SimAgent::on_message(uint32_t from, const SimMessage& m) {
  if (stopped_) return;
  if (const auto* f = std::get_if<CibFrame>(&m)) {
    auto msg = net::decode_cib_message(f->payload);
    if (!msg) return;
    net::CibEffects fx;
    sync_->on_message(from, *msg, fx);
    apply_effects(fx);
    return;
  }
  on_ctl(from, m);
}

void SimAgent::on_ctl(uint32_t from, const SimMessage& m) {
  if (const auto* x = std::get_if<CtlExecute>(&m)) {
    exec_.execute(x->request, env_.now_ms());
  } else if (const auto* r = std::get_if<CtlResult>(&m)) {
    if (!is_dc()) return;
    control::ActionReport report = r->report;
    report.from = from;
    feed(control::ResultReceived{report});
  } else if (const auto* h = std::get_if<CtlHello>(&m)) {
    feed(control::HelloReceived{from, h->session, h->dcs_followed});
  } else if (std::holds_alternative<CtlLeave>(m)) {
    feed(control::LeaveReceived{from});
  } else if (std::holds_alternative<CtlLeaveDone>(m)) {
    if (shutting_down_) exit_agent();
  } else if (std::holds_alternative<CtlPleaseLeave>(m)) {
    shutdown();
  }
}

void SimAgent::on_local_result(const ExecResult& r) {
  control::ActionReport m;
  m.from = self_;
  m.rsc = r.request.rsc;
  m.action = r.request.action;
  m.standard = r.request.standard;
  m.provider = r.request.provider;
  m.type = r.request.type;
  m.interval_ms = r.request.interval_ms;
  m.rc = r.rc;
  m.status = r.status;
  m.route = r.request.route;
  // To the current DC, and to the node that asked when this node sees another DC.
  const uint32_t asked = r.request.route.dc;
  uint32_t to = dc_ ? *dc_ : asked;
  if (to != 0) env_.send(self_, to, CtlResult{m});
  if (asked != 0 && asked != to) env_.send(self_, asked, CtlResult{m});
}

void SimAgent::shutdown() {
  if (shutting_down_ || stopped_) return;
  shutting_down_ = true;
  core::Cib cib = core::read_cib(*cib_);
  int64_t bound = 5000;
  for (const auto& p : cib.primitives) {
    int64_t t = 20000;
    for (const auto& op : p.ops)
      if (op.name == "stop" && op.timeout_ms) t = *op.timeout_ms;
    bound += t;
  }
  shutdown_deadline_ = env_.now_ms() + std::min<int64_t>(bound, 300000);
  if (!dc_) return exit_agent();
  send_to_dc(CtlLeave{});
}

void SimAgent::exit_agent() {
  if (stopped_) return;
  stopped_ = true;
  env_.agent_exited(self_);
}

}  // namespace hactl::test::sim
