#include "net/tcp_transport.h"

#include <algorithm>
#include <asio.hpp>
#include <deque>
#include <unordered_map>

#include "net/udp_transport.h"  // set_cloexec

namespace hactl::net {
namespace {

constexpr auto kConnectTimeout = std::chrono::seconds(3);
constexpr std::size_t kMaxQueuedBytes = 256u << 20;

}  // namespace

struct TcpTransport::Impl : std::enable_shared_from_this<Impl> {
  explicit Impl(asio::io_context& io) : io(io), acceptor(io) {}

  struct Outbound {
    explicit Outbound(asio::io_context& io) : socket(io), timer(io) {}
    asio::ip::tcp::socket socket;
    asio::steady_timer timer;
    enum { idle, connecting, connected } state = idle;
    std::deque<Bytes> queue;
    std::size_t queued_bytes = 0;
    bool writing = false;
  };
  struct Inbound {
    Inbound(asio::io_context& io, std::size_t max, std::shared_ptr<std::size_t> live)
        : socket(io), decoder(max), live(std::move(live)) {
      ++*this->live;
    }
    ~Inbound() { --*live; }
    asio::ip::tcp::socket socket;
    StreamDecoder decoder;
    std::shared_ptr<std::size_t> live;  // the transport's count of open inbound connections
    std::array<std::uint8_t, 65536> buffer{};
  };

  asio::io_context& io;
  asio::ip::tcp::acceptor acceptor;
  std::unordered_map<NodeId, asio::ip::tcp::endpoint> peers;
  std::unordered_map<NodeId, std::shared_ptr<Outbound>> out;
  FrameHandler on_frame;
  std::size_t max_frame = kMaxBulkFrameBytes;
  TcpCounters counters;
  bool closed = false;
  // Incoming connections are anonymous until a frame authenticates, so their
  // number is capped: each may buffer up to max_frame bytes.
  std::shared_ptr<std::size_t> inbound_live = std::make_shared<std::size_t>(0);
  std::size_t max_inbound = 16;

  void accept() {
    auto in = std::make_shared<Inbound>(io, max_frame, inbound_live);
    acceptor.async_accept(in->socket, [self = shared_from_this(), in](const asio::error_code& ec) {
      if (self->closed || ec == asio::error::operation_aborted) return;
      if (!ec && *self->inbound_live > self->max_inbound) {  // `in` itself is counted
        ++self->counters.refused;
        asio::error_code ignored;
        in->socket.close(ignored);
        return self->accept();
      }
      // The daemon forks only from this thread, so no fork can slip between
      // accept() and this call.
      if (!ec && set_cloexec(in->socket.native_handle())) {
        ++self->counters.accepted;
        self->read(in);
      }
      self->accept();
    });
  }

  void read(const std::shared_ptr<Inbound>& in) {
    in->socket.async_read_some(asio::buffer(in->buffer), [self = shared_from_this(), in](const asio::error_code& ec,
                                                                                          std::size_t n) {
      if (self->closed || ec) return;  // peer closed or error: drop the connection
      in->decoder.feed(ByteView(in->buffer.data(), n));
      while (auto frame = in->decoder.next()) {
        ++self->counters.frames_received;
        self->on_frame(*frame);
        if (self->closed) return;
      }
      if (in->decoder.failed()) {
        ++self->counters.broken_streams;
        asio::error_code ignored;
        in->socket.close(ignored);
        return;
      }
      self->read(in);
    });
  }

  void fail(const std::shared_ptr<Outbound>& o) {
    counters.dropped_frames += o->queue.size();
    o->queue.clear();
    o->queued_bytes = 0;
    o->writing = false;
    o->state = Outbound::idle;
    asio::error_code ignored;
    o->socket.close(ignored);
    o->timer.cancel();
  }

