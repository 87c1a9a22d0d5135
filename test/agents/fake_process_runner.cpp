#include "test/agents/fake_process_runner.h"

namespace hactl::agents {

FakeProcessRunner::Started* FakeProcessRunner::find(ProcessId id) {
  for (auto& s : started_)
    if (s.id == id) return &s;
  return nullptr;
}

ProcessId FakeProcessRunner::start(SpawnRequest request, int64_t now_ms) {
  Started s;
  s.id = next_id_++;
  s.started_ms = now_ms;
  std::optional<int> answer = responder ? responder(request) : std::nullopt;
  s.request = std::move(request);
  started_.push_back(std::move(s));
  if (answer) complete(started_.back().id, *answer);
  return started_.back().id;
}

void FakeProcessRunner::complete(ProcessId id, int exit_code, std::string out, std::string err) {
  Started* s = find(id);
  if (!s || s->ended) return;
  s->ended = true;
  ProcessOutcome o;
  o.id = id;
  o.end = ProcessOutcome::End::exited;
  o.exit_code = exit_code;
  o.out = std::move(out);
  o.err = std::move(err);
  o.started_ms = s->started_ms;
  o.ended_ms = -1;  // stamped by poll()
  finished_.push_back(std::move(o));
}

void FakeProcessRunner::cancel(ProcessId id, int64_t now_ms) {
  Started* s = find(id);
  if (!s || s->ended) return;
  s->ended = true;
  ProcessOutcome o;
  o.id = id;
  o.end = ProcessOutcome::End::cancelled;
  o.started_ms = s->started_ms;
  o.ended_ms = now_ms;
  finished_.push_back(std::move(o));
}

std::vector<ProcessOutcome> FakeProcessRunner::poll(int64_t now_ms) {
  for (auto& s : started_) {
    if (s.ended || s.request.timeout_ms <= 0 || now_ms < s.started_ms + s.request.timeout_ms) continue;
    s.ended = true;
    ProcessOutcome o;
    o.id = s.id;
    o.end = ProcessOutcome::End::timed_out;
    o.signal = 15;
    o.started_ms = s.started_ms;
    o.ended_ms = now_ms;
    finished_.push_back(std::move(o));
  }
  std::vector<ProcessOutcome> out;
  out.swap(finished_);
  for (auto& o : out)
    if (o.ended_ms < 0) o.ended_ms = now_ms;
  return out;
}

std::optional<int64_t> FakeProcessRunner::next_wakeup(int64_t now_ms) const {
  if (!finished_.empty()) return now_ms;
  std::optional<int64_t> at;
  for (const auto& s : started_) {
    if (s.ended || s.request.timeout_ms <= 0) continue;
    int64_t t = s.started_ms + s.request.timeout_ms;
    at = at ? std::min(*at, t) : t;
  }
  return at;
}

size_t FakeProcessRunner::running() const {
  size_t n = 0;
  for (const auto& s : started_) n += s.ended ? 0 : 1;
  return n;
}

std::vector<ProcessId> FakeProcessRunner::running_ids() const {
  std::vector<ProcessId> ids;
  for (const auto& s : started_)
    if (!s.ended) ids.push_back(s.id);
  return ids;
}

}  // namespace hactl::agents
