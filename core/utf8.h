// UTF-8 at the edges: text from outside (agent output, CIB files, peers,
// command-line arguments) may carry any bytes, but JSON and XML consumers
// need valid UTF-8 (nlohmann's serializer throws on anything else). Text is
// made valid once, where it enters, with these two functions.
#pragma once

#include <cstddef>
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

}  // namespace hactl::core
