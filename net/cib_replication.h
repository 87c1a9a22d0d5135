// CIB replication protocol: the messages carried on the bulk channel between
// the DC and the members, and the rules that pick which CIB wins. The CIB is
// opaque here (bytes + CibVersion): what it means is core/'s business.
//
// Flow (PROTOCOL.md, "CIB replication"):
//  - on every new view the DC sends version_query to each member and collects
//    version_report answers; plan_sync() then says whether the DC must first
//    fetch a newer CIB from someone (join/heal: the highest
//    (admin_epoch, epoch, num_updates) wins) and to whom it pushes cib_full;
//  - a member sends change_request to the DC; the DC applies it, makes it
//    durable, answers change_reply and pushes the new CIB to all members;
//  - a member adopts a pushed CIB only from the node it believes is DC, and
//    only if it is not older than its own (decide_push());
//  - a change of the status section only travels as status_delta: the edits
//    from `base` to `version`, sent to the members the DC knows hold `base`;
//    a member holding anything else answers version_report, and the DC
//    pushes it the whole CIB (decide_delta()).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/cib_document.h"
#include "net/net_types.h"

namespace hactl::net {

using core::CibVersion;

// Wire numbers: never reuse.
enum class CibMsgType : std::uint8_t {
  version_query = 1,
  version_report = 2,
  fetch = 3,
  full = 4,
  change_request = 5,
  change_reply = 6,
  status_delta = 7,
};

struct CibVersionQuery {
  std::uint64_t request_id = 0;
  bool operator==(const CibVersionQuery&) const = default;
};
struct CibVersionReport {
  std::uint64_t request_id = 0;
  CibVersion version;
  bool operator==(const CibVersionReport&) const = default;
};
struct CibFetch {
  std::uint64_t request_id = 0;
  bool operator==(const CibFetch&) const = default;
};
// A whole CIB: answer to a fetch (request_id set) or a push from the DC (0).
struct CibFull {
  std::uint64_t request_id = 0;
  CibVersion version;
  std::string cib;
  bool operator==(const CibFull&) const = default;
};
struct CibChangeRequest {
  std::uint64_t request_id = 0;
  std::string change;  // opaque to net/: the daemon's encoding of a CIB edit
  bool operator==(const CibChangeRequest&) const = default;
};
struct CibChangeReply {
  std::uint64_t request_id = 0;
  std::int32_t exit_code = 0;  // core::ExitCode value; 0 = applied and durable on the DC
  std::string message;
  CibVersion version;  // the CIB version after the change
  bool operator==(const CibChangeReply&) const = default;
};

// The DC's status edits from `base` to `version` (opaque to net/: the
// daemon's encoding, core/cib_document_delta.h).
struct CibStatusDelta {
  CibVersion base;
  CibVersion version;
  std::string delta;
  bool operator==(const CibStatusDelta&) const = default;
};

using CibMessage =
    std::variant<CibVersionQuery, CibVersionReport, CibFetch, CibFull, CibChangeRequest, CibChangeReply, CibStatusDelta>;

Bytes encode_cib_message(const CibMessage& m);
std::optional<CibMessage> decode_cib_message(ByteView payload);

// What the DC does after collecting versions from the members of a view.
struct SyncPlan {
  std::optional<NodeId> fetch_from;  // someone holds a newer CIB: get it first
  CibVersion target;                 // the winning version
  std::vector<NodeId> push_to;       // members to send the winning CIB to (ascending)
  bool operator==(const SyncPlan&) const = default;
};

// `reported` holds the members' versions (the DC excluded). The highest version wins;
// among equal versions the DC's own copy is preferred, then the lowest node id.
// With fetch_from set, push_to lists who will need the CIB once fetched.
SyncPlan plan_sync(NodeId self, const CibVersion& own, const std::map<NodeId, CibVersion>& reported);

enum class PushVerdict : std::uint8_t {
  adopt,        // replace the local CIB
  same,         // already have this version: nothing to do
  not_from_dc,  // sender is not our DC: ignore
  older,        // we hold a newer CIB: report our version so the DC fetches it
};
PushVerdict decide_push(const CibVersion& local, const CibVersion& offered, NodeId sender, std::optional<NodeId> dc);

enum class DeltaVerdict : std::uint8_t {
  apply,        // we hold the base: apply the edits
  same,         // already at (or past) this version by the same path: nothing to do
  not_from_dc,  // sender is not our DC: ignore
  report,       // we hold something else (behind, diverged or newer): report our version
};
DeltaVerdict decide_delta(const CibVersion& local, const CibStatusDelta& d, NodeId sender, std::optional<NodeId> dc);

}  // namespace hactl::net
