#include "net/membership_messages.h"

#include "net/byte_io.h"

namespace hactl::net {
namespace {

bool has_seq(MsgType t) { return t != MsgType::gossip && t != MsgType::sync_request && t != MsgType::sync; }
bool has_target(MsgType t) { return t == MsgType::ping || t == MsgType::indirect_ping; }
bool has_from(UpdateKind k) { return k != UpdateKind::alive; }

}  // namespace

Bytes encode_message(const MembershipMessage& m) {
  Bytes out;
  out.reserve(kMaxMessageHeaderBytes + m.updates.size() * kMaxUpdateBytes);
  ByteWriter w(out);
  w.u8(static_cast<std::uint8_t>(m.type));
  w.u32(m.sender_incarnation);
  if (has_seq(m.type)) w.u32(m.probe_seq);
  if (has_target(m.type)) w.u32(m.target);
  const std::size_t n = std::min(m.updates.size(), kMaxUpdatesPerMessage);
  w.u8(static_cast<std::uint8_t>(n));
  for (std::size_t i = 0; i < n; ++i) {
    const Update& u = m.updates[i];
    w.u8(static_cast<std::uint8_t>(u.kind));
    w.u32(u.node);
    w.u32(u.incarnation);
    if (has_from(u.kind)) w.u32(u.from);
  }
  return out;
}

std::optional<MembershipMessage> decode_message(ByteView payload) {
  ByteReader r(payload);
  MembershipMessage m;
  std::uint8_t type = 0;
  r.u8(type);
  if (type < 1 || type > 7) return std::nullopt;
  m.type = static_cast<MsgType>(type);
  r.u32(m.sender_incarnation);
  if (has_seq(m.type)) r.u32(m.probe_seq);
  if (has_target(m.type)) r.u32(m.target);
  std::uint8_t n = 0;
  r.u8(n);
  if (!r.ok()) return std::nullopt;
  m.updates.reserve(n);
  for (int i = 0; i < n; ++i) {
    Update u;
    std::uint8_t kind = 0;
    r.u8(kind);
    if (kind < 1 || kind > 3) return std::nullopt;
    u.kind = static_cast<UpdateKind>(kind);
    r.u32(u.node);
    r.u32(u.incarnation);
    if (has_from(u.kind)) r.u32(u.from);
    if (!r.ok() || u.node == kNoNode) return std::nullopt;
    m.updates.push_back(u);
  }
  if (!r.at_end()) return std::nullopt;
  return m;
}

}  // namespace hactl::net
