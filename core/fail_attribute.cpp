#include "core/fail_attribute.h"

#include <cctype>

namespace hactl::core {

std::optional<FailAttribute> parse_fail_attribute(std::string_view name) {
  FailAttribute f;
  std::string_view rest;
  if (name.rfind("fail-count-", 0) == 0) {
    f.is_count = true;
    rest = name.substr(11);
  } else if (name.rfind("last-failure-", 0) == 0) {
    rest = name.substr(13);
  } else {
    return std::nullopt;
  }
  std::string_view id = rest.substr(0, rest.find_first_of(":#"));
  if (id.empty()) return std::nullopt;
  std::string_view suffix = rest.substr(id.size());
  if (!suffix.empty() && suffix[0] == ':') {
    size_t i = 1;
    while (i < suffix.size() && std::isdigit(static_cast<unsigned char>(suffix[i]))) ++i;
    if (i == 1) return std::nullopt;
    f.instance = std::string(suffix.substr(0, i));
    suffix = suffix.substr(i);
  }
  if (!suffix.empty()) {
    if (suffix[0] != '#' || suffix.find('_') == std::string_view::npos) return std::nullopt;
    f.op_key = std::string(suffix.substr(1));
  }
  f.rsc = std::string(id);
  return f;
}

}  // namespace hactl::core
