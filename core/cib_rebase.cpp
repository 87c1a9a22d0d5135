#include "core/cib_rebase.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace hactl::core {

namespace {

using tinyxml2::XMLDocument;
using tinyxml2::XMLNode;

struct Conflict {
  std::string where;
};

bool same(const XMLNode* a, const XMLNode* b) {
  if (!a || !b) return a == b;
  tinyxml2::XMLPrinter pa(nullptr, true), pb(nullptr, true);
  a->Accept(&pa);
  b->Accept(&pb);
  return std::string_view(pa.CStr()) == std::string_view(pb.CStr());
}

std::map<std::string, std::string> attributes(const Element* e) {
  std::map<std::string, std::string> out;
  for (const tinyxml2::XMLAttribute* a = e->FirstAttribute(); a; a = a->Next()) out[a->Name()] = a->Value();
  return out;
}

// A child's key among its siblings: tag and id; empty when it has no id (then
// its siblings are merged as one opaque list).
std::string key_of(const XMLNode* n) {
  const Element* e = n->ToElement();
  if (!e || !e->Attribute("id")) return {};
  return std::string(e->Name()) + "#" + e->Attribute("id");
}

// Children keyed by tag+id, in order; false when any child has no key or a
// key repeats (text, comments, id-less elements: merged as a whole).
bool keyed_children(const Element* e, std::vector<std::pair<std::string, const Element*>>& out) {
  std::set<std::string> seen;
  for (const XMLNode* c = e->FirstChild(); c; c = c->NextSibling()) {
    std::string k = key_of(c);
    if (k.empty() || !seen.insert(k).second) return false;
    out.emplace_back(k, c->ToElement());
  }
  return true;
}

const Element* find_key(const std::vector<std::pair<std::string, const Element*>>& v, const std::string& k) {
  for (const auto& [key, e] : v)
    if (key == k) return e;
  return nullptr;
}

std::string path_of(const Element* e) {
  std::string p = e->Name();
  if (e->Attribute("id")) p += "[@id='" + std::string(e->Attribute("id")) + "']";
  return p;
}

// Writes into `out` (a copy of theirs' element) the merge of b -> m onto t.
// b, m, t are the same element (same key) in the three documents.
void merge_into(const Element* b, const Element* m, const Element* t, Element* out, XMLDocument& doc,
                std::vector<Conflict>& conflicts) {
  if (same(m, b) || same(m, t)) return;  // out is theirs already
  if (same(t, b)) {                       // only mine changed it: take mine whole
    out->DeleteChildren();
    for (const tinyxml2::XMLAttribute* a = out->FirstAttribute(); a;) {
      const char* name = a->Name();
      a = a->Next();
      out->DeleteAttribute(name);
    }
    for (const auto& [k, v] : attributes(m)) out->SetAttribute(k.c_str(), v.c_str());
    for (const XMLNode* c = m->FirstChild(); c; c = c->NextSibling()) out->InsertEndChild(c->DeepClone(&doc));
    return;
  }
  // Both changed it: attributes one by one, then the children.
  auto ab = attributes(b), am = attributes(m), at = attributes(t);
  std::set<std::string> names;
  for (auto* x : {&ab, &am, &at})
    for (const auto& [k, v] : *x) names.insert(k);
  for (const auto& n : names) {
    auto get = [&](const std::map<std::string, std::string>& x) -> const std::string* {
      auto it = x.find(n);
      return it == x.end() ? nullptr : &it->second;
    };
    const std::string *vb = get(ab), *vm = get(am), *vt = get(at);
    auto eq = [](const std::string* x, const std::string* y) { return (!x && !y) || (x && y && *x == *y); };
    if (eq(vm, vb) || eq(vm, vt)) continue;  // theirs stands
    if (!eq(vt, vb)) {
      conflicts.push_back({path_of(t) + "/@" + n});
      return;
    }
    if (vm) out->SetAttribute(n.c_str(), vm->c_str());
    else out->DeleteAttribute(n.c_str());
  }
  std::vector<std::pair<std::string, const Element*>> kb, km, kt;
  if (!keyed_children(b, kb) || !keyed_children(m, km) || !keyed_children(t, kt)) {
    conflicts.push_back({path_of(t)});  // id-less children changed on both sides
    return;
  }
  std::map<std::string, Element*> out_children;
  for (XMLNode* c = out->FirstChild(); c; c = c->NextSibling()) out_children[key_of(c)] = c->ToElement();
  // Deletions and changes of children both sides know.
  for (const auto& [k, eb] : kb) {
    const Element* em = find_key(km, k);
    const Element* et = find_key(kt, k);
    if (!em && !et) continue;
    if (!em) {  // mine deleted it
      if (!same(et, eb)) return conflicts.push_back({path_of(et) + " (deleted here, changed meanwhile)"});
      out->DeleteChild(out_children[k]);
      continue;
    }
    if (!et) {  // theirs deleted it
      if (!same(em, eb)) return conflicts.push_back({path_of(em) + " (changed here, deleted meanwhile)"});
      continue;
    }
    merge_into(eb, em, et, out_children[k], doc, conflicts);
    if (!conflicts.empty()) return;
  }
  // Children mine added: after the sibling that precedes them in mine.
  XMLNode* previous = nullptr;  // nullptr: at the front
  for (const auto& [k, em] : km) {
    if (find_key(kb, k)) {
      auto it = out_children.find(k);
      if (it != out_children.end() && it->second->Parent() == out) previous = it->second;
      continue;
    }
    if (const Element* et = find_key(kt, k)) {  // both added the same id
      if (!same(em, et)) return conflicts.push_back({path_of(em) + " (added on both sides)"});
      previous = out_children[k];
      continue;
    }
    XMLNode* copy = em->DeepClone(&doc);
    previous = previous ? out->InsertAfterChild(previous, copy) : out->InsertFirstChild(copy);
  }
}

size_t duplicate_ids(const Element* root) {
  std::set<std::string> ids;
  size_t dups = 0;
  std::vector<const Element*> stack = {root};
  while (!stack.empty()) {
    const Element* e = stack.back();
    stack.pop_back();
    std::string_view tag = e->Name();
    if (e != root && e->Attribute("id") && tag != "resource_ref" && tag != "obj_ref" && tag != "role" &&
        !ids.insert(e->Attribute("id")).second)
      ++dups;
    for (const Element* c = e->FirstChildElement(); c; c = c->NextSiblingElement()) stack.push_back(c);
  }
  return dups;
}

}  // namespace

Result<CibDocument> rebase_configuration(const CibDocument& base, const CibDocument& mine, const CibDocument& theirs) {
  CibDocument out = theirs.clone();
  const Element* b = base.configuration();
  const Element* m = mine.configuration();
  const Element* t = theirs.configuration();
  Element* o = out.configuration();
  if (!b || !m || !t || !o) return Status::error(ExitCode::temp_fail, "the CIB changed meanwhile; retry");
  std::vector<Conflict> conflicts;
  merge_into(b, m, t, o, out.xml(), conflicts);
  if (!conflicts.empty())
    return Status::error(ExitCode::temp_fail, "the CIB changed meanwhile in the same place (" + conflicts.front().where +
                                                  "); retry");
  // Ids must stay unique across the configuration: two sides may have added
  // the same id under different parents (references excepted: they repeat
  // the id they point at).
  if (duplicate_ids(o) > duplicate_ids(t))
    return Status::error(ExitCode::temp_fail, "the CIB changed meanwhile: an id was added on both sides; retry");
  return out;
}

}  // namespace hactl::core
