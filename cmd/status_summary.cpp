#include "cmd/status_summary.h"

#include <ctime>
#include <map>
#include <ostream>

#include "core/printable_text.h"

namespace hactl::cmd {

std::string counted(size_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string last_change_text(const core::CibDocument& doc) {
  const core::Element* root = doc.root();
  if (!root) return "";
  auto a = [&](const char* name) { return std::string(root->Attribute(name) ? root->Attribute(name) : ""); };
  std::string text = a("cib-last-written");
  if (text.empty()) return "";
  if (!a("update-user").empty()) text += " by " + a("update-user");
  if (!a("update-client").empty()) text += " via " + a("update-client");
  if (!a("update-origin").empty()) text += " on " + a("update-origin");
  return core::printable(text);
}

void dc_from_cib(const core::CibDocument& doc, const core::Cib& cib, SummaryFacts* f) {
  const core::Element* root = doc.root();
  const char* uuid = root ? root->Attribute("dc-uuid") : nullptr;
  if (!uuid || !*uuid) return;
  for (const auto& n : cib.nodes)
    if (n.id == uuid) f->dc = n.uname;
  f->dc_id = uuid;
  if (f->dc.empty()) f->dc = uuid;
  const char* q = root->Attribute("have-quorum");
  f->quorate = q && (std::string(q) == "1" || std::string(q) == "true");
}

void print_cluster_summary(std::ostream& os, const SummaryFacts& f, const core::CibDocument* doc, const core::Cib* cib) {
  std::time_t now = std::time(nullptr);
  char when[64];
  std::strftime(when, sizeof when, "%a %b %e %H:%M:%S %Y", std::localtime(&now));
  os << "Cluster Summary:\n  * Stack: hactl\n";
  if (!f.dc.empty() || !f.updated_on.empty()) {
    os << "  * Current DC: ";
    if (f.dc.empty()) {
      os << "NONE\n";
    } else {
      os << core::printable(f.dc);
      if (f.full && !f.dc_id.empty()) os << " (" << core::printable(f.dc_id) << ")";
      std::string version = cib ? cib->property("dc-version") : "";
      if (!version.empty()) os << " (version " << core::printable(version) << ")";
      os << " - partition " << (f.quorate ? "with" : "WITHOUT") << " quorum\n";
    }
  }
  os << "  * Last updated: " << when << (f.updated_on.empty() ? "" : " on " + core::printable(f.updated_on)) << "\n";
  if (doc)
    if (std::string change = last_change_text(*doc); !change.empty()) os << "  * Last change:  " << change << "\n";
  os << "  * " << counted(f.nodes, "node", "nodes") << " configured\n"
     << "  * " << counted(f.resources, "resource instance", "resource instances") << " configured\n";
}

void print_migration_summary(std::ostream& os, const core::Cib& cib) {
  bool header = false;
  for (const auto& ns : cib.node_states) {
    // resource -> (summed fail count, latest failure)
    std::map<std::string, std::pair<long long, long long>> failed;
    for (const auto& [name, value] : ns.transient_attrs) {
      bool count = name.rfind("fail-count-", 0) == 0, last = name.rfind("last-failure-", 0) == 0;
      if (!count && !last) continue;
      std::string rest = name.substr(count ? 11 : 13);
      std::string rsc = rest.substr(0, rest.find('#'));
      long long v = std::atoll(value.c_str());
      if (value == "INFINITY") v = 1000000;
      auto& e = failed[rsc];
      if (count) e.first += v;
      else e.second = std::max(e.second, v);
    }
    std::erase_if(failed, [](auto& e) { return e.second.first <= 0; });
    if (failed.empty()) continue;
    if (!header) os << "\nMigration Summary:\n";
    header = true;
    os << "  * Node: " << core::printable(ns.uname) << " (" << core::printable(ns.id) << "):\n";
    for (const auto& [rsc, e] : failed) {
      std::string threshold = "1000000";
      if (const core::Primitive* p = cib.find_primitive(rsc)) {
        if (auto it = p->meta.find("migration-threshold"); it != p->meta.end()) threshold = it->second;
        else if (auto d = cib.rsc_defaults.find("migration-threshold"); d != cib.rsc_defaults.end()) threshold = d->second;
      }
      if (threshold == "INFINITY" || threshold == "+INFINITY") threshold = "1000000";
      os << "    * " << core::printable(rsc) << ": migration-threshold=" << core::printable(threshold)
         << " fail-count=" << e.first;
      if (e.second > 0) {
        std::time_t t = e.second;
        char at[64];
        std::strftime(at, sizeof at, "%a %b %e %H:%M:%S %Y", std::localtime(&t));
        os << " last-failure='" << at << "'";
      }
      os << "\n";
    }
  }
}

}  // namespace hactl::cmd
