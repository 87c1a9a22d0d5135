#include "net/tcp_transport.h"

#include <algorithm>
#include <asio.hpp>
#include <deque>
#include <map>
#include <optional>
#include <unordered_map>

#include "net/udp_transport.h"  // set_cloexec

namespace hactl::net {
namespace {

constexpr auto kConnectTimeout = std::chrono::seconds(3);
constexpr std::size_t kMaxQueuedBytes = 256u << 20;
// Reads of an anonymous connection are small: it may not send more than one
// small frame before it authenticates.
constexpr std::size_t kUnauthenticatedReadBytes = 4096;
constexpr std::size_t kReadBytes = 65536;

}  // namespace

struct TcpTransport::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::io_context& io, TcpLimits limits)
      : io(io), acceptor(io), limits(limits), admission(limits.admission), sweep(io) {}

  // Handlers of an outgoing connection carry its generation: one of an older
  // connection (failed, closed) finds a newer number and does nothing.
  struct Outbound {
    explicit Outbound(asio::io_context& io) : socket(io), timer(io), idle_timer(io) {}
    asio::ip::tcp::socket socket;
    asio::steady_timer timer;
    asio::steady_timer idle_timer;
    enum { idle, connecting, connected } state = idle;
    std::deque<Bytes> queue;
    std::size_t queued_bytes = 0;
    bool writing = false;
    std::uint64_t gen = 0;
    std::array<std::uint8_t, 64> sink{};  // peers never write on it: any read is its end
  };
  struct Inbound {
    Inbound(asio::io_context& io, ConnectionId id, std::size_t max)
        : socket(io), id(id), decoder(max), buffer(kUnauthenticatedReadBytes) {}
    asio::ip::tcp::socket socket;
    ConnectionId id;
    StreamDecoder decoder;
    Bytes buffer;
    bool authenticated = false;
  };

  asio::io_context& io;
  asio::ip::tcp::acceptor acceptor;
  asio::ip::address local_address;
  std::unordered_map<NodeId, asio::ip::tcp::endpoint> peers;
  std::unordered_map<NodeId, std::shared_ptr<Outbound>> out;
  FrameHandler on_frame;
  HelloMaker hello;
  TcpLimits limits;
  TcpCounters counters;
  bool closed = false;
  std::map<ConnectionId, std::shared_ptr<Inbound>> inbound;
  InboundAdmission admission;
  ConnectionId next_id = 1;
  asio::steady_timer sweep;  // the admission's next deadline
  std::optional<TimePoint> sweep_at;

  // Closes an inbound connection (its pending read then ends) and forgets it.
  void drop(ConnectionId id) {
    admission.closed(id);
    auto it = inbound.find(id);
    if (it == inbound.end()) return;
    asio::error_code ignored;
    it->second->socket.close(ignored);
    inbound.erase(it);
  }
  void refuse(ConnectionId id, InboundRefusal why) {
    ++counters.refused;
    ++counters.refusals[static_cast<std::size_t>(why)];
    drop(id);
  }
  void apply(const std::vector<InboundClosure>& closures) {
    for (const auto& c : closures) refuse(c.id, c.reason);
  }

  void arm_sweep() {
    const auto next = admission.next_expiry();
    if (!next || (sweep_at && *sweep_at <= *next)) return;
    sweep_at = *next;
    sweep.expires_at(*next);  // cancels an earlier wait, whose handler then does nothing
    sweep.async_wait([self = shared_from_this()](const asio::error_code& ec) {
      if (ec || self->closed) return;
      self->sweep_at.reset();
      self->apply(self->admission.expire(Clock::now()));
      self->arm_sweep();
    });
  }

  void accept() {
    auto in = std::make_shared<Inbound>(io, next_id++, limits.max_unauthenticated_frame);
    acceptor.async_accept(in->socket, [self = shared_from_this(), in](const asio::error_code& ec) {
      if (self->closed || ec == asio::error::operation_aborted) return;
      // The daemon forks only from this thread, so no fork can slip between
      // accept() and this call.
      if (!ec && set_cloexec(in->socket.native_handle())) {
        ++self->counters.accepted;
        asio::error_code e;
        const auto remote = in->socket.remote_endpoint(e);
        self->inbound[in->id] = in;
        self->apply(self->admission.accepted(in->id, e ? std::string("?") : remote.address().to_string(), Clock::now()));
        if (self->inbound.count(in->id)) self->read(in);
        self->arm_sweep();
      }
      self->accept();
    });
  }

  void read(const std::shared_ptr<Inbound>& in) {
    in->socket.async_read_some(asio::buffer(in->buffer), [self = shared_from_this(), in](const asio::error_code& ec,
                                                                                          std::size_t n) {
      if (self->closed) return;
      if (ec) return self->drop(in->id);  // peer closed, error, or closed by us
      in->decoder.feed(ByteView(in->buffer.data(), n));
      while (auto frame = in->decoder.next()) {
        ++self->counters.frames_received;
        const auto sender = self->on_frame(*frame);
        if (self->closed) return;
        if (in->authenticated) {
          self->admission.active(in->id, Clock::now());
          continue;
        }
        if (!sender) return self->refuse(in->id, InboundRefusal::failed_authentication);
        in->authenticated = true;
        in->decoder.set_max_frame(self->limits.max_frame);
        in->buffer.resize(kReadBytes);
        self->apply(self->admission.authenticated(in->id, *sender, Clock::now()));
        self->arm_sweep();
      }
      if (in->decoder.failed()) {
        if (!in->authenticated) return self->refuse(in->id, InboundRefusal::unauthenticated_length);
        ++self->counters.broken_streams;
        return self->drop(in->id);
      }
      if (self->inbound.count(in->id)) self->read(in);
    });
  }

  void fail(const std::shared_ptr<Outbound>& o) {
    ++o->gen;
    counters.dropped_frames += o->queue.size();
    o->queue.clear();
    o->queued_bytes = 0;
    o->writing = false;
    o->state = Outbound::idle;
    asio::error_code ignored;
    o->socket.close(ignored);
    o->timer.cancel();
    o->idle_timer.cancel();
  }

  void connect(NodeId to, const std::shared_ptr<Outbound>& o) {
    const auto& ep = peers.at(to);
    const std::uint64_t gen = ++o->gen;
    asio::error_code ec;
    o->socket.open(ep.protocol(), ec);
    // From our own configured address, so that the peer sees where we are.
    if (!ec) o->socket.bind(asio::ip::tcp::endpoint(local_address, 0), ec);
    if (ec || !set_cloexec(o->socket.native_handle())) {
      ++counters.connect_failures;
      return fail(o);
    }
    // The hello goes first. Sealed now, right after the frame that made us
    // connect, so sequence numbers stay in order within the replay window.
    o->queue.push_front(encode_stream_frame(hello()));
    o->queued_bytes += o->queue.front().size();
    o->state = Outbound::connecting;
    o->timer.expires_after(kConnectTimeout);
    o->timer.async_wait([o, gen](const asio::error_code& e) {
      if (!e && o->gen == gen && o->state == Outbound::connecting) {
        asio::error_code ignored;
        o->socket.close(ignored);  // the connect handler then fails
      }
    });
    o->socket.async_connect(ep, [self = shared_from_this(), o, gen](const asio::error_code& e) {
      if (self->closed || o->gen != gen) return;
      o->timer.cancel();
      if (e) {
        ++self->counters.connect_failures;
        return self->fail(o);
      }
      ++self->counters.connects;
      asio::error_code ignored;
      o->socket.set_option(asio::ip::tcp::no_delay(true), ignored);
      o->state = Outbound::connected;
      self->watch(o, gen);
      self->write(o);
    });
  }

  // The peer closing our connection (its idle limit, a restart) shows as the
  // end of this read: the next send then reconnects instead of writing into
  // a dead socket.
  void watch(const std::shared_ptr<Outbound>& o, std::uint64_t gen) {
    o->socket.async_read_some(asio::buffer(o->sink), [self = shared_from_this(), o, gen](const asio::error_code&,
                                                                                          std::size_t) {
      if (self->closed || o->gen != gen) return;
      self->fail(o);
    });
  }

  void arm_idle(const std::shared_ptr<Outbound>& o) {
    o->idle_timer.expires_after(limits.outbound_idle);
    o->idle_timer.async_wait([self = shared_from_this(), o, gen = o->gen](const asio::error_code& e) {
      if (e || self->closed || o->gen != gen || o->writing || !o->queue.empty()) return;
      ++self->counters.idle_closes;
      self->fail(o);
    });
  }

  void write(const std::shared_ptr<Outbound>& o) {
    if (o->writing || o->queue.empty() || o->state != Outbound::connected) return;
    o->writing = true;
    asio::async_write(o->socket, asio::buffer(o->queue.front()),
                      [self = shared_from_this(), o, gen = o->gen](const asio::error_code& e, std::size_t) {
                        if (self->closed || o->gen != gen) return;
                        o->writing = false;
                        if (e) return self->fail(o);
                        ++self->counters.frames_sent;
                        o->queued_bytes -= o->queue.front().size();
                        o->queue.pop_front();
                        if (o->queue.empty()) return self->arm_idle(o);
                        self->write(o);
                      });
  }
};

