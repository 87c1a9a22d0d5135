// Arbitrary bytes through every path by which outside text reaches JSON:
// an agent's stdout/stderr (its exit reason: Latin-1 on many systems), a CIB
// file's values, and the answer serializer itself. Invalid UTF-8 must be
// refused or replaced on the way, never thrown at the serializer (the throw
// would have stopped the node agent).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "agents/agent_action.h"
#include "cmd/sys/json_text.h"
#include "cmd/resource_show.h"
#include "core/cib_document.h"
#include "core/utf8.h"
#include "test/fuzz/fuzz_check.h"

using json = nlohmann::json;
using namespace hactl;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);

  std::string fixed = core::to_valid_utf8(text);
  FUZZ_CHECK(core::is_valid_utf8(fixed));
  FUZZ_CHECK(core::is_valid_utf8(text) == (fixed == text));

  // An agent that printed these bytes on stdout and, as its exit reason, stderr.
  agents::ProcessOutcome o;
  o.exit_code = 1;
  o.out = std::string(text);
  o.err = "ocf-exit-reason:" + std::string(text);
  agents::ActionRequest request;
  request.action = "monitor";
  agents::ActionResult result;
  agents::interpret_outcome(o, agents::RcMapping::ocf, request, result);
  FUZZ_CHECK(core::is_valid_utf8(result.output) && core::is_valid_utf8(result.errors) &&
             core::is_valid_utf8(result.exit_reason));
  // The strict serializer (nlohmann's default) is the one that would throw.
  FUZZ_CHECK(!json({{"reason", result.exit_reason}, {"out", result.output}}).dump().empty());

  // The same bytes as a CIB value: refused at parse when not UTF-8.
  std::string cib = "<cib><configuration><crm_config/><nodes/><resources><primitive id=\"D\" class=\"ocf\" "
                    "provider=\"pacemaker\" type=\"Dummy\"><instance_attributes id=\"D-ia\"><nvpair id=\"D-p\" "
                    "name=\"p\" value=\"" + std::string(text) + "\"/></instance_attributes></primitive></resources>"
                    "<constraints/></configuration><status/></cib>";
  auto doc = core::CibDocument::parse(cib);
  if (doc.is_ok()) FUZZ_CHECK(!json(cmd::resource_config_json(*doc, {})).dump().empty());
  else FUZZ_CHECK(core::is_valid_utf8(doc.status().message()) || !core::is_valid_utf8(text));

  // And the backstop: whatever a JSON value holds, json_text never throws.
  FUZZ_CHECK(!cmd::json_text(json{{"raw", std::string(text)}}).empty());
  return 0;
}
