// CIB XML from operators and peers: parse, read the typed view, verify, and
// check the round trip — writing a parsed CIB and parsing it again changes
// nothing of substance (canonical_xml equal), so a read-modify-write cycle
// never loses or alters what it did not touch.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/cib_document.h"
#include "core/cib_model.h"
#include "core/verify.h"
#include "test/fuzz/fuzz_check.h"

using namespace hactl::core;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto doc = CibDocument::parse(input);
  if (!doc.is_ok()) return 0;

  Cib cib = read_cib(*doc);
  (void)cib;
  (void)verify(*doc);
  (void)verify(*doc, /*structure_only=*/true);

  std::string written = doc->to_xml();
  auto again = CibDocument::parse(written);
  FUZZ_CHECK(again.is_ok());
  std::string rewritten = again->to_xml();
  FUZZ_CHECK(written == rewritten);  // the writer is a fixed point after one cycle

  auto c_input = canonical_xml(input);
  auto c_written = canonical_xml(written);
  FUZZ_CHECK(c_written.is_ok());
  if (c_input.is_ok()) FUZZ_CHECK(*c_input == *c_written);
  FUZZ_CHECK(again->version() == doc->version());
  return 0;
}
