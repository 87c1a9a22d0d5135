#include "core/cib_document.h"
#include "core/utf8.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <functional>
#include <map>

#include "core/xml_attribute_limit.h"
#include "core/xml_id.h"

namespace hactl::core {

using tinyxml2::XMLDocument;
using tinyxml2::XMLPrinter;

std::string CibVersion::to_string() const {
  return std::to_string(admin_epoch) + "." + std::to_string(epoch) + "." + std::to_string(num_updates);
}

namespace {

// Pacemaker's order of configuration sections (schema order).
constexpr std::array<std::string_view, 10> kSectionOrder = {
    "crm_config", "nodes", "resources", "constraints", "fencing-topology",
    "op_defaults", "rsc_defaults", "acls", "tags", "alerts"};

long long_attr(const Element* e, const char* name) {
  const char* v = e->Attribute(name);
  if (!v) return 0;
  char* end = nullptr;
  long r = std::strtol(v, &end, 10);
  return (end && *end == '\0') ? r : 0;
}

std::unique_ptr<XMLDocument> new_doc() {
  // Whitespace is collapsed so that re-indentation on output is stable.
  return std::make_unique<XMLDocument>(true, tinyxml2::COLLAPSE_WHITESPACE);
}

}  // namespace

CibDocument CibDocument::empty() {
  auto r = parse(
      "<cib crm_feature_set=\"3.16.1\" validate-with=\"pacemaker-3.9\" epoch=\"1\" num_updates=\"0\" "
      "admin_epoch=\"0\"><configuration><crm_config/><nodes/><resources/><constraints/></configuration>"
      "<status/></cib>");
  return std::move(r.value());
}

namespace {

bool decoded_text_is_utf8(const tinyxml2::XMLElement* root) {
  std::vector<const tinyxml2::XMLNode*> todo{root};
  while (!todo.empty()) {
    const tinyxml2::XMLNode* n = todo.back();
    todo.pop_back();
    if (const tinyxml2::XMLElement* e = n->ToElement()) {
      for (const tinyxml2::XMLAttribute* a = e->FirstAttribute(); a; a = a->Next())
        if (!is_valid_utf8(a->Value())) return false;
    } else if (const tinyxml2::XMLText* t = n->ToText()) {
      if (t->Value() && !is_valid_utf8(t->Value())) return false;
    }
    for (const tinyxml2::XMLNode* c = n->FirstChild(); c; c = c->NextSibling()) todo.push_back(c);
  }
  return true;
}

}  // namespace

Result<CibDocument> CibDocument::parse(std::string_view xml) {
  // Values reach JSON and peers: a CIB that is not UTF-8 is refused here, its
  // one door, so no invalid byte is ever stored or replicated.
  if (auto bad = first_invalid_utf8(xml))
    return Status::error(ExitCode::data_err, "Unable to parse CIB XML: not valid UTF-8 at byte " + std::to_string(*bad + 1) +
                                                 " (save the file as UTF-8)");
  if (Status s = check_xml_attribute_counts(xml); !s) return Status::error(s.code(), "Unable to parse CIB XML: " + s.message());
  auto doc = new_doc();
  if (doc->Parse(xml.data(), xml.size()) != tinyxml2::XML_SUCCESS) {
    std::string why = doc->ErrorStr() ? doc->ErrorStr() : "unknown error";
    return Status::error(ExitCode::data_err, "Unable to parse CIB XML: " + why);
  }
  Element* root = doc->RootElement();
  if (!root || std::strcmp(root->Name(), "cib") != 0)
    return Status::error(ExitCode::data_err, "Unable to parse CIB XML: root element is not <cib>");
  // tinyxml2 accepts text and further elements beside the root (found by
  // fuzzing); such a file is not XML, and writing it back would make a CIB
  // that no parser, hactl's included, reads again.
  for (const tinyxml2::XMLNode* n = doc->FirstChild(); n; n = n->NextSibling())
    if (n->ToText() || (n->ToElement() && n != root))
      return Status::error(ExitCode::data_err, "Unable to parse CIB XML: content outside the <cib> element");
  if (!first_child(root, "configuration"))
    return Status::error(ExitCode::data_err, "Invalid CIB: no <configuration> section");
  // Valid UTF-8 in, yet an entity or a character reference can decode to
  // bytes that are not (found by fuzzing: a value ending in a cut sequence).
  if (!decoded_text_is_utf8(root))
    return Status::error(ExitCode::data_err, "Unable to parse CIB XML: a value is not valid UTF-8 once its references are decoded");
  return CibDocument(std::move(doc));
}

CibDocument CibDocument::clone() const {
  auto copy = new_doc();
  doc_->DeepCopy(copy.get());
  return CibDocument(std::move(copy));
}

std::string CibDocument::to_xml() const {
  XMLPrinter printer(nullptr, false);
  // Print the elements only: a CIB has no XML declaration in Pacemaker's files.
  for (const tinyxml2::XMLNode* n = doc_->FirstChild(); n; n = n->NextSibling()) n->Accept(&printer);
  std::string out = printer.CStr();
  if (out.empty() || out.back() != '\n') out += '\n';
  return out;
}

Element* CibDocument::root() const { return doc_->RootElement(); }
Element* CibDocument::configuration() const { return first_child(root(), "configuration"); }

Element* CibDocument::find_section(std::string_view name) const { return first_child(configuration(), name); }

Element* CibDocument::section(std::string_view name) {
  if (Element* e = find_section(name)) return e;
  Element* config = configuration();
  Element* created = doc_->NewElement(std::string(name).c_str());
  auto rank = [](std::string_view n) {
    auto it = std::find(kSectionOrder.begin(), kSectionOrder.end(), n);
    return it == kSectionOrder.end() ? kSectionOrder.size() : static_cast<size_t>(it - kSectionOrder.begin());
  };
  // Insert before the first existing section that comes later in schema order.
  Element* before = nullptr;
  for (Element* c : children(config))
    if (rank(c->Name()) > rank(name)) { before = c; break; }
  if (!before) return config->InsertEndChild(created)->ToElement();
  if (Element* prev = before->PreviousSiblingElement()) return config->InsertAfterChild(prev, created)->ToElement();
  return config->InsertFirstChild(created)->ToElement();
}

Element* CibDocument::status_section() {
  if (Element* s = first_child(root(), "status")) return s;
  return add_child(root(), "status");
}

Element* CibDocument::find_id(std::string_view id) const {
  std::function<Element*(Element*)> walk = [&](Element* e) -> Element* {
    for (Element* c = e->FirstChildElement(); c; c = c->NextSiblingElement()) {
      const char* v = c->Attribute("id");
      if (v && id == v) return c;
      if (Element* found = walk(c)) return found;
    }
    return nullptr;
  };
  return walk(configuration());
}

std::string CibDocument::unique_id(std::string_view wanted) const {
  const std::string base = sanitize_id(wanted);
  std::string candidate = base;
  for (int i = 1; id_in_use(candidate); ++i) candidate = base + "-" + std::to_string(i);
  return candidate;
}

CibVersion CibDocument::version() const {
  const Element* r = root();
  return {long_attr(r, "admin_epoch"), long_attr(r, "epoch"), long_attr(r, "num_updates")};
}

void CibDocument::set_version(const CibVersion& v) {
  Element* r = root();
  r->SetAttribute("admin_epoch", std::to_string(v.admin_epoch).c_str());
  r->SetAttribute("epoch", std::to_string(v.epoch).c_str());
  r->SetAttribute("num_updates", std::to_string(v.num_updates).c_str());
}

void CibDocument::bump_epoch() {
  CibVersion v = version();
  v.epoch += 1;
  v.num_updates = 0;
  set_version(v);
}

void CibDocument::bump_num_updates() {
  CibVersion v = version();
  v.num_updates += 1;
  set_version(v);
}

std::string attr(const Element* e, const char* name, std::string_view fallback) {
  const char* v = e ? e->Attribute(name) : nullptr;
  return v ? std::string(v) : std::string(fallback);
}

bool has_attr(const Element* e, const char* name) { return e && e->Attribute(name) != nullptr; }

std::vector<Element*> children(const Element* e, std::string_view tag) {
  std::vector<Element*> out;
  if (!e) return out;
  for (const Element* c = e->FirstChildElement(); c; c = c->NextSiblingElement())
    if (tag.empty() || tag == c->Name()) out.push_back(const_cast<Element*>(c));
  return out;
}

Element* first_child(const Element* e, std::string_view tag) {
  if (!e) return nullptr;
  for (const Element* c = e->FirstChildElement(); c; c = c->NextSiblingElement())
    if (tag == c->Name()) return const_cast<Element*>(c);
  return nullptr;
}

Element* add_child(Element* parent, const char* tag) {
  return parent->InsertNewChildElement(tag);
}

std::vector<Element*> descendants(const Element* e, std::string_view tag) {
  std::vector<Element*> out;
  std::function<void(const Element*)> walk = [&](const Element* p) {
    for (const Element* c = p->FirstChildElement(); c; c = c->NextSiblingElement()) {
      if (tag.empty() || tag == c->Name()) out.push_back(const_cast<Element*>(c));
      walk(c);
    }
  };
  if (e) walk(e);
  return out;
}

namespace {
void canonical(const tinyxml2::XMLNode* node, std::string& out, int depth) {
  std::string indent(static_cast<size_t>(depth) * 2, ' ');
  if (const Element* e = node->ToElement()) {
    std::map<std::string, std::string> attrs;
    for (const tinyxml2::XMLAttribute* a = e->FirstAttribute(); a; a = a->Next()) attrs[a->Name()] = a->Value();
    out += indent + "<" + e->Name();
    for (auto& [k, v] : attrs) out += " " + k + "=\"" + v + "\"";
    out += ">\n";
    for (const tinyxml2::XMLNode* c = e->FirstChild(); c; c = c->NextSibling()) canonical(c, out, depth + 1);
    out += indent + "</" + e->Name() + ">\n";
  } else if (const tinyxml2::XMLText* t = node->ToText()) {
    std::string v = t->Value();
    if (v.find_first_not_of(" \t\r\n") != std::string::npos) out += indent + "text:" + v + "\n";
  } else if (const tinyxml2::XMLComment* c = node->ToComment()) {
    out += indent + "<!--" + c->Value() + "-->\n";
  }
}
}  // namespace

Result<std::string> canonical_xml(std::string_view xml) {
  if (Status s = check_xml_attribute_counts(xml); !s) return Status::error(s.code(), "Unable to parse XML: " + s.message());
  XMLDocument doc(true, tinyxml2::COLLAPSE_WHITESPACE);
  if (doc.Parse(xml.data(), xml.size()) != tinyxml2::XML_SUCCESS)
    return Status::error(ExitCode::data_err, std::string("Unable to parse XML: ") + doc.ErrorStr());
  std::string out;
  for (const tinyxml2::XMLNode* n = doc.FirstChild(); n; n = n->NextSibling())
    if (!n->ToDeclaration()) canonical(n, out, 0);
  return out;
}

}  // namespace hactl::core
