#include "net/membership_service.h"

#include <sodium.h>

#include <asio.hpp>

namespace hactl::net {

std::uint64_t boot_from_realtime() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<Millis>(std::chrono::system_clock::now().time_since_epoch()).count());
}

struct MembershipService::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::io_context& io, const EndpointIdentity& id, const ServiceOptions& o)
      : timer(io), endpoint(id, o.members.ids(), o.members.key, o.config) {}
  asio::steady_timer timer;
  MembershipEndpoint endpoint;
  std::unique_ptr<UdpTransport> udp;
  MemberEventHandler on_event;
  ProcessedHandler on_processed;
  Effects fx;
  bool stopped = false;
  bool paused = false;

  // Sends what the endpoint produced, reports events, re-arms the timer.
  void flush() {
    dispatch_sends(fx, *udp);
    auto events = std::move(fx.events);
    fx.events.clear();
    for (const auto& e : events)
      if (on_event) on_event(e);
    if (on_processed) on_processed(endpoint);
    if (!stopped) arm();
  }

  void arm() {
    // Never sleep more than a second, so a missed computation cannot stall
    // the protocol for long.
    const TimePoint now = Clock::now();
    TimePoint at = endpoint.next_wakeup();
    if (at > now + Millis(1000)) at = now + Millis(1000);
    if (paused) at = now + Millis(100);  // a past wakeup would spin while paused
    timer.expires_at(at);
    timer.async_wait([weak = weak_from_this()](const asio::error_code& ec) {
      auto self = weak.lock();
      if (!self || ec || self->stopped) return;
      if (self->paused) return self->arm();
      self->endpoint.on_tick(Clock::now(), self->fx);
      self->flush();
    });
  }
};

MembershipService::MembershipService(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
MembershipService::~MembershipService() { stop(); }

core::Result<std::unique_ptr<MembershipService>> MembershipService::start(asio::io_context& io,
                                                                          const ServiceOptions& options,
                                                                          MemberEventHandler on_event,
                                                                          ProcessedHandler on_processed) {
  if (auto st = ensure_sodium(); !st) return st;
  EndpointIdentity id;
  id.self = options.self;
  id.boot = options.boot ? options.boot : boot_from_realtime();
  id.salt = randombytes_random();
  randombytes_buf(&id.seed, sizeof id.seed);
  auto impl = std::make_shared<Impl>(io, id, options);
  impl->on_event = std::move(on_event);
  impl->on_processed = std::move(on_processed);
  std::weak_ptr<Impl> weak = impl;
  auto udp = UdpTransport::open(io, options.members, options.self, [weak](ByteView datagram) {
    auto self = weak.lock();
    if (!self || self->stopped || self->paused) return;
    self->endpoint.on_datagram(datagram, Clock::now(), self->fx);
    self->flush();
  });
  if (!udp) return udp.status();
  impl->udp = std::move(*udp);
  impl->endpoint.start(Clock::now(), impl->fx);
  impl->flush();
  return std::unique_ptr<MembershipService>(new MembershipService(std::move(impl)));
}

const MembershipEndpoint& MembershipService::endpoint() const { return impl_->endpoint; }
const UdpCounters& MembershipService::udp_counters() const { return impl_->udp->counters(); }

void MembershipService::set_paused(bool paused) { impl_->paused = paused; }

void MembershipService::stop() {
  if (!impl_ || impl_->stopped) return;
  impl_->stopped = true;
  impl_->timer.cancel();
  impl_->udp->close();
}

}  // namespace hactl::net
