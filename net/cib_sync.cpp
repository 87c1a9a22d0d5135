#include "net/cib_sync.h"

#include <algorithm>

namespace hactl::net {

CibSync::CibSync(NodeId self, CibCopy local) : self_(self), version_(local.version), text_(std::move(local.cib)) {}

const std::string& CibSync::local_text() {
  if (!text_) text_ = render_ ? render_() : std::string();
  return *text_;
}

void CibSync::set_local(CibCopy copy) {
  version_ = copy.version;
  text_ = std::move(copy.cib);
}

bool CibSync::in_view(NodeId id) const { return std::find(up_.begin(), up_.end(), id) != up_.end(); }

void CibSync::on_view(const std::vector<NodeId>& up, std::optional<NodeId> dc, CibEffects& out) {
  up_ = up;
  dc_ = dc;
  reported_.clear();
  unconfirmed_.clear();
  fetching_.reset();
  if (is_dc()) {
    start_round(out);
  } else if (dc_) {
    // Views converge at slightly different moments: a push the DC sent
    // before we counted it as a member was ignored. Telling the DC our
    // version on every view change closes that gap (at worst one extra push).
    out.sends.push_back(CibSend{*dc_, CibVersionReport{0, version_}});
  }
}

void CibSync::resync(CibEffects& out) {
  reported_.clear();
  unconfirmed_.clear();
  fetching_.reset();
  if (is_dc()) start_round(out);
}

void CibSync::start_round(CibEffects& out) {
  round_ = next_request_++;
  for (NodeId id : up_)
    if (id != self_) out.sends.push_back(CibSend{id, CibVersionQuery{round_}});
}

bool CibSync::in_sync() const {
  if (!is_dc() || fetching_ || !unconfirmed_.empty()) return false;
  for (NodeId id : up_) {
    if (id == self_) continue;
    auto it = reported_.find(id);
    if (it == reported_.end() || it->second != version_) return false;
  }
  return true;
}

void CibSync::push(NodeId to, CibEffects& out) {
  out.sends.push_back(CibSend{to, CibFull{0, version_, local_text()}});
  // Planned as if it landed; in sync only once the member confirms: a push
  // lost with a broken bulk connection (no view change) would otherwise
  // leave that member stale for good, the DC believing it in sync.
  reported_[to] = version_;
  unconfirmed_.insert(to);
}

void CibSync::replan(CibEffects& out) {
  const SyncPlan plan = plan_sync(self_, version_, reported_);
  if (plan.fetch_from) {
    if (!fetching_ || fetching_->second < plan.target) {
      fetching_ = std::make_pair(*plan.fetch_from, plan.target);
      out.sends.push_back(CibSend{*plan.fetch_from, CibFetch{round_}});
    }
    return;  // push once the winner is here
  }
  for (NodeId id : plan.push_to) push(id, out);
}

void CibSync::on_message(NodeId from, const CibMessage& m, CibEffects& out) {
  if (!in_view(from) || from == self_) return;
  if (auto* q = std::get_if<CibVersionQuery>(&m)) {
    out.sends.push_back(CibSend{from, CibVersionReport{q->request_id, version_}});
  } else if (auto* r = std::get_if<CibVersionReport>(&m)) {
    if (!is_dc()) return;
    if (r->request_id == kConfirmation) {
      // A push or delta landed. One for an older version than the last sent
      // there does not mean "behind": the later one's confirmation follows
      // (or, lost, the periodic resync finds the member unconfirmed).
      auto it = reported_.find(from);
      if (it != reported_.end() && it->second == r->version) {
        unconfirmed_.erase(from);
        return;
      }
      if (it != reported_.end() && r->version < it->second) return;
    }
    reported_[from] = r->version;
    unconfirmed_.erase(from);
    replan(out);
  } else if (auto* f = std::get_if<CibFetch>(&m)) {
    out.sends.push_back(CibSend{from, CibFull{f->request_id, version_, local_text()}});
  } else if (auto* full = std::get_if<CibFull>(&m)) {
    if (is_dc()) {
      // The answer to our fetch: the highest version wins, whoever holds it.
      reported_[from] = full->version;
      if (fetching_ && fetching_->first == from) fetching_.reset();
      if (full->version > version_) {
        set_local(CibCopy{full->version, full->cib});
        out.adopt = CibCopy{full->version, full->cib};
      }
      replan(out);
      return;
    }
    switch (decide_push(version_, full->version, from, dc_)) {
      case PushVerdict::adopt:
        set_local(CibCopy{full->version, full->cib});
        out.adopt = CibCopy{full->version, full->cib};
        out.sends.push_back(CibSend{from, CibVersionReport{kConfirmation, version_}});  // confirms the push
        break;
      case PushVerdict::same:
        out.sends.push_back(CibSend{from, CibVersionReport{kConfirmation, version_}});
        break;
      case PushVerdict::older:
        // We hold something newer (e.g. from the other side of a healed
        // partition): tell the DC, which will fetch it.
        out.sends.push_back(CibSend{from, CibVersionReport{0, version_}});
        break;
      case PushVerdict::not_from_dc: break;
    }
  } else if (auto* d = std::get_if<CibStatusDelta>(&m)) {
    if (is_dc()) return;  // only a DC sends deltas; two DCs are resolved by the views
    switch (decide_delta(version_, *d, from, dc_)) {
      case DeltaVerdict::apply:
        // Taken as applied: the daemon says otherwise with delta_failed().
        version_ = d->version;
        text_.reset();
        out.apply_delta = DeltaToApply{d->base, d->version, d->delta};
        out.sends.push_back(CibSend{from, CibVersionReport{kConfirmation, version_}});  // confirms it
        break;
      case DeltaVerdict::report:
        // Behind (a push lost), diverged or newer: the DC pushes the whole
        // CIB, or fetches ours.
        out.sends.push_back(CibSend{from, CibVersionReport{0, version_}});
        break;
      case DeltaVerdict::same:
      case DeltaVerdict::not_from_dc: break;
    }
  } else if (auto* c = std::get_if<CibChangeRequest>(&m)) {
    if (is_dc()) out.changes.push_back(IncomingChange{from, c->request_id, c->change});
    // Not the DC (views disagree for a moment): the requester times out and retries.
  } else if (auto* rep = std::get_if<CibChangeReply>(&m)) {
    if (dc_ == from) out.replies.push_back(*rep);
  }
}

void CibSync::local_changed(CibCopy copy, CibEffects& out) {
  set_local(std::move(copy));
  if (!is_dc()) return;
  for (NodeId id : up_)
    if (id != self_) push(id, out);
}

void CibSync::local_status_changed(const CibVersion& base, const CibVersion& version, std::string delta, CibEffects& out) {
  const bool from_ours = base == version_;  // else no member can hold the base as we know it
  version_ = version;
  text_.reset();
  if (!is_dc()) return;
  for (NodeId id : up_) {
    if (id == self_) continue;
    auto it = reported_.find(id);
    if (from_ours && !fetching_ && it != reported_.end() && it->second == base) {
      out.sends.push_back(CibSend{id, CibStatusDelta{base, version, delta}});
      it->second = version;  // as for a push: confirmed by the member's report
      unconfirmed_.insert(id);
    } else {
      push(id, out);
    }
  }
}

void CibSync::delta_failed(const CibVersion& actual, CibEffects& out) {
  version_ = actual;
  text_.reset();
  if (dc_ && !is_dc()) out.sends.push_back(CibSend{*dc_, CibVersionReport{0, version_}});
}

void CibSync::reply(NodeId to, const CibChangeReply& r, CibEffects& out) {
  out.sends.push_back(CibSend{to, r});
}

std::uint64_t CibSync::request_change(std::string change, CibEffects& out) {
  const std::uint64_t id = next_request_++;
  CibChangeRequest req{id, std::move(change)};
  if (!dc_)
    out.not_sent.push_back(std::move(req));
  else if (is_dc())
    out.changes.push_back(IncomingChange{self_, id, req.change});
  else
    out.sends.push_back(CibSend{*dc_, std::move(req)});
  return id;
}

}  // namespace hactl::net
