// The attribute bound that keeps XML parsing linear (tinyxml2's duplicate
// check is quadratic in the attributes of one element).
#include <doctest/doctest.h>

#include <string>

#include "core/cib_document.h"
#include "core/xml_attribute_limit.h"

using hactl::core::CibDocument;
using hactl::core::check_xml_attribute_counts;
using hactl::core::kMaxXmlAttributes;

namespace {

std::string attributes(size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += " a" + std::to_string(i) + "=\"v\"";
  return out;
}

std::string cib_with_status(const std::string& status) {
  return "<cib epoch=\"1\" num_updates=\"0\" admin_epoch=\"0\"><configuration><crm_config/><nodes/><resources/>"
         "<constraints/></configuration>" + status + "</cib>";
}

}  // namespace

TEST_CASE("xml attribute limit: counts attributes per start tag, skipping what is not one") {
  CHECK(check_xml_attribute_counts("<a x=\"1\" y='2'><b z=\"3\"/></a>", 2).is_ok());
  CHECK_FALSE(check_xml_attribute_counts("<a x=\"1\" y='2' z=\"3\"/>", 2).is_ok());
  // '=' inside values, comments, CDATA, processing instructions and end tags is not an attribute.
  CHECK(check_xml_attribute_counts("<?xml version=\"1.0\" encoding=\"UTF-8\"?><a x=\"a=b=c=d\">"
                                   "<!-- p=1 q=2 r=3 --><![CDATA[ s=1 t=2 u=3 ]]></a>",
                                   1)
            .is_ok());
  // Per element, not per document.
  CHECK(check_xml_attribute_counts("<a x=\"1\" y=\"2\"><b x=\"1\" y=\"2\"/><c x=\"1\" y=\"2\"/></a>", 2).is_ok());
  auto s = check_xml_attribute_counts("<cib><status" + attributes(3) + "/></cib>", 2);
  REQUIRE_FALSE(s.is_ok());
  CHECK(s.message() == "element <status> has more than 2 attributes");
}

TEST_CASE("xml attribute limit: a 200k-attribute CIB is refused by the linear scan, not parsed") {
  std::string big = cib_with_status("<status" + attributes(200000) + "/>");
  REQUIRE(big.size() > 2000000);
  auto doc = CibDocument::parse(big);
  REQUIRE_FALSE(doc);
  CHECK(doc.status().code() == hactl::core::ExitCode::data_err);
  // The pre-scan's message: tinyxml2's quadratic attribute loop never ran on this text.
  CHECK(doc.status().message() == "Unable to parse CIB XML: element <status> has more than " +
                                      std::to_string(kMaxXmlAttributes) + " attributes");
}

TEST_CASE("xml attribute limit: elements at the limit still parse, and duplicates are still refused") {
  std::string many;
  for (int e = 0; e < 50; ++e) many += "<node_state id=\"" + std::to_string(e) + "\"" + attributes(kMaxXmlAttributes - 1) + "/>";
  auto doc = CibDocument::parse(cib_with_status("<status>" + many + "</status>"));
  REQUIRE(doc);
  CHECK(doc->to_xml().find("a254=\"v\"") != std::string::npos);
  CHECK_FALSE(CibDocument::parse(cib_with_status("<status a=\"1\" a=\"2\"/>")));
}
