#include "core/xml_id.h"

#include <cstdio>

#include "core/printable_text.h"
#include "core/utf8.h"

namespace hactl::core {

namespace {

// XML 1.0 (5th edition) NameStartChar without ':' (an NCName).
bool name_start(char32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
  return (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF) ||
         (c >= 0x370 && c <= 0x37D) || (c >= 0x37F && c <= 0x1FFF) || (c >= 0x200C && c <= 0x200D) ||
         (c >= 0x2070 && c <= 0x218F) || (c >= 0x2C00 && c <= 0x2FEF) || (c >= 0x3001 && c <= 0xD7FF) ||
         (c >= 0xF900 && c <= 0xFDCF) || (c >= 0xFDF0 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0xEFFFF);
}

bool name_char(char32_t c) {
  return name_start(c) || c == '-' || c == '.' || (c >= '0' && c <= '9') || c == 0xB7 ||
         (c >= 0x300 && c <= 0x36F) || (c >= 0x203F && c <= 0x2040);
}

// The offending character as the message shows it: itself when printable,
// else its escape (a newline is shown as \n, a stray byte as \xff).
std::string shown(std::string_view id, size_t at, size_t length) {
  return printable(id.substr(at, length ? length : 1));
}

}  // namespace

std::string id_error(std::string_view id, std::string_view what) {
  std::string w(what);
  if (id.empty()) return w + " cannot be empty";
  for (size_t i = 0; i < id.size();) {
    Utf8Char c = decode_utf8_at(id, i);
    bool ok = c.length > 0 && (i == 0 ? name_start(c.code) : name_char(c.code));
    if (!ok) {
      std::string article = std::string_view("aeiou").find(w[0]) != std::string_view::npos ? "an " : "a ";
      return "invalid " + w + " '" + printable(id) + "', '" + shown(id, i, c.length) + "' is not a valid " +
             (i == 0 ? "first character" : "character") + " for " + article + w;
    }
    i += c.length;
  }
  return "";
}

bool is_valid_id(std::string_view id) { return id_error(id).empty(); }

std::string sanitize_id(std::string_view candidate) {
  std::string out;
  for (size_t i = 0; i < candidate.size();) {
    Utf8Char c = decode_utf8_at(candidate, i);
    size_t n = c.length ? c.length : 1;
    if (c.length && (out.empty() ? name_start(c.code) : name_char(c.code))) out.append(candidate.substr(i, n));
    i += n;
  }
  return out.empty() ? "id" : out;
}

std::string id_role(std::string_view tag) {
  if (tag == "primitive" || tag == "clone" || tag == "master" || tag == "bundle") return "resource name";
  if (tag == "group") return "group name";
  if (tag.starts_with("rsc_") || tag == "resource_set") return "constraint id";
  if (tag == "op") return "operation id";
  if (tag == "tag") return "tag id";
  return "id";
}

std::vector<Element*> id_elements(const CibDocument& doc) {
  std::vector<Element*> out;
  for (Element* e : descendants(doc.configuration())) {
    std::string_view tag = e->Name();
    if (tag == "node" || tag == "acl_target" || tag == "acl_group" || tag == "resource_ref" || tag == "obj_ref")
      continue;
    if (has_attr(e, "id")) out.push_back(e);
  }
  return out;
}

std::set<std::string> config_ids(const CibDocument& doc) {
  std::set<std::string> ids;
  for (Element* e : id_elements(doc)) ids.insert(attr(e, "id"));
  return ids;
}

Status check_new_ids(const std::set<std::string>& existing, const CibDocument& doc) {
  for (Element* e : id_elements(doc)) {
    std::string id = attr(e, "id");
    if (existing.count(id)) continue;
    if (std::string why = id_error(id, id_role(e->Name())); !why.empty()) return Status::invalid(why);
  }
  return {};
}

}  // namespace hactl::core
