// CibSync: one node's side of CIB replication as a pure state machine
// (messages in, messages out, no clock, no I/O). The CIB is opaque: a string
// and its CibVersion. The daemon owns persistence and CIB semantics; it feeds
// views and messages here and acts on the effects.
//
// As DC: on every view (and on resync()) it asks the members for their
// versions; each report is folded into plan_sync(): a member holding a newer
// CIB is fetched from, members holding an older (or different) one get the
// winner pushed. Change requests from members surface as effects for the
// daemon, which applies them, makes them durable, then calls
// local_changed() (pushes to everyone) and reply(). A change of the status
// section alone (local_status_changed()) travels as a delta to the members
// known to hold its base, and as the whole CIB to the others.
// As member: answers queries and fetches, adopts pushes from its DC that are
// not older (decide_push), applies deltas on the base they name and reports
// its version on any other (decide_delta), confirms each push and delta with
// its version, reports its version back when it holds a newer one, and
// reports its version to the DC on every view change. The DC is in_sync()
// once every push and delta is confirmed.
//
// The CIB's text is made only when a whole copy must travel (a push to a
// member that is behind, a fetch): `render` serialises the daemon's current
// CIB, whose version is local_version(); once per version.
//
// No clock here: the daemon calls resync() on the DC when the bulk transport
// lost frames (TcpCounters::dropped_frames grew) and every few seconds, and
// times out its own change requests.
//
// Single-threaded. Messages from nodes outside the current view are ignored.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "net/cib_replication.h"

namespace hactl::net {

struct CibCopy {
  CibVersion version;
  std::string cib;
  bool operator==(const CibCopy&) const = default;
};

struct CibSend {
  NodeId to = kNoNode;
  CibMessage message;
};

struct IncomingChange {
  NodeId from = kNoNode;
  std::uint64_t request_id = 0;
  std::string change;
};

// Member: apply these status edits to the local CIB (of version `base`),
// then persist it; if they do not apply, call delta_failed().
struct DeltaToApply {
  CibVersion base;
  CibVersion version;
  std::string delta;
};

struct CibEffects {
  std::vector<CibSend> sends;
  std::optional<CibCopy> adopt;               // replace the local CIB with this (persist it)
  std::optional<DeltaToApply> apply_delta;
  std::vector<IncomingChange> changes;        // DC: requests to apply
  std::vector<CibChangeReply> replies;        // member: answers to our requests
  std::vector<CibChangeRequest> not_sent;     // no DC in the view: requests refused locally
  void clear() { *this = CibEffects{}; }
};

class CibSync {
 public:
  // The request id of a member's report that confirms a push or delta.
  static constexpr std::uint64_t kConfirmation = ~std::uint64_t{0};
  using Render = std::function<std::string()>;
  CibSync(NodeId self, CibVersion version, Render render)
      : self_(self), version_(version), render_(std::move(render)) {}
  // A fixed copy (tests): the text is known, render serves it until changed.
  CibSync(NodeId self, CibCopy local);

  void on_view(const std::vector<NodeId>& up, std::optional<NodeId> dc, CibEffects& out);
  void on_message(NodeId from, const CibMessage& m, CibEffects& out);
  // Restarts the DC's round (after a transport error, or periodically).
  void resync(CibEffects& out);

  // DC: the daemon applied a change and persisted it.
  void local_changed(CibCopy copy, CibEffects& out);
  // DC: the daemon changed only the status section, from `base` (the version
  // this holds) to `version`, and persisted it; `delta` says how.
  void local_status_changed(const CibVersion& base, const CibVersion& version, std::string delta, CibEffects& out);
  // Member: the delta of apply_delta did not apply; the local CIB is still
  // `actual`. The DC is told, and pushes the whole CIB.
  void delta_failed(const CibVersion& actual, CibEffects& out);
  // DC: answer a member's change request.
  void reply(NodeId to, const CibChangeReply& reply, CibEffects& out);
  // Member (or DC itself): ask the DC to apply `change`; returns the request id.
  std::uint64_t request_change(std::string change, CibEffects& out);

  const CibVersion& local_version() const { return version_; }
  // The local CIB's text (rendered if not known yet for this version).
  const std::string& local_text();
  CibCopy local() { return {version_, local_text()}; }
  bool is_dc() const { return dc_ == self_; }
  std::optional<NodeId> dc() const { return dc_; }
  // DC: every member reported (or was pushed) the DC's version.
  bool in_sync() const;

 private:
  bool in_view(NodeId id) const;
  void start_round(CibEffects& out);
  void replan(CibEffects& out);
  void push(NodeId to, CibEffects& out);
  void set_local(CibCopy copy);

  NodeId self_;
  CibVersion version_;
  Render render_;
  std::optional<std::string> text_;  // of version_, once rendered
  std::vector<NodeId> up_;
  std::optional<NodeId> dc_;
  std::uint64_t round_ = 0;                    // request id of the current query round
  std::map<NodeId, CibVersion> reported_;      // DC: member versions (as reported or pushed)
  std::set<NodeId> unconfirmed_;               // DC: pushed to, not yet confirmed by a report
  std::optional<std::pair<NodeId, CibVersion>> fetching_;
  std::uint64_t next_request_ = 1;
};

}  // namespace hactl::net
