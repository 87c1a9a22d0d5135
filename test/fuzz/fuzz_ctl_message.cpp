// A controller message body as an authenticated peer (of another version, or
// a buggy one) may send it: once decode_ctl accepts it, every read the
// controller and the executor driver make must succeed.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cmd/daemon/controller_messages.h"
#include "cmd/sys/json_text.h"
#include "test/fuzz/fuzz_check.h"

using json = nlohmann::json;
using namespace hactl::cmd::daemon;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<uint8_t> payload(data, data + size);
  std::string error;
  auto msg = decode_ctl(payload, &error);
  if (!msg) return 0;
  const json& m = msg->second;
  try {
    // Controller::on_bulk (execute route), on_result, on_hello, on_forward*.
    (void)m.value("dc", 0u);
    (void)m.value("term", int64_t{0});
    (void)m.value("tid", int64_t{0});
    (void)m.value("aid", -1);
    (void)m.value("fence_id", -1);
    (void)m.value("kind", "");
    for (const char* k : {"rsc", "action", "standard", "provider", "type", "reason", "session"}) (void)m.value(k, "");
    (void)m.value("interval_ms", int64_t{0});
    (void)m.value("timeout_ms", int64_t{20000});
    (void)m.value("rc", 1);
    (void)m.value("status", 4);
    (void)m.value("exec_ms", int64_t{0});
    (void)m.value("output", "");
    (void)m.value("reuse_last_params", false);
    (void)m.value("dcs_followed", uint64_t{0});
    (void)m.value("qid", uint64_t{0});
    (void)m.value("req", json::object());
    (void)m.value("answer", json::object());
    // ExecutorDriver::execute.
    for (const char* k : {"params", "meta"})
      if (m.contains(k))
        for (auto& [key, v] : m.at(k).items()) (void)v.get<std::string>();
    FUZZ_CHECK(!hactl::cmd::json_text(m).empty());
  } catch (const std::exception&) {
    FUZZ_CHECK(!"an accepted controller message made a handler's read throw");
  }
  return 0;
}
