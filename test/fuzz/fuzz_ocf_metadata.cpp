// OCF meta-data printed by resource agents (any script on disk may print anything).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "agents/agent_metadata.h"
#include "test/fuzz/fuzz_check.h"

using namespace hactl::agents;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto md = parse_ocf_metadata(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!md.is_ok()) return 0;
  for (const ParameterInfo& p : md->parameters) FUZZ_CHECK(md->find_parameter(p.name) != nullptr);
  for (const ActionInfo& a : md->actions) FUZZ_CHECK(md->find_action(a.name) != nullptr);
  return 0;
}
