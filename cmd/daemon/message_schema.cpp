#include "cmd/daemon/message_schema.h"

#include <initializer_list>
#include <string_view>

namespace hactl::cmd::daemon {

using json = nlohmann::json;

namespace {

enum class Type { text, integer, boolean, object, text_map };

struct Field {
  std::string_view name;
  Type type;
};

bool has_type(const json& v, Type t) {
  switch (t) {
    case Type::text: return v.is_string();
    case Type::integer: return v.is_number_integer();
    case Type::boolean: return v.is_boolean();
    case Type::object: return v.is_object();
    case Type::text_map:
      if (!v.is_object()) return false;
      for (const auto& item : v.items())
        if (!item.value().is_string()) return false;
      return true;
  }
  return false;
}

const char* type_name(Type t) {
  switch (t) {
    case Type::text: return "a string";
    case Type::integer: return "an integer";
    case Type::boolean: return "true or false";
    case Type::object: return "an object";
    case Type::text_map: return "an object of strings";
  }
  return "?";
}

// Absent fields are allowed (handlers have defaults); present ones must match.
std::string check(const json& body, std::initializer_list<Field> fields) {
  if (!body.is_object()) return "a JSON object expected";
  for (const Field& f : fields) {
    auto it = body.find(f.name);
    if (it != body.end() && !has_type(*it, f.type))
      return "field \"" + std::string(f.name) + "\" must be " + type_name(f.type);
  }
  return {};
}

}  // namespace

std::string ipc_request_error(const json& req) {
  if (!req.is_object() || !req.contains("op")) return "one JSON object with \"op\" expected";
  if (!req.at("op").is_string()) return "field \"op\" must be a string";
  const std::string& op = req.at("op").get_ref<const std::string&>();
  if (op == "cib_replace") return check(req, {{"cib", Type::text}, {"base", Type::text}, {"base_cib", Type::text},
                                {"scope", Type::text}, {"client", Type::text}});
  if (op == "ctl_cleanup") return check(req, {{"rsc", Type::text}, {"node", Type::text}, {"refresh", Type::boolean}});
  if (op == "ctl_fence" || op == "ctl_stop_node") return check(req, {{"node", Type::text}});
  return {};
}

// One table for every message type: a field means the same thing in each, so a
// handler (or a later version's handler) reading any of them never meets a
// surprise type, whatever message carries it.
std::string ctl_message_error(CtlMsg type, const json& body) {
  switch (type) {
    case CtlMsg::execute:
    case CtlMsg::result:
    case CtlMsg::hello:
    case CtlMsg::leave:
    case CtlMsg::forward:
    case CtlMsg::forward_reply:
    case CtlMsg::leave_done:
    case CtlMsg::stop_all:
    case CtlMsg::please_leave: break;
    default: return "unknown message type";
  }
  std::string e = check(body, {{"dc", Type::integer}, {"term", Type::integer}, {"tid", Type::integer},
                               {"aid", Type::integer}, {"rsc", Type::text}, {"standard", Type::text},
                               {"provider", Type::text}, {"type", Type::text}, {"action", Type::text},
                               {"interval_ms", Type::integer}, {"timeout_ms", Type::integer}, {"kind", Type::text},
                               {"fence_id", Type::integer}, {"params", Type::text_map}, {"meta", Type::text_map},
                               {"reuse_last_params", Type::boolean}, {"rc", Type::integer},
                               {"status", Type::integer}, {"reason", Type::text}, {"exec_ms", Type::integer},
                               {"output", Type::text}, {"session", Type::text}, {"dcs_followed", Type::integer},
                               {"qid", Type::integer}, {"req", Type::object}, {"answer", Type::object}});
  if (e.empty() && type == CtlMsg::forward && body.contains("req")) e = ipc_request_error(body.at("req"));
  return e;
}

}  // namespace hactl::cmd::daemon