  void connect(NodeId to, const std::shared_ptr<Outbound>& o) {
    const auto& ep = peers.at(to);
    asio::error_code ec;
    o->socket.open(ep.protocol(), ec);
    if (ec || !set_cloexec(o->socket.native_handle())) {
      ++counters.connect_failures;
      return fail(o);
    }
    o->state = Outbound::connecting;
    o->timer.expires_after(kConnectTimeout);
    o->timer.async_wait([o](const asio::error_code& e) {
      if (!e && o->state == Outbound::connecting) {
        asio::error_code ignored;
        o->socket.close(ignored);  // the connect handler then fails
      }
    });
    o->socket.async_connect(ep, [self = shared_from_this(), o](const asio::error_code& e) {
      if (self->closed) return;
      o->timer.cancel();
      if (e) {
        ++self->counters.connect_failures;
        return self->fail(o);
      }
      ++self->counters.connects;
      asio::error_code ignored;
      o->socket.set_option(asio::ip::tcp::no_delay(true), ignored);
      o->state = Outbound::connected;
      self->write(o);
    });
  }

  void write(const std::shared_ptr<Outbound>& o) {
    if (o->writing || o->queue.empty() || o->state != Outbound::connected) return;
    o->writing = true;
    asio::async_write(o->socket, asio::buffer(o->queue.front()),
                      [self = shared_from_this(), o](const asio::error_code& e, std::size_t) {
                        if (self->closed) return;
                        o->writing = false;
                        if (e) return self->fail(o);
                        ++self->counters.frames_sent;
                        o->queued_bytes -= o->queue.front().size();
                        o->queue.pop_front();
                        self->write(o);
                      });
  }
};

TcpTransport::TcpTransport(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
TcpTransport::~TcpTransport() { close(); }

core::Result<std::unique_ptr<TcpTransport>> TcpTransport::open(asio::io_context& io, const ClusterMembers& members,
                                                               NodeId self, FrameHandler on_frame,
                                                               std::size_t max_frame) {
  auto impl = std::make_shared<Impl>(io);
  impl->on_frame = std::move(on_frame);
  impl->max_frame = max_frame;
  // Peers keep one connection each to us; leave room for reconnects.
  impl->max_inbound = std::max<std::size_t>(16, 4 * members.nodes.size());
  const NodeAddress* me = nullptr;
  for (const auto& n : members.nodes) {
    asio::error_code ec;
    const auto addr = asio::ip::make_address(n.address, ec);
    if (ec) return core::Status::config("node " + n.name + ": '" + n.address + "' is not a numeric IP address");
    if (n.id == self)
      me = &n;
    else
      impl->peers[n.id] = asio::ip::tcp::endpoint(addr, n.effective_port());
  }
  if (!me) return core::Status::config("node id " + std::to_string(self) + " is not in the cluster configuration");
  const asio::ip::tcp::endpoint local(asio::ip::make_address(me->address), me->effective_port());
  asio::error_code ec;
  impl->acceptor.open(local.protocol(), ec);
  if (ec) return core::Status::io("cannot open TCP socket: " + ec.message());
  if (auto st = set_cloexec(impl->acceptor.native_handle()); !st) return st;
  impl->acceptor.set_option(asio::ip::tcp::acceptor::reuse_address(true), ec);
  impl->acceptor.bind(local, ec);
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return core::Status::io("cannot listen on TCP " + me->address + ":" + std::to_string(me->effective_port()) +
                            ": " + ec.message());
  impl->accept();
  return std::unique_ptr<TcpTransport>(new TcpTransport(std::move(impl)));
}

void TcpTransport::send(NodeId to, ByteView frame) {
  Impl& s = *impl_;
  if (s.closed || !s.peers.count(to)) {
    ++s.counters.dropped_frames;
    return;
  }
  auto& o = s.out[to];
  if (!o) o = std::make_shared<Impl::Outbound>(s.io);
  if (o->queued_bytes + frame.size() > kMaxQueuedBytes) {
    ++s.counters.dropped_frames;
    return;
  }
  o->queue.push_back(encode_stream_frame(frame));
  o->queued_bytes += o->queue.back().size();
  if (o->state == Impl::Outbound::idle)
    s.connect(to, o);
  else
    s.write(o);
}

const TcpCounters& TcpTransport::counters() const { return impl_->counters; }

void TcpTransport::close() {
  if (!impl_ || impl_->closed) return;
  impl_->closed = true;
  asio::error_code ec;
  impl_->acceptor.close(ec);
  for (auto& [id, o] : impl_->out) {
    o->socket.close(ec);
    o->timer.cancel();
  }
}

}  // namespace hactl::net
