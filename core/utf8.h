// UTF-8, strictly (RFC 3629: no overlongs, no surrogates, nothing above
// U+10FFFF), in one place. Text from outside (agent output, CIB files, peers,
// command-line arguments) may carry any bytes, but JSON and XML consumers
// need valid UTF-8 (nlohmann's serializer throws on anything else): it is
// checked or made valid once, where it enters. The checks that must tell a
// valid non-ASCII character from a stray byte (ids, escaped output) decode
// one character at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hactl::core {

// The offset of the first byte that does not begin a well-formed UTF-8
// sequence (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF),
// or nullopt when the whole text is valid.
std::optional<size_t> first_invalid_utf8(std::string_view text);

inline bool is_valid_utf8(std::string_view text) { return !first_invalid_utf8(text); }

// `text` with every ill-formed sequence replaced by U+FFFD (one per maximal
// invalid subpart, as Unicode recommends); valid text is returned unchanged.
std::string to_valid_utf8(std::string_view text);

struct Utf8Char {
  char32_t code = 0;  // valid only when `length` > 0
  size_t length = 0;  // bytes taken; 0: s[at] does not start a valid character
};

Utf8Char decode_utf8_at(std::string_view s, size_t at);

}  // namespace hactl::core
