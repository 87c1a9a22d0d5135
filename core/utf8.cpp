#include "core/utf8.h"

namespace hactl::core {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

struct Scan {
  size_t length;  // bytes consumed: the sequence, or its maximal invalid subpart
  bool valid;
};

// The sequence starting at text[i]. An ill-formed one consumes its maximal
// subpart (the lead byte and the continuation bytes that could still have
// completed it), so each gets exactly one U+FFFD, as Unicode recommends.
Scan scan(std::string_view text, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char b = byte(i);
  if (b < 0x80) return {1, true};
  size_t len;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b >= 0xC2 && b <= 0xDF) len = 2;
  else if (b == 0xE0) len = 3, lo = 0xA0;          // no overlong 3-byte forms
  else if (b >= 0xE1 && b <= 0xEC) len = 3;
  else if (b == 0xED) len = 3, hi = 0x9F;          // no UTF-16 surrogates
  else if (b >= 0xEE && b <= 0xEF) len = 3;
  else if (b == 0xF0) len = 4, lo = 0x90;          // no overlong 4-byte forms
  else if (b >= 0xF1 && b <= 0xF3) len = 4;
  else if (b == 0xF4) len = 4, hi = 0x8F;          // nothing above U+10FFFF
  else return {1, false};
  for (size_t k = 1; k < len; ++k) {
    if (i + k >= text.size()) return {k, false};
    unsigned char c = byte(i + k);
    bool ok = k == 1 ? (c >= lo && c <= hi) : (c & 0xC0) == 0x80;
    if (!ok) return {k, false};
  }
  return {len, true};
}

}  // namespace

std::optional<size_t> first_invalid_utf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    Scan s = scan(text, i);
    if (!s.valid) return i;
    i += s.length;
  }
  return std::nullopt;
}

Utf8Char decode_utf8_at(std::string_view s, size_t at) {
  if (at >= s.size()) return {};
  Scan sc = scan(s, at);
  if (!sc.valid) return {};
  static constexpr unsigned char kLeadMask[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
  char32_t c = static_cast<unsigned char>(s[at]) & kLeadMask[sc.length];
  for (size_t i = 1; i < sc.length; ++i) c = (c << 6) | (static_cast<unsigned char>(s[at + i]) & 0x3F);
  return {c, sc.length};
}

std::string to_valid_utf8(std::string_view text) {
  auto bad = first_invalid_utf8(text);
  if (!bad) return std::string(text);
  std::string out(text.substr(0, *bad));
  for (size_t i = *bad; i < text.size();) {
    Scan s = scan(text, i);
    if (s.valid) out.append(text.substr(i, s.length));
    else out.append(kReplacement);
    i += s.length;
  }
  return out;
}

}  // namespace hactl::core
