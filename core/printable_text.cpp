#include "core/printable_text.h"

#include <cstdio>

#include "core/utf8.h"

namespace hactl::core {

namespace {

void hex_escape(std::string& out, unsigned char b) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02x", b);
  out += buf;
}

}  // namespace

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    unsigned char b = static_cast<unsigned char>(text[i]);
    if (b >= 0x20 && b < 0x7f) {
      out += static_cast<char>(b);
      ++i;
      continue;
    }
    if (b == '\n') out += "\\n";
    else if (b == '\t') out += "\\t";
    else if (b == '\r') out += "\\r";
    else if (b < 0x80) hex_escape(out, b);
    else if (Utf8Char c = decode_utf8_at(text, i); c.length > 0 && !(c.code >= 0x80 && c.code < 0xA0)) {
      out.append(text.substr(i, c.length));  // C1 controls (U+0080..U+009F) are escaped below
      i += c.length;
      continue;
    } else if (c.length > 0) {
      for (size_t k = 0; k < c.length; ++k) hex_escape(out, static_cast<unsigned char>(text[i + k]));
      i += c.length;
      continue;
    } else {
      hex_escape(out, b);
    }
    ++i;
  }
  return out;
}

}  // namespace hactl::core
