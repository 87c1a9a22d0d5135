#include "core/nvset_edit.h"

namespace hactl::core {

Element* ensure_nvset(CibDocument& doc, Element* parent, const char* tag, std::string_view id_base) {
  for (Element* s : children(parent, tag))
    if (!first_child(s, "rule")) return s;
  Element* set = add_child(parent, tag);
  set->SetAttribute("id", doc.unique_id(id_base).c_str());
  return set;
}

bool set_nvpair(CibDocument& doc, Element* set, std::string_view name, std::string_view value) {
  if (value.empty()) return remove_nvpair(set, name);
  for (Element* p : children(set, "nvpair")) {
    if (attr(p, "name") != name) continue;
    if (attr(p, "value") == value) return false;
    p->SetAttribute("value", std::string(value).c_str());
    return true;
  }
  Element* p = add_child(set, "nvpair");
  p->SetAttribute("id", doc.unique_id(attr(set, "id") + "-" + std::string(name)).c_str());
  p->SetAttribute("name", std::string(name).c_str());
  p->SetAttribute("value", std::string(value).c_str());
  return true;
}

bool remove_nvpair(Element* set, std::string_view name) {
  bool removed = false;
  for (Element* p : children(set, "nvpair"))
    if (attr(p, "name") == name) {
      set->DeleteChild(p);
      removed = true;
    }
  return removed;
}

std::optional<std::string> get_nvpair(const Element* parent, const char* tag, std::string_view name) {
  for (Element* s : children(parent, tag))
    for (Element* p : children(s, "nvpair"))
      if (attr(p, "name") == name) return attr(p, "value");
  return std::nullopt;
}

int drop_empty_sets(Element* parent, const char* tag) {
  int n = 0;
  for (Element* s : children(parent, tag))
    if (!s->FirstChildElement()) {
      parent->DeleteChild(s);
      ++n;
    }
  return n;
}

}  // namespace hactl::core
