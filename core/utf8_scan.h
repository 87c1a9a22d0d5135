// Decoding one UTF-8 character at a time, strictly (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF), for the checks that must
// tell a valid non-ASCII character from a stray byte (ids, escaped output).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace hactl::core {

struct Utf8Char {
  char32_t code = 0;  // valid only when `length` > 0
  size_t length = 0;  // bytes taken; 0: s[at] does not start a valid character
};

Utf8Char decode_utf8_at(std::string_view s, size_t at);

}  // namespace hactl::core
