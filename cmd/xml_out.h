// A tiny streaming XML writer with libxml2's layout (two spaces a level,
// empty elements self-closed), for the pacemaker-result documents the crm_*
// personalities print; and that document's closing <status> element.
#pragma once

#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace hactl::cmd {

using XmlAttrs = std::vector<std::pair<const char*, std::string>>;

inline std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  return out;
}

class XmlOut {
 public:
  explicit XmlOut(std::ostream& os) : os_(os) {}
  void open(const char* tag, const XmlAttrs& attrs = {}) {
    start(tag, attrs);
    os_ << ">\n";
    stack_.push_back(tag);
  }
  void leaf(const char* tag, const XmlAttrs& attrs = {}) {
    start(tag, attrs);
    os_ << "/>\n";
  }
  // <tag attrs>text</tag> on one line.
  void text(const char* tag, const std::string& body, const XmlAttrs& attrs = {}) {
    start(tag, attrs);
    os_ << ">" << xml_escape(body) << "</" << tag << ">\n";
  }
  void close() {
    os_ << std::string(2 * (stack_.size() - 1), ' ') << "</" << stack_.back() << ">\n";
    stack_.pop_back();
  }

 private:
  void start(const char* tag, const XmlAttrs& attrs) {
    os_ << std::string(2 * stack_.size(), ' ') << "<" << tag;
    for (const auto& [k, v] : attrs) os_ << " " << k << "=\"" << xml_escape(v) << "\"";
  }
  std::ostream& os_;
  std::vector<const char*> stack_;
};

}  // namespace hactl::cmd
