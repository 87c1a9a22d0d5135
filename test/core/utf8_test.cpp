#include <doctest/doctest.h>

#include "core/utf8.h"

using namespace hactl::core;

TEST_CASE("utf8: valid text passes unchanged") {
  for (std::string_view s : {"", "plain ascii", "caf\xC3\xA9", "\xE2\x82\xAC 10", "\xF0\x9F\x98\x80",
                             "\xEF\xBF\xBD", "\xF4\x8F\xBF\xBF"}) {
    CHECK(is_valid_utf8(s));
    CHECK(to_valid_utf8(s) == s);
  }
}

TEST_CASE("utf8: Latin-1 and other ill-formed bytes are found and replaced") {
  struct Case {
    std::string_view in;
    size_t first_bad;
    std::string_view out;
  };
  const Case cases[] = {
      {"Fichier caf\xE9 introuvable", 11, "Fichier caf\xEF\xBF\xBD introuvable"},  // Latin-1 e-acute
      {"\xFF", 0, "\xEF\xBF\xBD"},
      {"a\xC0\xAF", 1, "a\xEF\xBF\xBD\xEF\xBF\xBD"},            // overlong '/': two bad bytes
      {"\xED\xA0\x80", 0, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},  // a surrogate
      {"\xF4\x90\x80\x80", 0, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},  // above U+10FFFF
      {"\xE2\x82", 0, "\xEF\xBF\xBD"},                           // truncated: one maximal subpart
      {"x\xE2\x82y", 1, "x\xEF\xBF\xBDy"},
      {"\x80", 0, "\xEF\xBF\xBD"},                               // lone continuation byte
  };
  for (const Case& c : cases) {
    CAPTURE(c.in);
    REQUIRE(first_invalid_utf8(c.in).has_value());
    CHECK(*first_invalid_utf8(c.in) == c.first_bad);
    std::string fixed = to_valid_utf8(c.in);
    CHECK(fixed == c.out);
    CHECK(is_valid_utf8(fixed));
  }
}

TEST_CASE("utf8: any byte string becomes valid") {
  uint32_t x = 12345;
  for (int round = 0; round < 2000; ++round) {
    std::string s;
    for (int i = 0; i < 16; ++i) {
      x = x * 1103515245 + 12345;
      s.push_back(static_cast<char>(x >> 24));
    }
    CHECK(is_valid_utf8(to_valid_utf8(s)));
  }
}

TEST_CASE("utf8: decoding one character at a time agrees with the whole-text check") {
  CHECK(decode_utf8_at("a", 0).code == U'a');
  CHECK(decode_utf8_at("caf\xC3\xA9", 3).code == 0xE9);
  CHECK(decode_utf8_at("caf\xC3\xA9", 3).length == 2);
  CHECK(decode_utf8_at("\xF0\x9F\x98\x80", 0).code == 0x1F600);
  CHECK(decode_utf8_at("\xE2\x82\xAC", 0).code == 0x20AC);
  for (std::string_view bad : {"\xFF", "\xC0\xAF", "\xED\xA0\x80", "\xE2\x82", "\x80"}) CHECK(decode_utf8_at(bad, 0).length == 0);
}
