#include "net/cluster_key.h"

#include <sodium.h>

#include <algorithm>

namespace hactl::net {

core::Status ensure_sodium() {
  // sodium_init is idempotent and thread-safe: 0 = initialised now, 1 = already.
  static const int rc = sodium_init();
  if (rc < 0) return core::Status::error(core::ExitCode::error, "libsodium failed to initialise");
  return core::Status::ok();
}

KeyBytes derive_channel_key(const KeyBytes& cluster_key, Channel channel) {
  static_assert(crypto_kdf_KEYBYTES == kKeyBytes);
  // The context is 8 bytes and names this protocol generation; the subkey id
  // is the channel number, so every channel has an independent key.
  static constexpr char kContext[crypto_kdf_CONTEXTBYTES] = {'h', 'a', 'c', 't', 'l', '-', 'v', '1'};
  KeyBytes out{};
  crypto_kdf_derive_from_key(out.data(), out.size(), static_cast<std::uint64_t>(channel), kContext,
                             cluster_key.data());
  return out;
}

core::Result<KeyBytes> key_from_bytes(ByteView raw) {
  if (raw.size() != kKeyBytes)
    return core::Status::config("authkey must be exactly 32 bytes, got " + std::to_string(raw.size()));
  KeyBytes k{};
  std::copy(raw.begin(), raw.end(), k.begin());
  return k;
}

}  // namespace hactl::net
