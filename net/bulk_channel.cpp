#include "net/bulk_channel.h"

#include <sodium.h>

namespace hactl::net {

BulkChannel::BulkChannel(const ClusterMembers& members, NodeId self, std::uint64_t boot, CibMessageHandler handler)
    : sealer_(Channel::bulk, members.key, self, boot, randombytes_random()),
      guard_(Channel::bulk, members.key, self, members.ids(), kMaxBulkFrameBytes),
      handler_(std::move(handler)) {}

core::Result<std::unique_ptr<BulkChannel>> BulkChannel::open(asio::io_context& io, const ClusterMembers& members,
                                                             NodeId self, std::uint64_t boot,
                                                             CibMessageHandler handler) {
  if (auto st = ensure_sodium(); !st) return st;
  std::unique_ptr<BulkChannel> ch(new BulkChannel(members, self, boot, std::move(handler)));
  BulkChannel* raw = ch.get();  // the transport is owned by, and closed before, the channel
  auto t = TcpTransport::open(
      io, members, self, [raw](ByteView frame) { return raw->on_frame(frame); },
      [raw] { return raw->sealer_.seal({}); });
  if (!t) return t.status();
  ch->transport_ = std::move(*t);
  return ch;
}

void BulkChannel::send(NodeId to, const CibMessage& message) {
  transport_->send(to, sealer_.seal(encode_cib_message(message)));
}

std::optional<NodeId> BulkChannel::on_frame(ByteView frame) {
  auto opened = guard_.open(frame);
  if (!opened) return std::nullopt;
  if (opened->payload.empty()) return opened->sender;  // a connection's hello
  auto msg = decode_cib_message(opened->payload);
  if (!msg)
    ++undecodable_;
  else
    handler_(opened->sender, *msg);
  return opened->sender;
}

}  // namespace hactl::net
