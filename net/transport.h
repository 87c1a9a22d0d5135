// The network seams: narrow interfaces with one real implementation each
// (asio: udp_transport.h, tcp_transport.h) and a simulated one
// (sim/sim_network.h). Transports move bytes to and from configured nodes
// only; they know nothing of frames, keys or membership, so all checking of
// what arrives stays in FrameGuard.
#pragma once

#include <functional>
#include <optional>

#include "net/membership.h"
#include "net/net_types.h"

namespace hactl::net {

// Unreliable, unordered datagrams (membership). Losing one is normal.
class DatagramTransport {
 public:
  virtual ~DatagramTransport() = default;
  virtual void send(NodeId to, ByteView datagram) = 0;
};

// Reliable, ordered frames per peer (bulk). A frame is a sealed bulk-channel
// frame; the transport adds and strips the length prefix. A broken connection
// drops what was queued on it: the CIB protocol recovers by re-syncing.
class StreamTransport {
 public:
  virtual ~StreamTransport() = default;
  virtual void send(NodeId to, ByteView frame) = 0;
};

// Receivers get raw bytes; the sender is whatever the frame authenticates as.
using DatagramHandler = std::function<void(ByteView datagram)>;
// A stream receiver returns the node the frame authenticated as (nullopt when
// it failed the guard): the transport admits a connection on that answer.
using FrameHandler = std::function<std::optional<NodeId>(ByteView frame)>;
// Makes a connection's first frame, the hello: a freshly sealed frame with an
// empty payload, small enough to pass the pre-authentication length limit.
using HelloMaker = std::function<Bytes()>;

// Sends every queued datagram of `fx` and clears fx.sends.
inline void dispatch_sends(Effects& fx, DatagramTransport& transport) {
  for (const auto& o : fx.sends) transport.send(o.to, o.payload);
  fx.sends.clear();
}

}  // namespace hactl::net
