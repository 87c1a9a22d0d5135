#include "net/membership_endpoint.h"

namespace hactl::net {

MembershipEndpoint::MembershipEndpoint(const EndpointIdentity& id, const std::vector<NodeId>& members,
                                       const KeyBytes& cluster_key, const MembershipConfig& config)
    : membership_(id.self, members, config, id.seed),
      sealer_(Channel::membership, cluster_key, id.self, id.boot, id.salt),
      guard_(Channel::membership, cluster_key, id.self, members, config.max_datagram) {}

void MembershipEndpoint::seal(Effects& out, std::size_t first) {
  for (std::size_t i = first; i < out.sends.size(); ++i) out.sends[i].payload = sealer_.seal(out.sends[i].payload);
}

void MembershipEndpoint::start(TimePoint now, Effects& out) {
  const std::size_t first = out.sends.size();
  membership_.start(now, out);
  seal(out, first);
}

void MembershipEndpoint::on_datagram(ByteView datagram, TimePoint now, Effects& out) {
  auto frame = guard_.open(datagram);
  if (!frame) return;  // counted by the guard
  const std::size_t first = out.sends.size();
  membership_.on_message(frame->sender, frame->payload, now, out);
  seal(out, first);
}

void MembershipEndpoint::on_tick(TimePoint now, Effects& out) {
  const std::size_t first = out.sends.size();
  membership_.on_tick(now, out);
  seal(out, first);
}

}  // namespace hactl::net
