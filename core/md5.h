// MD5 (RFC 1321), only because Pacemaker's operation digests are MD5 sums
// that hactl must reproduce byte for byte: not for anything security-related.
#pragma once

#include <string>
#include <string_view>

namespace hactl::core {

// The MD5 digest of `data` as 32 lower-case hex digits.
std::string md5_hex(std::string_view data);

}  // namespace hactl::core
