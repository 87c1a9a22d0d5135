#include "core/cib_document_delta.h"

#include <cstring>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/utf8.h"
#include "core/xml_attribute_limit.h"

namespace hactl::core {

using tinyxml2::XMLDocument;
using tinyxml2::XMLNode;

namespace {

// Siblings are told apart by tag and id; "no id" is not the same key as id="".
std::string key_of(const Element* e) {
  std::string k = e->Name();
  if (const char* id = e->Attribute("id")) {
    k += '\x01';
    k += id;
  }
  return k;
}

std::string key_of_op(const Element* op) {
  std::string k = attr(op, "tag");
  if (const char* id = op->Attribute("id")) {
    k += '\x01';
    k += id;
  }
  return k;
}

bool same_attributes(const Element* a, const Element* b) {
  const tinyxml2::XMLAttribute* x = a->FirstAttribute();
  const tinyxml2::XMLAttribute* y = b->FirstAttribute();
  for (; x && y; x = x->Next(), y = y->Next())
    if (std::strcmp(x->Name(), y->Name()) != 0 || std::strcmp(x->Value(), y->Value()) != 0) return false;
  return !x && !y;
}

void copy_attributes(const Element* from, Element* to) {
  for (const tinyxml2::XMLAttribute* a = from->FirstAttribute(); a; a = a->Next()) to->SetAttribute(a->Name(), a->Value());
}

void replace_attributes(const Element* from, Element* to) {
  while (const tinyxml2::XMLAttribute* a = to->FirstAttribute()) to->DeleteAttribute(a->Name());
  copy_attributes(from, to);
}

bool only_elements(const Element* e) {
  for (const XMLNode* n = e->FirstChild(); n; n = n->NextSibling())
    if (!n->ToElement()) return false;
  return true;
}

bool has_child_elements(const Element* e) { return e->FirstChildElement() != nullptr; }

class DeltaWriter {
 public:
  explicit DeltaWriter(XMLDocument& out) : out_(out) {}

  // Ops turning `a` (old) into `b` (new), appended to `ops`.
  void element(const Element* a, const Element* b, Element* ops) {
    if (!same_attributes(a, b)) copy_attributes(b, op(ops, "attributes"));
    children(a, b, ops);
  }

 private:
  Element* op(Element* parent, const char* name) { return parent->InsertNewChildElement(name); }

  Element* keyed_op(Element* parent, const char* name, const Element* target) {
    Element* o = op(parent, name);
    o->SetAttribute("tag", target->Name());
    if (const char* id = target->Attribute("id")) o->SetAttribute("id", id);
    return o;
  }

  void put(Element* ops, const Element* b) { op(ops, "put")->InsertEndChild(b->DeepClone(&out_)); }

  void replace_children(const Element* b, Element* ops) {
    Element* all = op(ops, "children");
    for (const XMLNode* n = b->FirstChild(); n; n = n->NextSibling()) all->InsertEndChild(n->DeepClone(&out_));
  }

  bool same_children(const Element* a, const Element* b) {
    const XMLNode* x = a->FirstChild();
    const XMLNode* y = b->FirstChild();
    for (; x && y; x = x->NextSibling(), y = y->NextSibling())
      if (!same_xml(x, y)) return false;
    return !x && !y;
  }

  void children(const Element* a, const Element* b, Element* ops) {
    if (!only_elements(a) || !only_elements(b)) {
      if (!same_children(a, b)) replace_children(b, ops);
      return;
    }
    // Keyed edits keep the order only if the kept children stay in their
    // order and new ones come last (a put appends): else all are replaced.
    std::unordered_map<std::string, std::pair<const Element*, size_t>> old;
    size_t index = 0;
    for (const Element* c = a->FirstChildElement(); c; c = c->NextSiblingElement(), ++index)
      if (!old.emplace(key_of(c), std::make_pair(c, index)).second) return replace_children_unless_same(a, b, ops);
    struct Step {
      const Element* before;  // nullptr: new
      const Element* after;
    };
    std::vector<Step> steps;
    std::unordered_set<std::string> kept;
    bool seen_new = false;
    size_t last = 0;
    bool any_kept = false;
    for (const Element* c = b->FirstChildElement(); c; c = c->NextSiblingElement()) {
      std::string k = key_of(c);
      auto it = old.find(k);
      if (!kept.insert(k).second) return replace_children_unless_same(a, b, ops);  // duplicate key
      if (it == old.end()) {
        seen_new = true;
        steps.push_back({nullptr, c});
        continue;
      }
      if (seen_new || (any_kept && it->second.second < last)) return replace_children_unless_same(a, b, ops);
      any_kept = true;
      last = it->second.second;
      steps.push_back({it->second.first, c});
    }
    for (const Step& s : steps) {
      if (!s.before) {
        put(ops, s.after);
      } else if (!same_xml(s.before, s.after)) {
        if (has_child_elements(s.before) && has_child_elements(s.after))
          element(s.before, s.after, keyed_op(ops, "at", s.after));
        else
          put(ops, s.after);
      }
    }
    for (const Element* c = a->FirstChildElement(); c; c = c->NextSiblingElement())
      if (!kept.count(key_of(c))) keyed_op(ops, "drop", c);
  }

