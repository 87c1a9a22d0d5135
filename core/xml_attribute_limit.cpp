#include "core/xml_attribute_limit.h"

#include <string>

namespace hactl::core {

namespace {

// Index just past `end` searched from `from`, or the end of the text.
size_t skip_past(std::string_view xml, size_t from, std::string_view end) {
  size_t at = xml.find(end, from);
  return at == std::string_view::npos ? xml.size() : at + end.size();
}

bool starts(std::string_view xml, size_t at, std::string_view what) { return xml.substr(at, what.size()) == what; }

}  // namespace

Status check_xml_attribute_counts(std::string_view xml, size_t limit) {
  size_t i = 0;
  while ((i = xml.find('<', i)) != std::string_view::npos) {
    if (starts(xml, i, "<!--")) { i = skip_past(xml, i + 4, "-->"); continue; }
    if (starts(xml, i, "<![CDATA[")) { i = skip_past(xml, i + 9, "]]>"); continue; }
    if (starts(xml, i, "<?")) { i = skip_past(xml, i + 2, "?>"); continue; }
    if (starts(xml, i, "<!") || starts(xml, i, "</")) { i = skip_past(xml, i + 2, ">"); continue; }
    // A start tag: its attributes are its '=' signs outside quoted values.
    size_t name_end = xml.find_first_of(" \t\r\n/>", i + 1);
    std::string_view name = xml.substr(i + 1, (name_end == std::string_view::npos ? xml.size() : name_end) - i - 1);
    size_t count = 0;
    size_t j = i + 1;
    while (j < xml.size() && xml[j] != '>') {
      char c = xml[j];
      if (c == '"' || c == '\'') {
        size_t close = xml.find(c, j + 1);
        if (close == std::string_view::npos) return {};  // unterminated: the parser says so
        j = close + 1;
        continue;
      }
      if (c == '=' && ++count > limit)
        return Status::error(ExitCode::data_err, "element <" + std::string(name.substr(0, 64)) + "> has more than " +
                                                     std::to_string(limit) + " attributes");
      ++j;
    }
    i = j;
  }
  return {};
}

}  // namespace hactl::core
