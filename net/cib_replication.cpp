#include "net/cib_replication.h"

#include <algorithm>

#include "net/byte_io.h"
#include "net/stream_framing.h"

namespace hactl::net {
namespace {

constexpr std::size_t kMaxText = kMaxBulkFrameBytes;

void put_version(ByteWriter& w, const CibVersion& v) {
  w.i64(v.admin_epoch);
  w.i64(v.epoch);
  w.i64(v.num_updates);
}

bool get_version(ByteReader& r, CibVersion& v) {
  std::int64_t a = 0, e = 0, n = 0;
  if (!r.i64(a) || !r.i64(e) || !r.i64(n)) return false;
  v = CibVersion{a, e, n};
  return true;
}

struct Encoder {
  ByteWriter& w;
  void operator()(const CibVersionQuery& m) { w.u64(m.request_id); }
  void operator()(const CibVersionReport& m) {
    w.u64(m.request_id);
    put_version(w, m.version);
  }
  void operator()(const CibFetch& m) { w.u64(m.request_id); }
  void operator()(const CibFull& m) {
    w.u64(m.request_id);
    put_version(w, m.version);
    w.blob(m.cib);
  }
  void operator()(const CibChangeRequest& m) {
    w.u64(m.request_id);
    w.blob(m.change);
  }
  void operator()(const CibChangeReply& m) {
    w.u64(m.request_id);
    w.u32(static_cast<std::uint32_t>(m.exit_code));
    w.blob(m.message);
    put_version(w, m.version);
  }
  void operator()(const CibStatusDelta& m) {
    put_version(w, m.base);
    put_version(w, m.version);
    w.blob(m.delta);
  }
};

}  // namespace

Bytes encode_cib_message(const CibMessage& m) {
  Bytes out;
  ByteWriter w(out);
  // Variant index + 1 is the wire type: the alternatives are declared in CibMsgType order.
  w.u8(static_cast<std::uint8_t>(m.index() + 1));
  std::visit(Encoder{w}, m);
  return out;
}

std::optional<CibMessage> decode_cib_message(ByteView payload) {
  ByteReader r(payload);
  std::uint8_t type = 0;
  r.u8(type);
  std::optional<CibMessage> out;
  switch (static_cast<CibMsgType>(type)) {
    case CibMsgType::version_query: {
      CibVersionQuery m;
      r.u64(m.request_id);
      out = m;
      break;
    }
    case CibMsgType::version_report: {
      CibVersionReport m;
      r.u64(m.request_id);
      get_version(r, m.version);
      out = m;
      break;
    }
    case CibMsgType::fetch: {
      CibFetch m;
      r.u64(m.request_id);
      out = m;
      break;
    }
    case CibMsgType::full: {
      CibFull m;
      r.u64(m.request_id);
      get_version(r, m.version);
      r.blob(m.cib, kMaxText);
      out = std::move(m);
      break;
    }
    case CibMsgType::change_request: {
      CibChangeRequest m;
      r.u64(m.request_id);
      r.blob(m.change, kMaxText);
      out = std::move(m);
      break;
    }
    case CibMsgType::change_reply: {
      CibChangeReply m;
      std::uint32_t code = 0;
      r.u64(m.request_id);
      r.u32(code);
      m.exit_code = static_cast<std::int32_t>(code);
      r.blob(m.message, kMaxText);
      get_version(r, m.version);
      out = std::move(m);
      break;
    }
    case CibMsgType::status_delta: {
      CibStatusDelta m;
      get_version(r, m.base);
      get_version(r, m.version);
      r.blob(m.delta, kMaxText);
      out = std::move(m);
      break;
    }
    default: return std::nullopt;
  }
  if (!r.at_end()) return std::nullopt;
  return out;
}

SyncPlan plan_sync(NodeId self, const CibVersion& own, const std::map<NodeId, CibVersion>& reported) {
  SyncPlan plan;
  plan.target = own;
  NodeId holder = self;
  for (const auto& [id, v] : reported) {  // std::map: ascending ids, so ties keep the lowest
    if (id == self) continue;
    if (v > plan.target) {
      plan.target = v;
      holder = id;
    }
  }
  if (holder != self) plan.fetch_from = holder;
  for (const auto& [id, v] : reported)
    if (id != self && id != holder && v != plan.target) plan.push_to.push_back(id);
  return plan;
}

PushVerdict decide_push(const CibVersion& local, const CibVersion& offered, NodeId sender, std::optional<NodeId> dc) {
  if (!dc || *dc != sender) return PushVerdict::not_from_dc;
  if (offered < local) return PushVerdict::older;
  if (offered == local) return PushVerdict::same;
  return PushVerdict::adopt;
}

DeltaVerdict decide_delta(const CibVersion& local, const CibStatusDelta& d, NodeId sender, std::optional<NodeId> dc) {
  if (!dc || *dc != sender) return DeltaVerdict::not_from_dc;
  if (local == d.base && d.version > d.base) return DeltaVerdict::apply;
  if (local == d.version) return DeltaVerdict::same;
  return DeltaVerdict::report;
}

}  // namespace hactl::net