  void replace_children_unless_same(const Element* a, const Element* b, Element* ops) {
    if (!same_children(a, b)) replace_children(b, ops);
  }

  XMLDocument& out_;
};

// Everything but <status> and the root's own attributes, compared.
bool same_outside_status(const CibDocument& from, const CibDocument& to) {
  const XMLNode* x = from.xml().FirstChild();
  const XMLNode* y = to.xml().FirstChild();
  for (; x && y; x = x->NextSibling(), y = y->NextSibling()) {
    if (x == from.root() && y == to.root()) continue;
    if (!same_xml(x, y)) return false;
  }
  if (x || y) return false;
  const XMLNode* p = from.root()->FirstChild();
  const XMLNode* q = to.root()->FirstChild();
  auto skip_status = [](const XMLNode* n) {
    while (n && n->ToElement() && std::strcmp(n->ToElement()->Name(), "status") == 0) n = n->NextSibling();
    return n;
  };
  for (p = skip_status(p), q = skip_status(q); p && q; p = skip_status(p->NextSibling()), q = skip_status(q->NextSibling()))
    if (!same_xml(p, q)) return false;
  return !p && !q;
}

// Applying, in two passes over the same walk: the first resolves every key
// (and fails on any it cannot), the second edits with what was resolved, so
// a delta that does not fit leaves the document as it was.
class DeltaApplier {
 public:
  explicit DeltaApplier(XMLDocument& doc) : doc_(doc) {}

  // The edits from `first` on (and its siblings) apply to `target`.
  Status check(const Element* first, Element* target) {
    bool whole = false, keyed = false;
    std::unordered_map<std::string, Element*> index;
    const bool indexed = first && count_children(target) > 16;
    if (indexed)
      for (Element* c = target->FirstChildElement(); c; c = c->NextSiblingElement()) index.emplace(key_of(c), c);
    for (const Element* o = first; o; o = o->NextSiblingElement()) {
      const std::string name = o->Name();
      if (name == "attributes") {
        resolved_.push_back(target);
      } else if (name == "children") {
        whole = true;
        resolved_.push_back(target);
      } else if (name == "put") {
        keyed = true;
        const Element* content = o->FirstChildElement();
        if (!content || content->NextSiblingElement()) return bad("a put holds one element");
        resolved_.push_back(find(target, key_of(content), indexed ? &index : nullptr));
      } else if (name == "at" || name == "drop") {
        keyed = true;
        if (!o->Attribute("tag")) return bad("an edit without a tag");
        Element* child = find(target, key_of_op(o), indexed ? &index : nullptr);
        if (!child) return bad("no <" + attr(o, "tag") + (o->Attribute("id") ? " id=\"" + attr(o, "id") + "\"" : std::string()) +
                               "> under <" + target->Name() + ">");
        resolved_.push_back(child);
        if (name == "at")
          if (Status s = check(o->FirstChildElement(), child); !s) return s;
      } else {
        return bad("unknown edit <" + name + ">");
      }
    }
    if (whole && keyed) return bad("<children> mixed with keyed edits");
    return {};
  }

  void apply(const Element* first, Element* target) {
    for (const Element* o = first; o; o = o->NextSiblingElement()) {
      Element* r = resolved_[next_++];
      const std::string_view name = o->Name();
      if (name == "attributes") {
        replace_attributes(o, r);
      } else if (name == "children") {
        r->DeleteChildren();
        for (const XMLNode* n = o->FirstChild(); n; n = n->NextSibling()) r->InsertEndChild(n->DeepClone(&doc_));
      } else if (name == "put") {
        XMLNode* copy = o->FirstChildElement()->DeepClone(&doc_);
        if (r) {
          target->InsertAfterChild(r, copy);
          target->DeleteChild(r);
        } else {
          target->InsertEndChild(copy);
        }
      } else if (name == "drop") {
        target->DeleteChild(r);
      } else if (name == "at") {
        apply(o->FirstChildElement(), r);
      }
    }
  }

