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
// local_changed() (pushes to everyone) and reply().
// As member: answers queries and fetches, adopts pushes from its DC that are
// not older (decide_push) and confirms them with its version, reports its
// version back when it holds a newer one, and reports its version to the DC
// on every view change. The DC is in_sync() once every push is confirmed.
//
// No clock here: the daemon calls resync() on the DC when the bulk transport
// lost frames (TcpCounters::dropped_frames grew) and every few seconds, and
// times out its own change requests.
//
// Single-threaded. Messages from nodes outside the current view are ignored.
#pragma once

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

struct CibEffects {
  std::vector<CibSend> sends;
  std::optional<CibCopy> adopt;               // replace the local CIB with this (persist it)
  std::vector<IncomingChange> changes;        // DC: requests to apply
  std::vector<CibChangeReply> replies;        // member: answers to our requests
  std::vector<CibChangeRequest> not_sent;     // no DC in the view: requests refused locally
  void clear() { *this = CibEffects{}; }
};

class CibSync {
 public:
  CibSync(NodeId self, CibCopy local) : self_(self), local_(std::move(local)) {}

  void on_view(const std::vector<NodeId>& up, std::optional<NodeId> dc, CibEffects& out);
  void on_message(NodeId from, const CibMessage& m, CibEffects& out);
  // Restarts the DC's round (after a transport error, or periodically).
  void resync(CibEffects& out);

  // DC: the daemon applied a change and persisted it.
  void local_changed(CibCopy copy, CibEffects& out);
  // DC: answer a member's change request.
  void reply(NodeId to, const CibChangeReply& reply, CibEffects& out);
  // Member (or DC itself): ask the DC to apply `change`; returns the request id.
  std::uint64_t request_change(std::string change, CibEffects& out);

  const CibCopy& local() const { return local_; }
  bool is_dc() const { return dc_ == self_; }
  std::optional<NodeId> dc() const { return dc_; }
  // DC: every member reported (or was pushed) the DC's version.
  bool in_sync() const;

 private:
  bool in_view(NodeId id) const;
  void start_round(CibEffects& out);
  void replan(CibEffects& out);
  void push(NodeId to, CibEffects& out);

  NodeId self_;
  CibCopy local_;
  std::vector<NodeId> up_;
  std::optional<NodeId> dc_;
  std::uint64_t round_ = 0;                    // request id of the current query round
  std::map<NodeId, CibVersion> reported_;      // DC: member versions (as reported or pushed)
  std::set<NodeId> unconfirmed_;               // DC: pushed to, not yet confirmed by a report
  std::optional<std::pair<NodeId, CibVersion>> fetching_;
  std::uint64_t next_request_ = 1;
};

}  // namespace hactl::net
