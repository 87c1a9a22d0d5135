#include "agents/agent_metadata.h"

#include <tinyxml2.h>

#include <cctype>

#include "core/xml_attribute_limit.h"

namespace hactl::agents {
namespace {

using tinyxml2::XMLElement;

std::string attr(const XMLElement* e, const char* name) {
  const char* v = e->Attribute(name);
  return v ? v : "";
}

// Meta-data texts are indented for humans; collapse runs of blanks so the CLI
// can re-wrap them, but keep paragraph breaks (blank lines).
std::string clean_text(const XMLElement* e) {
  if (!e) return "";
  std::string raw;
  for (const tinyxml2::XMLNode* n = e->FirstChild(); n; n = n->NextSibling()) {
    if (const auto* t = n->ToText()) raw += t->Value();
  }
  std::string out;
  int newlines = 0;
  bool pending_space = false;
  for (char c : raw) {
    if (c == '\n') {
      ++newlines;
      pending_space = true;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      pending_space = true;
    } else {
      if (!out.empty() && pending_space) out += newlines >= 2 ? "\n\n" : " ";
      pending_space = false;
      newlines = 0;
      out += c;
    }
  }
  return out;
}

bool truthy(const std::string& v) { return v == "1" || v == "true" || v == "yes"; }

// English text first (lang="en" or no lang), else the first one.
const XMLElement* pick_lang(const XMLElement* parent, const char* tag) {
  const XMLElement* first = parent->FirstChildElement(tag);
  for (const XMLElement* e = first; e; e = e->NextSiblingElement(tag)) {
    const char* lang = e->Attribute("lang");
    if (!lang || std::string_view(lang) == "en") return e;
  }
  return first;
}

std::string desc(const XMLElement* parent, const char* tag) {
  if (const XMLElement* e = pick_lang(parent, tag)) return clean_text(e);
  return attr(parent, tag);  // fence-agents: <resource-agent shortdesc="...">
}

}  // namespace

const ParameterInfo* AgentMetadata::find_parameter(std::string_view n) const {
  for (const auto& p : parameters)
    if (p.name == n) return &p;
  return nullptr;
}

const ActionInfo* AgentMetadata::find_action(std::string_view n) const {
  for (const auto& a : actions)
    if (a.name == n) return &a;
  return nullptr;
}

core::Result<AgentMetadata> parse_ocf_metadata(std::string_view xml) {
  if (core::Status s = core::check_xml_attribute_counts(xml); !s)
    return core::Status::error(core::ExitCode::not_installed, "meta-data is not usable: " + s.message());
  tinyxml2::XMLDocument doc(true, tinyxml2::PRESERVE_WHITESPACE);
  if (doc.Parse(xml.data(), xml.size()) != tinyxml2::XML_SUCCESS) {
    return core::Status::error(core::ExitCode::not_installed,
                               std::string("meta-data is not valid XML: ") + doc.ErrorStr());
  }
  const XMLElement* root = doc.RootElement();
  if (!root || std::string_view(root->Name()) != "resource-agent") {
    return core::Status::error(core::ExitCode::not_installed, "meta-data has no <resource-agent> root element");
  }
  AgentMetadata md;
  md.name = attr(root, "name");
  md.version = attr(root, "version");
  if (const XMLElement* v = root->FirstChildElement("version")) md.version = clean_text(v);
  md.shortdesc = desc(root, "shortdesc");
  md.longdesc = desc(root, "longdesc");

  if (const XMLElement* params = root->FirstChildElement("parameters")) {
    for (const XMLElement* p = params->FirstChildElement("parameter"); p; p = p->NextSiblingElement("parameter")) {
      ParameterInfo info;
      info.name = attr(p, "name");
      if (info.name.empty()) continue;
      info.required = truthy(attr(p, "required"));
      info.unique = truthy(attr(p, "unique"));
      info.deprecated = truthy(attr(p, "deprecated")) || p->FirstChildElement("deprecated") != nullptr;
      info.shortdesc = desc(p, "shortdesc");
      info.longdesc = desc(p, "longdesc");
      if (const XMLElement* c = p->FirstChildElement("content")) {
        info.type = attr(c, "type");
        info.default_value = attr(c, "default");
      }
      md.parameters.push_back(std::move(info));
    }
  }
  if (const XMLElement* actions = root->FirstChildElement("actions")) {
    for (const XMLElement* a = actions->FirstChildElement("action"); a; a = a->NextSiblingElement("action")) {
      ActionInfo info{attr(a, "name"), attr(a, "timeout"), attr(a, "interval"), attr(a, "depth"), attr(a, "role")};
      if (!info.name.empty()) md.actions.push_back(std::move(info));
    }
  }
  return md;
}

}  // namespace hactl::agents
