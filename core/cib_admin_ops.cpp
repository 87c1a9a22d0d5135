#include "core/cib_admin_ops.h"

#include <algorithm>
#include <cctype>
#include <functional>

namespace hactl::core {

namespace {

constexpr std::string_view kSections[] = {"crm_config", "nodes",     "resources",        "constraints", "rsc_defaults",
                                          "op_defaults", "fencing-topology", "acls", "tags", "alerts"};

struct Predicate {
  std::string attr, value;
};
struct Step {
  bool any_depth = false;
  std::string tag;  // "*" for any
  std::vector<Predicate> preds;
};

Result<std::vector<Predicate>> parse_predicates(std::string_view text) {
  std::vector<Predicate> out;
  size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && text[pos] == ' ') ++pos;
    if (text.substr(pos, 4) == "and ") {
      pos += 4;
      continue;
    }
    if (pos >= text.size()) break;
    if (text[pos] != '@') return Status::invalid("unsupported XPath predicate '" + std::string(text) + "' (use [@name='value'])");
    size_t eq = text.find('=', pos);
    if (eq == std::string_view::npos || eq + 1 >= text.size()) return Status::invalid("unsupported XPath predicate '" + std::string(text) + "'");
    char q = text[eq + 1];
    size_t end = (q == '\'' || q == '"') ? text.find(q, eq + 2) : std::string_view::npos;
    if (end == std::string_view::npos) return Status::invalid("unsupported XPath predicate '" + std::string(text) + "'");
    out.push_back({std::string(text.substr(pos + 1, eq - pos - 1)), std::string(text.substr(eq + 2, end - eq - 2))});
    pos = end + 1;
  }
  return out;
}

Result<std::vector<Step>> parse_xpath(std::string_view xp) {
  if (xp.empty() || xp[0] != '/') return Status::invalid("unsupported XPath '" + std::string(xp) + "': it must start with / or //");
  std::vector<Step> steps;
  size_t pos = 0;
  while (pos < xp.size()) {
    Step s;
    if (xp.substr(pos, 2) == "//") s.any_depth = true, pos += 2;
    else if (xp[pos] == '/') ++pos;
    else return Status::invalid("unsupported XPath '" + std::string(xp) + "'");
    size_t end = pos;
    while (end < xp.size() && xp[end] != '/' && xp[end] != '[') ++end;
    s.tag = std::string(xp.substr(pos, end - pos));
    if (s.tag.empty()) return Status::invalid("unsupported XPath '" + std::string(xp) + "'");
    for (char c : s.tag)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '*'))
        return Status::invalid("unsupported XPath '" + std::string(xp) + "' (the subset: steps, //, *, [@a='v' and ...])");
    pos = end;
    while (pos < xp.size() && xp[pos] == '[') {
      size_t close = xp.find(']', pos);
      if (close == std::string_view::npos) return Status::invalid("unsupported XPath '" + std::string(xp) + "': unclosed [");
      auto preds = parse_predicates(xp.substr(pos + 1, close - pos - 1));
      if (!preds) return preds.status();
      s.preds.insert(s.preds.end(), preds->begin(), preds->end());
      pos = close + 1;
    }
    steps.push_back(std::move(s));
  }
  return steps;
}

bool matches(const Element* e, const Step& s) {
  if (s.tag != "*" && s.tag != e->Name()) return false;
  for (const Predicate& p : s.preds)
    if (!has_attr(e, p.attr.c_str()) || attr(e, p.attr.c_str()) != p.value) return false;
  return true;
}

void collect(const Element* e, bool any_depth, std::vector<Element*>& out) {
  for (Element* c : children(e)) {
    out.push_back(c);
    if (any_depth) collect(c, true, out);
  }
}

bool same_identity(const Element* e, const Element* xml) {
  if (std::string_view(e->Name()) != xml->Name()) return false;
  return !has_attr(xml, "id") || attr(e, "id") == attr(xml, "id");
}

Element* find_like(Element* within, const Element* xml) {
  for (Element* e : descendants(within))
    if (same_identity(e, xml)) return e;
  return nullptr;
}

