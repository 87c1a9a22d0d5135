#include "net/frame.h"

#include <sodium.h>

#include "net/byte_io.h"

namespace hactl::net {
namespace {

static_assert(crypto_aead_xchacha20poly1305_ietf_ABYTES == kFrameTagBytes);
static_assert(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES == 24);

using Nonce = std::array<std::uint8_t, 24>;

// The nonce is never sent: it is rebuilt from header fields. It is unique as
// long as (sender, boot, seq, salt) is, which the sender guarantees by never
// reusing a sequence number within a boot and by drawing a fresh salt per process.
Nonce make_nonce(const FrameHeader& h) {
  Bytes b;
  b.reserve(24);
  ByteWriter w(b);
  w.u32(h.sender);
  w.u64(h.boot);
  w.u64(h.seq);
  w.u32(h.salt);
  Nonce n{};
  std::copy(b.begin(), b.end(), n.begin());
  return n;
}

void write_header(const FrameHeader& h, Bytes& out) {
  ByteWriter w(out);
  w.u8(h.version);
  w.u8(static_cast<std::uint8_t>(h.channel));
  w.u16(0);  // flags: none defined in version 1
  w.u32(h.sender);
  w.u64(h.boot);
  w.u64(h.seq);
  w.u32(h.salt);
}

void set(FrameError* why, FrameError e) {
  if (why) *why = e;
}

}  // namespace

Bytes seal_frame(const FrameHeader& header, ByteView payload, const KeyBytes& channel_key) {
  Bytes out;
  out.reserve(kFrameOverhead + payload.size());
  write_header(header, out);
  const Nonce nonce = make_nonce(header);
  out.resize(kFrameHeaderBytes + payload.size() + kFrameTagBytes);
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + kFrameHeaderBytes, &clen, payload.data(), payload.size(),
                                             out.data(), kFrameHeaderBytes, nullptr, nonce.data(),
                                             channel_key.data());
  out.resize(kFrameHeaderBytes + clen);
  return out;
}

std::optional<FrameHeader> peek_frame_header(ByteView frame, FrameError* why) {
  if (frame.size() < kFrameOverhead) return set(why, FrameError::truncated), std::nullopt;
  ByteReader r(frame);
  FrameHeader h;
  std::uint8_t channel = 0;
  std::uint16_t flags = 0;
  r.u8(h.version);
  r.u8(channel);
  r.u16(flags);
  r.u32(h.sender);
  r.u64(h.boot);
  r.u64(h.seq);
  r.u32(h.salt);
  // A different version may change everything after the version byte, so it
  // is checked first; the rest of the header is only trusted for version 1.
  if (h.version != kWireVersion) return set(why, FrameError::bad_version), std::nullopt;
  if (channel != static_cast<std::uint8_t>(Channel::membership) && channel != static_cast<std::uint8_t>(Channel::bulk))
    return set(why, FrameError::bad_channel), std::nullopt;
  if (flags != 0) return set(why, FrameError::bad_flags), std::nullopt;
  h.channel = static_cast<Channel>(channel);
  return h;
}

std::optional<Bytes> open_frame(ByteView frame, const KeyBytes& channel_key, FrameError* why) {
  auto h = peek_frame_header(frame, why);
  if (!h) return std::nullopt;
  const Nonce nonce = make_nonce(*h);
  Bytes plain(frame.size() - kFrameOverhead);
  unsigned long long plen = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain.data(), &plen, nullptr, frame.data() + kFrameHeaderBytes,
                                                 frame.size() - kFrameHeaderBytes, frame.data(), kFrameHeaderBytes,
                                                 nonce.data(), channel_key.data()) != 0)
    return set(why, FrameError::bad_auth), std::nullopt;
  plain.resize(plen);
  return plain;
}

}  // namespace hactl::net
