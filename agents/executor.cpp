#include "agents/executor.h"

namespace hactl::agents {

Executor::Executor(const AgentCatalog& catalog, ProcessRunner& runner, Listener listener, Options options)
    : catalog_(catalog), runner_(runner), listener_(std::move(listener)), options_(std::move(options)) {}

// A recurring op's call id and those of the requests it answers for.
std::vector<uint64_t> Executor::with_superseded(const Recurring& rec) {
  std::vector<uint64_t> calls = rec.superseded;
  calls.push_back(rec.call_id);
  return calls;
}

std::string Executor::recurring_key(std::string_view rsc, std::string_view action, int64_t interval_ms) {
  return std::string(rsc) + "_" + std::string(action) + "_" + std::to_string(interval_ms);
}

uint64_t Executor::execute(ActionRequest request, int64_t now_ms) {
  uint64_t id = next_call_id_++;
  // Monitors must not run against a resource that is going away.
  if (request.action == "stop") cancel_all(request.rsc, now_ms);
  if (request.action == "monitor" && request.interval_ms > 0) {
    std::string key = recurring_key(request.rsc, request.action, request.interval_ms);
    auto old = recurring_.find(key);
    Recurring rec;
    if (old != recurring_.end()) {
      // Not answered yet: the new request's first result answers it too.
      const bool answered = old->second.last.has_value();
      if (!answered) {
        rec.superseded = old->second.superseded;
        rec.superseded.push_back(old->second.call_id);
      }
      cancel_recurring(old, now_ms, answered);
    }
    rec.call_id = id;
    rec.request = std::move(request);
    rec.next_due = now_ms;
    recurring_.emplace(key, std::move(rec));
    return id;
  }
  Job job;
  job.call_id = id;
  job.queued_ms = now_ms;
  job.request = std::move(request);
  resources_[job.request.rsc].queue.push_back(std::move(job));
  return id;
}

void Executor::cancel_recurring(std::map<std::string, Recurring>::iterator it, int64_t now_ms, bool report) {
  Recurring& rec = it->second;
  auto res = resources_.find(rec.request.rsc);
  if (res != resources_.end()) {
    auto& q = res->second.queue;
    std::erase_if(q, [&](const Job& j) { return j.recurring && j.key == it->first; });
    if (res->second.running && res->second.running->job.recurring && res->second.running->job.key == it->first) {
      res->second.running->discard = true;
    }
  }
  if (report)
    for (uint64_t call : with_superseded(rec)) {
      ActionResult r;
      r.call_id = call;
      r.rsc = rec.request.rsc;
      r.action = rec.request.action;
      r.interval_ms = rec.request.interval_ms;
      r.status = ExecStatus::cancelled;
      r.queued_ms = r.started_ms = r.ended_ms = now_ms;
      ready_.push_back(std::move(r));
    }
  recurring_.erase(it);
}

bool Executor::cancel(std::string_view rsc, std::string_view action, int64_t interval_ms, int64_t now_ms) {
  auto it = recurring_.find(recurring_key(rsc, action, interval_ms));
  if (it == recurring_.end()) return false;
  cancel_recurring(it, now_ms);
  return true;
}

size_t Executor::cancel_all(std::string_view rsc, int64_t now_ms) {
  size_t n = 0;
  for (auto it = recurring_.begin(); it != recurring_.end();) {
    auto next = std::next(it);
    if (it->second.request.rsc == rsc) {
      cancel_recurring(it, now_ms);
      ++n;
    }
    it = next;
  }
  return n;
}

// At launch, not at execute(): actions of one resource launch in order, so
// the cache follows what actually ran (a stop queued before a start with new
// parameters must not drop the start's).
void Executor::remember_or_reuse_params(ActionRequest& request) {
  if (!request.reuse_last_params) {
    if (request.action != "meta-data" && request.action != "validate-all")
      last_params_[request.rsc] = {request.params, request.meta};
    return;
  }
  if (auto it = last_params_.find(request.rsc); it != last_params_.end()) {
    request.params = it->second.params;
    request.meta = it->second.meta;
  }
}

void Executor::launch(Resource& r, Job job, int64_t now_ms) {
  remember_or_reuse_params(job.request);
  ActionPlan plan = plan_action(catalog_, job.request, options_.env);
  if (plan.immediate) {
    ActionResult res;
    res.call_id = job.call_id;
    res.rsc = job.request.rsc;
    res.action = job.request.action;
    res.interval_ms = job.request.interval_ms;
    res.rc = plan.immediate->first;
    res.status = plan.immediate->second;
    res.exit_reason = plan.immediate_reason;
    res.queued_ms = job.queued_ms;
    res.started_ms = res.ended_ms = now_ms;
    Running tmp{std::move(job), 0, plan.mapping, false, false};
    r.running = std::move(tmp);
    ++running_count_;
    finish(r, std::move(res));
    return;
  }
  Running run;
  run.mapping = plan.mapping;
  run.builtin = plan.builtin;
  run.job = std::move(job);
  run.pid = runner_.start(std::move(plan.spawn), now_ms);
  by_process_[run.pid] = run.job.request.rsc;
  r.running = std::move(run);
  ++running_count_;
}

// Called with r.running set; clears it and records/report the result.
void Executor::finish(Resource& r, ActionResult result) {
  Running run = std::move(*r.running);
  r.running.reset();
  --running_count_;
  // Stopped: nothing of it runs here any more, its parameters are not needed.
  if (result.action == "stop" && result.status == ExecStatus::done && result.rc == OcfRc::ok)
    last_params_.erase(result.rsc);
  if (!run.job.recurring) {
    ready_.push_back(std::move(result));
    return;
  }
  auto it = recurring_.find(run.job.key);
  if (run.discard || it == recurring_.end() || it->second.call_id != run.job.call_id) return;
  Recurring& rec = it->second;
  rec.in_flight = false;
  rec.next_due = result.ended_ms + rec.request.interval_ms;
  std::pair<OcfRc, ExecStatus> now{result.rc, result.status};
  if (rec.last && *rec.last == now) return;  // unchanged: nothing to report
  rec.last = now;
  for (uint64_t call : rec.superseded) {
    ready_.push_back(result);
    ready_.back().call_id = call;
  }
  rec.superseded.clear();
  result.call_id = rec.call_id;
  ready_.push_back(std::move(result));
}

void Executor::poll(int64_t now_ms) {
  for (ProcessOutcome& o : runner_.poll(now_ms)) {
    auto owner = by_process_.find(o.id);
    if (owner == by_process_.end()) continue;
    auto res = resources_.find(owner->second);
    by_process_.erase(owner);
    if (res == resources_.end() || !res->second.running || res->second.running->pid != o.id) continue;
    Running& run = *res->second.running;
    ActionResult result;
    result.call_id = run.job.call_id;
    result.rsc = run.job.request.rsc;
    result.action = run.job.request.action;
    result.interval_ms = run.job.request.interval_ms;
    result.builtin = run.builtin;
    result.queued_ms = run.job.queued_ms;
    interpret_outcome(o, run.mapping, run.job.request, result);
    finish(res->second, std::move(result));
  }

  for (auto& [key, rec] : recurring_) {
    if (rec.in_flight || rec.next_due > now_ms) continue;
    Job job;
    job.call_id = rec.call_id;
    job.request = rec.request;
    job.queued_ms = now_ms;
    job.recurring = true;
    job.key = key;
    rec.in_flight = true;
    resources_[rec.request.rsc].queue.push_back(std::move(job));
  }

  size_t started = 0;
  for (auto& [id, r] : resources_) {
    if (r.running || r.queue.empty()) continue;
    if (options_.max_parallel && running_count_ >= options_.max_parallel) break;
    if (options_.max_starts_per_poll && started++ >= options_.max_starts_per_poll) break;
    Job job = std::move(r.queue.front());
    r.queue.pop_front();
    launch(r, std::move(job), now_ms);
  }

  // Deliver last: the listener may call execute()/cancel(), which only queue.
  std::vector<ActionResult> out;
  out.swap(ready_);
  for (const ActionResult& res : out) listener_(res);
}

std::optional<int64_t> Executor::next_wakeup(int64_t now_ms) const {
  if (!ready_.empty()) return now_ms;
  std::optional<int64_t> at = runner_.next_wakeup(now_ms);
  auto consider = [&](int64_t t) { at = at ? std::min(*at, t) : t; };
  bool slots = !options_.max_parallel || running_count_ < options_.max_parallel;
  for (const auto& [id, r] : resources_) {
    if (!r.running && !r.queue.empty() && slots) consider(now_ms);
  }
  for (const auto& [key, rec] : recurring_) {
    if (!rec.in_flight) consider(rec.next_due);
  }
  return at;
}

size_t Executor::queued(std::string_view rsc) const {
  auto it = resources_.find(rsc);
  return it == resources_.end() ? 0 : it->second.queue.size();
}

bool Executor::running(std::string_view rsc) const {
  auto it = resources_.find(rsc);
  return it != resources_.end() && it->second.running.has_value();
}

}  // namespace hactl::agents
