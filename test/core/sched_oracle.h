// Runs Debian's crm_simulate on a CIB and derives the placement it decides
// (current locations + the Transition Summary actions), as the oracle recipe
// describes. Test-only: spawns a process and uses temporary files.
#pragma once

#include <tinyxml2.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace hactl::test {

inline const char* crm_simulate_path() {
  static const char* p = access("/usr/sbin/crm_simulate", X_OK) == 0 ? "/usr/sbin/crm_simulate" : nullptr;
  return p;
}

using Placement = std::map<std::string, std::string>;  // rsc -> node ("" = stopped)

inline std::optional<Placement> oracle_placement(const std::string& cib_xml, const std::string& now) {
  char path[] = "/tmp/hactl-oracle-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return std::nullopt;
  close(fd);
  { std::ofstream(path) << cib_xml; }
  std::string cmd = std::string(crm_simulate_path()) + " -x " + path + " -R --output-as=xml -t '" + now + "' 2>/dev/null";
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
  }
  unlink(path);
  tinyxml2::XMLDocument doc;
  if (doc.Parse(out.c_str()) != tinyxml2::XML_SUCCESS) return std::nullopt;
  auto* root = doc.RootElement();
  if (root == nullptr) return std::nullopt;
  Placement pl;
  std::function<void(tinyxml2::XMLElement*)> walk = [&](tinyxml2::XMLElement* e) {
    for (auto* c = e->FirstChildElement(); c; c = c->NextSiblingElement()) {
      if (std::string(c->Name()) == "resource") {
        std::string id = c->Attribute("id") ? c->Attribute("id") : "";
        std::string node;
        if (auto* n = c->FirstChildElement("node")) node = n->Attribute("name") ? n->Attribute("name") : "";
        pl[id] = node;
      } else {
        walk(c);
      }
    }
  };
  auto* cs = root->FirstChildElement("cluster_status");
  if (cs == nullptr) return std::nullopt;
  if (auto* r = cs->FirstChildElement("resources")) walk(r);
  if (auto* acts = root->FirstChildElement("actions")) {
    for (auto* a = acts->FirstChildElement("rsc_action"); a; a = a->NextSiblingElement("rsc_action")) {
      auto get = [&](const char* k) { return std::string(a->Attribute(k) ? a->Attribute(k) : ""); };
      if (get("blocked") == "true") continue;
      std::string act = get("action"), r = get("resource");
      if (act == "start") pl[r] = get("node");
      else if (act == "stop") pl[r] = "";
      else if (act == "move" || act == "migrate") pl[r] = get("dest");
      else if (act == "recover") pl[r] = !get("dest").empty() ? get("dest") : !get("source").empty() ? get("source") : get("node");
    }
  }
  return pl;
}

}  // namespace hactl::test