 private:
  static size_t count_children(const Element* e) {
    size_t n = 0;
    for (const Element* c = e->FirstChildElement(); c; c = c->NextSiblingElement()) ++n;
    return n;
  }
  static Element* find(Element* parent, const std::string& key, std::unordered_map<std::string, Element*>* index) {
    if (index) {
      auto it = index->find(key);
      return it == index->end() ? nullptr : it->second;
    }
    for (Element* c = parent->FirstChildElement(); c; c = c->NextSiblingElement())
      if (key_of(c) == key) return c;
    return nullptr;
  }
  static Status bad(const std::string& why) { return Status::error(ExitCode::data_err, "status delta does not apply: " + why); }

  XMLDocument& doc_;
  std::vector<Element*> resolved_;
  size_t next_ = 0;
};

}  // namespace

bool same_xml(const XMLNode* a, const XMLNode* b) {
  if (a == b) return true;
  if (!a || !b) return false;
  const Element* x = a->ToElement();
  const Element* y = b->ToElement();
  if (x || y) {
    if (!x || !y || std::strcmp(x->Name(), y->Name()) != 0 || !same_attributes(x, y)) return false;
    const XMLNode* p = x->FirstChild();
    const XMLNode* q = y->FirstChild();
    for (; p && q; p = p->NextSibling(), q = q->NextSibling())
      if (!same_xml(p, q)) return false;
    return !p && !q;
  }
  const bool text = a->ToText(), comment = a->ToComment(), declaration = a->ToDeclaration();
  if (text != static_cast<bool>(b->ToText()) || comment != static_cast<bool>(b->ToComment()) ||
      declaration != static_cast<bool>(b->ToDeclaration()))
    return false;
  if (text && a->ToText()->CData() != b->ToText()->CData()) return false;
  return std::strcmp(a->Value(), b->Value()) == 0;
}

std::optional<std::string> status_delta(const CibDocument& from, const CibDocument& to) {
  const Element* old_status = first_child(from.root(), "status");
  const Element* new_status = first_child(to.root(), "status");
  if (!old_status || !new_status) return std::nullopt;  // rare: the whole CIB says it
  if (!same_outside_status(from, to)) return std::nullopt;
  XMLDocument out(true, tinyxml2::COLLAPSE_WHITESPACE);
  Element* top = out.NewElement("status_delta");
  out.InsertEndChild(top);
  copy_attributes(to.root(), top->InsertNewChildElement("root"));
  DeltaWriter(out).element(old_status, new_status, top);
  tinyxml2::XMLPrinter printer(nullptr, true);
  out.Print(&printer);
  return std::string(printer.CStr());
}

Status apply_status_delta(CibDocument& doc, std::string_view delta) {
  if (first_invalid_utf8(delta)) return Status::error(ExitCode::data_err, "status delta is not valid UTF-8");
  if (Status s = check_xml_attribute_counts(delta); !s) return Status::error(s.code(), "status delta: " + s.message());
  XMLDocument d(true, tinyxml2::COLLAPSE_WHITESPACE);
  if (d.Parse(delta.data(), delta.size()) != tinyxml2::XML_SUCCESS)
    return Status::error(ExitCode::data_err, std::string("status delta does not parse: ") + (d.ErrorStr() ? d.ErrorStr() : "?"));
  const Element* top = d.RootElement();
  if (!top || std::strcmp(top->Name(), "status_delta") != 0)
    return Status::error(ExitCode::data_err, "status delta: root element is not <status_delta>");
  const Element* root_attrs = top->FirstChildElement();
  if (!root_attrs || std::strcmp(root_attrs->Name(), "root") != 0)
    return Status::error(ExitCode::data_err, "status delta: no <root> attributes first");
  Element* status = first_child(doc.root(), "status");
  if (!status) return Status::error(ExitCode::data_err, "status delta does not apply: the CIB has no <status>");
  for (const XMLNode* n = top->FirstChild(); n; n = n->NextSibling())
    if (!n->ToElement()) return Status::error(ExitCode::data_err, "status delta: text beside the edits");
  DeltaApplier applier(doc.xml());
  if (Status s = applier.check(root_attrs->NextSiblingElement(), status); !s) return s;
  applier.apply(root_attrs->NextSiblingElement(), status);
  replace_attributes(root_attrs, doc.root());
  return {};
}

}  // namespace hactl::core
