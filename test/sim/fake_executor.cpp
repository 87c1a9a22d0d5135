#include "test/sim/fake_executor.h"

#include <limits>

namespace hactl::test::sim {

using core::ExecStatus;
using core::OcfRc;

std::string FakeExecutor::key_of(const core::control::ExecuteRequest& r) {
  return r.rsc + "_" + r.action + "_" + std::to_string(r.interval_ms);
}

void FakeExecutor::execute(const core::control::ExecuteRequest& r, int64_t now_ms) {
  ++executed_;
  if (r.action == "monitor" && r.interval_ms > 0) {
    // Re-registering the same key replaces it (and reports its first result anew).
    Recurring rec;
    rec.request = r;
    rec.next_at = now_ms;
    recurring_[key_of(r)] = rec;
    return;
  }
  if (r.action == "stop") {
    std::erase_if(recurring_, [&](const auto& e) { return e.second.request.rsc == r.rsc; });
    auto& q = queues_[r.rsc];
    std::erase_if(q, [](const Op& o) { return o.recurring_run && o.done_at < 0; });
  }
  Op op;
  op.request = r;
  queues_[r.rsc].push_back(op);
}

int64_t FakeExecutor::duration(const core::control::ExecuteRequest& r) {
  return 1 + static_cast<int64_t>(rng_.below(20)) + faults_[r.rsc].slow_ms;
}

void FakeExecutor::start_ready(int64_t now_ms) {
  for (auto& [rsc, q] : queues_) {
    if (q.empty() || q.front().done_at >= 0) continue;
    Op& op = q.front();
    AgentFaults& f = faults_[rsc];
    const std::string& a = op.request.action;
    if ((a == "start" && f.hang_next_start) || (a == "stop" && f.hang_next_stop)) {
      (a == "start" ? f.hang_next_start : f.hang_next_stop) = false;
      op.hang = true;
      op.done_at = now_ms + std::max<int64_t>(1, op.request.timeout_ms);
      continue;
    }
    const int64_t d = duration(op.request);
    if (op.request.timeout_ms > 0 && d > op.request.timeout_ms) {
      op.hang = true;  // killed at its timeout, nothing done
      op.done_at = now_ms + op.request.timeout_ms;
    } else {
      op.done_at = now_ms + d;
    }
  }
}

ExecResult FakeExecutor::finish(Op& op) {
  ExecResult r;
  r.request = op.request;
  const std::string& rsc = op.request.rsc;
  if (op.hang) {
    r.status = ExecStatus::timeout;
    r.rc = OcfRc::unknown;
    return r;
  }
  r.status = ExecStatus::done;
  const std::string& a = op.request.action;
  if (a == "start") {
    if (faults_[rsc].fail_next_start) {
      faults_[rsc].fail_next_start = false;
      r.rc = OcfRc::err_generic;
    } else {
      running_.insert(rsc);
      r.rc = OcfRc::ok;
    }
  } else if (a == "stop") {
    running_.erase(rsc);
    r.rc = OcfRc::ok;
  } else {  // monitor: probe or recurring
    r.rc = running_.count(rsc) ? OcfRc::ok : OcfRc::not_running;
  }
  return r;
}

std::vector<ExecResult> FakeExecutor::poll(int64_t now_ms) {
  std::vector<ExecResult> out;
  for (bool progress = true; progress;) {
    progress = false;
    for (auto& [key, rec] : recurring_)
      if (!rec.queued && rec.next_at <= now_ms) {
        Op op;
        op.request = rec.request;
        op.recurring_run = true;
        queues_[rec.request.rsc].push_back(op);
        rec.queued = true;
      }
    start_ready(now_ms);
    for (auto& [rsc, q] : queues_) {
      if (q.empty() || q.front().done_at < 0 || q.front().done_at > now_ms) continue;
      Op op = std::move(q.front());
      q.pop_front();
      progress = true;
      ExecResult r = finish(op);
      if (!op.recurring_run) {
        out.push_back(std::move(r));
        continue;
      }
      auto it = recurring_.find(key_of(op.request));
      if (it == recurring_.end()) continue;  // cancelled meanwhile
      Recurring& rec = it->second;
      rec.queued = false;
      rec.next_at = op.done_at + rec.request.interval_ms;
      if (rec.reported && rec.last_rc == r.rc && rec.last_status == r.status) continue;
      rec.reported = true;
      rec.last_rc = r.rc;
      rec.last_status = r.status;
      r.request = rec.request;
      out.push_back(std::move(r));
    }
  }
  return out;
}

int64_t FakeExecutor::next_wakeup() const {
  int64_t at = std::numeric_limits<int64_t>::max();
  for (const auto& [rsc, q] : queues_)
    if (!q.empty() && q.front().done_at >= 0) at = std::min(at, q.front().done_at);
  for (const auto& [key, rec] : recurring_)
    if (!rec.queued) at = std::min(at, rec.next_at);
  return at;
}

size_t FakeExecutor::busy() const {
  size_t n = 0;
  for (const auto& [rsc, q] : queues_) n += q.size();
  return n;
}

void FakeExecutor::restart_process() {
  for (auto& [rsc, q] : queues_) {
    if (q.empty() || q.front().done_at < 0 || q.front().hang) continue;
    // The agent child outlives the executor: its effect may or may not land.
    if (rng_.chance(0.5)) (void)finish(q.front());
  }
  queues_.clear();
  recurring_.clear();
}

void FakeExecutor::crash_machine() {
  queues_.clear();
  recurring_.clear();
  running_.clear();
  faults_.clear();
}

}  // namespace hactl::test::sim
