// CibDocument::parse on malformed input found by fuzzing (test/fuzz/fuzz_cib):
// whatever parse accepts, to_xml writes back in a form parse accepts again.
#include <doctest/doctest.h>

#include "core/cib_document.h"

using hactl::core::CibDocument;

TEST_CASE("cib parse: text or a second element outside <cib> is refused (fuzz_cib crash-text-after-root)") {
  for (const char* xml : {"<cib><configuration/></cib>t</r>",       // the fuzzer's input: text after the root
                          "<cib><configuration/></cib>trailing text",
                          "<cib><configuration/></cib><cib><configuration/></cib>",
                          "<cib><configuration/></cib><op name=\"start\"/>"}) {
    INFO(xml);
    auto doc = CibDocument::parse(xml);
    CHECK_FALSE(doc.is_ok());
  }
}

TEST_CASE("cib parse: what parse accepts round-trips through to_xml") {
  for (const char* xml : {"<?xml version=\"1.0\"?>\n<!-- kept --><cib epoch=\"3\"><configuration/></cib>\n<!-- after -->",
                          "<cib><configuration/></cib>\n\n"}) {
    INFO(xml);
    auto doc = CibDocument::parse(xml);
    REQUIRE(doc.is_ok());
    auto again = CibDocument::parse(doc->to_xml());
    REQUIRE(again.is_ok());
    CHECK(again->to_xml() == doc->to_xml());
  }
}
