#include "core/utf8_scan.h"

namespace hactl::core {

Utf8Char decode_utf8_at(std::string_view s, size_t at) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char b = byte(at);
  if (b < 0x80) return {b, 1};
  size_t n;
  char32_t c, min;
  if ((b & 0xE0) == 0xC0) n = 2, c = b & 0x1F, min = 0x80;
  else if ((b & 0xF0) == 0xE0) n = 3, c = b & 0x0F, min = 0x800;
  else if ((b & 0xF8) == 0xF0) n = 4, c = b & 0x07, min = 0x10000;
  else return {};
  if (at + n > s.size()) return {};
  for (size_t i = 1; i < n; ++i) {
    unsigned char t = byte(at + i);
    if ((t & 0xC0) != 0x80) return {};
    c = (c << 6) | (t & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return {};
  return {c, n};
}

}  // namespace hactl::core
