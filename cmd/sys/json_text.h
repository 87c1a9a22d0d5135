// The one way hactl turns JSON into text. Outside text is made valid UTF-8
// where it enters (core/utf8.h); this is the backstop for anything missed:
// nlohmann's default serializer throws on invalid UTF-8, and a throw here
// would stop the node agent, so invalid bytes become U+FFFD instead.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace hactl::cmd {

inline std::string json_text(const nlohmann::json& j, int indent = -1) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace hactl::cmd
