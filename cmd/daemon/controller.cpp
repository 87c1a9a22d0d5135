// Driving the coordinator: events in, effects carried out, one timer.
#include "cmd/daemon/controller.h"

#include <unistd.h>

#include <ctime>

#include "agents/process_runner.h"
#include "cmd/daemon/controller_messages.h"
#include "cmd/daemon/log.h"

namespace hactl::cmd::daemon {

using json = nlohmann::json;
namespace control = core::control;

namespace {

constexpr int kStatusBatchMs = 10;  // results recorded as one CIB version (status_batch.h)

int64_t mono() { return agents::monotonic_ms(); }
int64_t wall() { return static_cast<int64_t>(std::time(nullptr)); }

}  // namespace

Controller::Controller(asio::io_context& io, NodeAgent& agent, std::string root)
    : io_(io),
      agent_(agent),
      root_(std::move(root)),
      // A booting node waits 2x the failure timeout before it acts as DC.
      coordinator_({mono(), 2 * agent.conf().failure_timeout_ms}),
      wake_(io),
      shutdown_timer_(io),
      status_batch_(io, std::chrono::milliseconds(kStatusBatchMs), [this]() -> const core::CibDocument& { return agent_.cib(); },
                    [this](core::CibDocument doc, const std::string& why) { return commit(std::move(doc), why); }) {
  session_ = std::to_string(::getpid()) + "-" + std::to_string(mono());
}

Controller::~Controller() = default;

void Controller::start() {
  agent_.add_listener({[this] { on_view(); }, [this] { on_cib(); },
                       [this] {
                         wake_.cancel();
                         shutdown_timer_.cancel();
                         status_batch_.drop();
                         if (driver_) driver_->stop();
                       }});
  agent_.add_bulk_handler([this](uint32_t from, const std::vector<uint8_t>& p) { return on_bulk(from, p); });
  agent_.add_ipc_handler([this](const json& req, Respond respond) { return on_ipc(req, std::move(respond)); });
  arm_wakeup();
}

control::Inputs Controller::inputs() {
  control::Inputs in;
  in.now = {mono(), wall()};
  in.view.up = agent_.up_members();
  in.view.dc = agent_.dc();
  in.view.quorate = agent_.quorum().quorate;
  in.view.self = agent_.self_id();
  in.conf = &agent_.conf();
  in.cib = [this]() -> const core::CibDocument& {
    status_batch_.flush();
    return agent_.cib();
  };
  in.status_failing = [this] { return status_batch_.failing(); };
  in.stopping = agent_.stopping();
  return in;
}

std::optional<control::Reply> Controller::feed(const control::Event& event) {
  if (feeding_) {
    // Reading the CIB inside on() commits the batch, whose listeners report a
    // CIB change: handled after this event, never inside it.
    queued_.push_back(event);
    return std::nullopt;
  }
  feeding_ = true;
  struct Reset {  // an exception (logged by the loop) must not leave the coordinator deaf
    Controller* c;
    ~Reset() {
      c->feeding_ = false;
      c->queued_.clear();
    }
  } reset{this};
  control::Effects fx = coordinator_.on(event, inputs());
  apply(fx);
  while (!queued_.empty()) {
    control::Event next = std::move(queued_.front());
    queued_.pop_front();
    control::Effects more = coordinator_.on(next, inputs());
    apply(more);
  }
  arm_wakeup();
  return fx.reply;
}

void Controller::apply(control::Effects& fx) {
  for (const auto& l : fx.log) {
    if (l.level == control::LogLevel::info) log_info(l.where, l.text);
    else if (l.level == control::LogLevel::warn) log_warn(l.where, l.text);
    else log_error(l.where, l.text);
  }
  if (fx.drop_pending_edits) {
    status_batch_.drop();
    fence_waiters_.clear();
  }
  for (auto& e : fx.edits) status_batch_.add(std::move(e.apply), std::move(e.why));
  for (const auto& f : fx.fences) fence_for_transition(f);
  for (const auto& x : fx.executes) agent_.send_bulk(x.node, encode_ctl(CtlMsg::execute, execute_to_json(x.request)));
  for (uint32_t id : fx.leave_done) agent_.send_bulk(id, encode_ctl(CtlMsg::leave_done, json::object()));
  for (uint32_t id : fx.please_leave) agent_.send_bulk(id, encode_ctl(CtlMsg::please_leave, json::object()));
}

void Controller::arm_wakeup() {
  if (agent_.stopping()) return;
  const int64_t at = coordinator_.next_wakeup();
  if (at == wake_at_) return;
  wake_at_ = at;
  wake_.expires_after(std::chrono::milliseconds(std::max<int64_t>(0, at - mono())));
  wake_.async_wait([this](std::error_code ec) {
    if (ec || agent_.stopping()) return;
    wake_at_ = -1;
    feed(control::Tick{});
  });
}

bool Controller::commit(core::CibDocument doc, const std::string& why) {
  doc.bump_num_updates();
  core::Status s = agent_.commit_local(std::move(doc));
  if (s) {
    if (status_batch_.failing()) log_info("controller", "status saved again (" + why + ")");
    return true;
  }
  // Once, then every 30th retry: the batch retries each second.
  if (status_batch_.failures() % 30 == 0)
    log_error("controller", "status update (" + why + ") not committed, kept and retried: " + s.message());
  return false;
}

void Controller::on_view() {
  if (agent_.stopping()) return;
  if (!driver_ && !agent_.self_name().empty())
    driver_ = std::make_unique<ExecutorDriver>(io_, root_, agent_.self_name(),
                                               [this](const agents::ActionResult& r, const json& route) { on_local_result(r, route); });
  if (agent_.dc() != followed_dc_) {
    followed_dc_ = agent_.dc();
    ++dcs_followed_;
  }
  send_hello();
  if (shutting_down_) send_to_dc(static_cast<uint8_t>(CtlMsg::leave), {{"session", session_}});
  feed(control::ViewChanged{});
}

void Controller::on_cib() {
  const uint64_t adoptions = agent_.adoptions();
  const bool adopted = adoptions != adoptions_seen_;
  adoptions_seen_ = adoptions;
  feed(control::CibChanged{adopted});
}

}  // namespace hactl::cmd::daemon
