// How long CibDocument::parse takes on attribute-heavy CIBs: one element with
// 200k attributes (refused by the linear pre-scan), and elements at the
// per-element limit filling about 2 MB (parsed; tinyxml2's duplicate check
// costs k^2 per element, so k is bounded). Prints one line per case.
#include <chrono>
#include <cstdio>
#include <string>

#include "core/cib_document.h"
#include "core/xml_attribute_limit.h"

namespace {

std::string attributes(size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += " a" + std::to_string(i) + "=\"v\"";
  return out;
}

std::string cib(const std::string& status) {
  return "<cib epoch=\"1\" num_updates=\"0\" admin_epoch=\"0\"><configuration><crm_config/><nodes/><resources/>"
         "<constraints/></configuration><status>" + status + "</status></cib>";
}

void measure(const char* what, const std::string& xml) {
  auto t0 = std::chrono::steady_clock::now();
  auto doc = hactl::core::CibDocument::parse(xml);
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%-44s %8.2f MB %10.1f ms  %s\n", what, xml.size() / 1e6, ms,
              doc ? "parsed" : ("refused: " + doc.status().message()).c_str());
}

}  // namespace

int main() {
  const size_t k = hactl::core::kMaxXmlAttributes;
  measure("one element, 200000 attributes", cib("<node_state" + attributes(200000) + "/>"));
  std::string at_limit;
  for (int e = 0; at_limit.size() < 2300000; ++e) at_limit += "<node_state id=\"" + std::to_string(e) + "\"" + attributes(k - 1) + "/>";
  measure("elements at the limit (256 attributes each)", cib(at_limit));
  std::string plain;
  for (int e = 0; plain.size() < 2300000; ++e) plain += "<node_state id=\"" + std::to_string(e) + "\"" + attributes(8) + "/>";
  measure("elements with 9 attributes each", cib(plain));
  return 0;
}
