// A local IPC request line as any local user may send it: once the schema
// check accepts it, every read the node agent's handlers make must succeed
// (an exception there would have stopped the agent: `{"op":5}`), and the
// answer path must serialize whatever text the request carried.
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "cmd/daemon/message_schema.h"
#include "cmd/sys/json_text.h"
#include "test/fuzz/fuzz_check.h"

using json = nlohmann::json;
using namespace hactl::cmd;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string line(reinterpret_cast<const char*>(data), size);
  json req = json::parse(line, nullptr, false);
  if (req.is_discarded()) return 0;
  std::string error = daemon::ipc_request_error(req);
  if (!error.empty()) {
    FUZZ_CHECK(!json_text({{"ok", false}, {"error", error}}).empty());
    return 0;
  }
  try {
    // The reads of NodeAgent::dispatch_ipc and Controller::on_ipc / handle_dc_request.
    std::string op = req.value("op", std::string());
    (void)req.value("cib", std::string());
    (void)req.value("base", std::string());
    (void)req.value("scope", std::string("all"));
    (void)req.value("rsc", std::string());
    (void)req.value("node", std::string());
    (void)json_text({{"ok", false}, {"error", "unknown request '" + op + "'"}});
  } catch (const std::exception&) {
    FUZZ_CHECK(!"an accepted request made a handler's read throw");
  }
  return 0;
}
