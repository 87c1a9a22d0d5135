// Runs Debian's crm_simulate on a CIB and derives the placement it decides
// (current locations + the Transition Summary actions), as the oracle recipe
// describes. Test-only: spawns a process and uses temporary files.
// HACTL_ORACLE_CACHE=DIR keeps crm_simulate's answers in DIR (see
// run_crm_simulate) so that long differential runs can be repeated cheaply.
#pragma once

#include <sys/wait.h>
#include <tinyxml2.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <optional>
#include <string>

namespace hactl::test {

inline const char* crm_simulate_path() {
  static const char* p = access("/usr/sbin/crm_simulate", X_OK) == 0 ? "/usr/sbin/crm_simulate" : nullptr;
  return p;
}

using Placement = std::map<std::string, std::string>;  // rsc -> node ("" = stopped)

// FNV-1a over the bytes; two different offsets give a 128-bit cache key so
// that distinct CIBs practically never share an entry.
inline uint64_t oracle_fnv1a(const std::string& s, uint64_t h) {
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

// The cache entry for (arguments, CIB), or "" when HACTL_ORACLE_CACHE is unset
// (CI runs without a cache, so it always asks the real crm_simulate).
inline std::string oracle_cache_file(const std::string& args, const std::string& cib_xml) {
  const char* dir = std::getenv("HACTL_ORACLE_CACHE");
  if (dir == nullptr || *dir == '\0') return "";
  std::string key = args + '\0' + cib_xml;
  char name[64];
  std::snprintf(name, sizeof name, "%016llx%016llx.out",
                static_cast<unsigned long long>(oracle_fnv1a(key, 14695981039346656037ULL)),
                static_cast<unsigned long long>(oracle_fnv1a(key, 0x9e3779b97f4a7c15ULL)));
  return std::string(dir) + "/" + name;
}

// Runs `crm_simulate -x CIB ARGS` and returns its standard output. With
// HACTL_ORACLE_CACHE set, answers come from (and go to) that directory, keyed
// by the exact CIB text and arguments; only runs that exited normally are
// stored, written to a temporary name and renamed so that concurrent readers
// never see half an entry.
inline std::optional<std::string> run_crm_simulate(const std::string& cib_xml, const std::string& args) {
  const std::string cached = oracle_cache_file(args, cib_xml);
  if (!cached.empty()) {
    std::ifstream in(cached, std::ios::binary);
    if (in) return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  char path[] = "/tmp/hactl-oracle-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return std::nullopt;
  close(fd);
  { std::ofstream(path) << cib_xml; }
  std::string cmd = std::string(crm_simulate_path()) + " -x " + path + " " + args + " 2>/dev/null";
  std::string out;
  int status = -1;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    status = pclose(p);
  }
  unlink(path);
  if (status == -1 || !WIFEXITED(status)) return std::nullopt;
  if (!cached.empty()) {
    std::string tmp = cached + ".tmp" + std::to_string(getpid());
    std::ofstream f(tmp, std::ios::binary);
    f << out;
    f.close();
    if (f) std::rename(tmp.c_str(), cached.c_str());
    else std::remove(tmp.c_str());
  }
  return out;
}

inline std::optional<Placement> oracle_placement(const std::string& cib_xml, const std::string& now) {
  auto run = run_crm_simulate(cib_xml, "-R --output-as=xml -t '" + now + "'");
  if (!run) return std::nullopt;
  const std::string& out = *run;
  tinyxml2::XMLDocument doc;
  if (doc.Parse(out.c_str()) != tinyxml2::XML_SUCCESS) return std::nullopt;
  auto* root = doc.RootElement();
  if (root == nullptr) return std::nullopt;
  Placement pl;
  // An anonymous clone lists its instances under the primitive's id, in
  // instance order: the k-th is "id:k".
  std::function<void(tinyxml2::XMLElement*)> walk = [&](tinyxml2::XMLElement* e) {
    const bool in_clone = std::string(e->Name()) == "clone";
    int instance = 0;
    for (auto* c = e->FirstChildElement(); c; c = c->NextSiblingElement()) {
      if (std::string(c->Name()) == "resource") {
        std::string id = c->Attribute("id") ? c->Attribute("id") : "";
        if (in_clone && id.find(':') == std::string::npos) id += ":" + std::to_string(instance);
        ++instance;
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
      else if (act == "promote" && get("role") == "Stopped") pl[r] = get("dest");  // started and promoted
      else if (act == "recover") pl[r] = !get("dest").empty() ? get("dest") : !get("source").empty() ? get("source") : get("node");
    }
  }
  return pl;
}

}  // namespace hactl::test