void merge_into(CibDocument& doc, Element* target, const Element* xml) {
  for (const tinyxml2::XMLAttribute* a = xml->FirstAttribute(); a; a = a->Next()) target->SetAttribute(a->Name(), a->Value());
  for (const Element* c : children(xml)) {
    Element* match = nullptr;
    for (Element* t : children(target))
      if (same_identity(t, c)) match = t;
    if (match) merge_into(doc, match, c);
    else target->InsertEndChild(c->DeepClone(&doc.xml()));
  }
}

}  // namespace

Element* scope_element(CibDocument& doc, std::string_view scope, bool create) {
  if (scope.empty() || scope == "cib") return doc.root();
  if (scope == "configuration") return doc.configuration();
  if (scope == "status") return create ? doc.status_section() : first_child(doc.root(), "status");
  for (std::string_view s : kSections)
    if (s == scope) return create ? doc.section(scope) : doc.find_section(scope);
  return nullptr;
}

Result<std::vector<Element*>> select_xpath(const CibDocument& doc, std::string_view xpath) {
  auto steps = parse_xpath(xpath);
  if (!steps) return steps.status();
  // The document node's only child is <cib>.
  std::vector<Element*> current;
  bool first = true;
  for (const Step& s : *steps) {
    std::vector<Element*> candidates;
    if (first) {
      candidates.push_back(doc.root());
      if (s.any_depth) collect(doc.root(), true, candidates);
    } else {
      for (Element* e : current) collect(e, s.any_depth, candidates);
    }
    first = false;
    current.clear();
    for (Element* c : candidates)
      if (matches(c, s) && std::find(current.begin(), current.end(), c) == current.end()) current.push_back(c);
  }
  return current;
}

Status create_child(CibDocument& doc, Element* parent, const Element* xml) {
  for (const Element* e : descendants(xml))
    if (has_attr(e, "id") && doc.id_in_use(attr(e, "id")))
      return Status::config("Update does not conform to the configured schema: id '" + attr(e, "id") + "' is already in use");
  if (has_attr(xml, "id") && doc.id_in_use(attr(xml, "id")))
    return Status::config("Update does not conform to the configured schema: id '" + attr(xml, "id") + "' is already in use");
  parent->InsertEndChild(xml->DeepClone(&doc.xml()));
  return {};
}

Status modify_element(CibDocument& doc, Element* within, const Element* xml, bool allow_create) {
  Element* target = std::string_view(within->Name()) == xml->Name() ? within : find_like(within, xml);
  if (!target) {
    if (!allow_create) return Status::error(ExitCode::no_such, "No such device or address: no <" + std::string(xml->Name()) +
                                                                     (has_attr(xml, "id") ? " id=\"" + attr(xml, "id") + "\"" : "") + "> to modify");
    return create_child(doc, within, xml);
  }
  merge_into(doc, target, xml);
  return {};
}

Status delete_matching(Element* within, const Element* xml) {
  for (Element* e : descendants(within)) {
    if (std::string_view(e->Name()) != xml->Name()) continue;
    bool all = true;
    for (const tinyxml2::XMLAttribute* a = xml->FirstAttribute(); a && all; a = a->Next())
      all = has_attr(e, a->Name()) && attr(e, a->Name()) == a->Value();
    if (!all) continue;
    e->Parent()->DeleteChild(e);
    return {};
  }
  return {};
}

Status replace_element(CibDocument& doc, Element* within, const Element* xml) {
  if (std::string_view(xml->Name()) == "cib") {
    tinyxml2::XMLPrinter p;
    xml->Accept(&p);
    auto fresh = CibDocument::parse(p.CStr());
    if (!fresh) return fresh.status();
    if (fresh->version() < doc.version())
      return Status::error(ExitCode::old, "Update was older than existing configuration (" + fresh->version().to_string() + " < " +
                                              doc.version().to_string() + ")");
    doc = std::move(*fresh);
    return {};
  }
  Element* target = std::string_view(within->Name()) == xml->Name() ? within : find_like(within, xml);
  if (!target) return Status::error(ExitCode::no_such, "No such device or address: no <" + std::string(xml->Name()) + "> to replace");
  if (target == doc.root()) return Status::invalid("the <cib> element can only be replaced by a whole <cib>");
  target->Parent()->InsertAfterChild(target, xml->DeepClone(&doc.xml()));
  target->Parent()->DeleteChild(target);
  return {};
}

}  // namespace hactl::core