TcpTransport::TcpTransport(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
TcpTransport::~TcpTransport() { close(); }

core::Result<std::unique_ptr<TcpTransport>> TcpTransport::open(asio::io_context& io, const ClusterMembers& members,
                                                               NodeId self, FrameHandler on_frame, HelloMaker hello,
                                                               TcpLimits limits) {
  auto impl = std::make_shared<Impl>(io, limits);
  impl->on_frame = std::move(on_frame);
  impl->hello = std::move(hello);
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
  impl->local_address = asio::ip::make_address(me->address);
  const asio::ip::tcp::endpoint local(impl->local_address, me->effective_port());
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
std::size_t TcpTransport::unauthenticated_connections() const { return impl_->admission.unauthenticated_count(); }
std::size_t TcpTransport::authenticated_connections() const { return impl_->admission.authenticated_count(); }

void TcpTransport::close() {
  if (!impl_ || impl_->closed) return;
  impl_->closed = true;
  asio::error_code ec;
  impl_->acceptor.close(ec);
  impl_->sweep.cancel();
  for (auto& [id, o] : impl_->out) {
    o->socket.close(ec);
    o->timer.cancel();
    o->idle_timer.cancel();
  }
  for (auto& [id, in] : impl_->inbound) in->socket.close(ec);
  impl_->inbound.clear();
}

}  // namespace hactl::net
