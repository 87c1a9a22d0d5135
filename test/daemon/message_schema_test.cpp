// The controller message schema: a field has one type in every message type,
// so a peer cannot hand a handler a surprise in a message it does not expect.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "cmd/daemon/controller_messages.h"
#include "cmd/daemon/message_schema.h"

using json = nlohmann::json;
using namespace hactl::cmd::daemon;

TEST_CASE("message schema: a field of the wrong type is refused whatever message carries it") {
  // Found by the fuzzer: a forward carrying an object as "tid".
  CHECK(ctl_message_error(CtlMsg::forward, json::parse(R"({"tid":{"op":"cte"}})")) ==
        "field \"tid\" must be an integer");
  CHECK(ctl_message_error(CtlMsg::please_leave, json::parse(R"({"session":5})")) ==
        "field \"session\" must be a string");
  CHECK(ctl_message_error(CtlMsg::hello, json::parse(R"({"params":{"a":1}})")) ==
        "field \"params\" must be an object of strings");
  CHECK(ctl_message_error(CtlMsg::stop_all, json::array()) == "a JSON object expected");
}

TEST_CASE("message schema: well-typed and absent fields pass; a forwarded request is checked as IPC") {
  CHECK(ctl_message_error(CtlMsg::execute, json::parse(R"({"dc":1,"tid":3,"rsc":"ip","params":{"ip":"1.2.3.4"}})"))
            .empty());
  CHECK(ctl_message_error(CtlMsg::leave_done, json::object()).empty());
  CHECK(ctl_message_error(CtlMsg::forward, json::parse(R"({"qid":1,"req":{"op":"ctl_fence","node":2}})")) ==
        "field \"node\" must be a string");
  std::string error;
  auto bytes = encode_ctl(CtlMsg::forward, json::parse(R"({"tid":{"op":"cte"}})"));
  CHECK_FALSE(decode_ctl(bytes, &error));
  CHECK(error.find("tid") != std::string::npos);
}
