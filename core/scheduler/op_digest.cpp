#include "core/scheduler/op_digest.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <strings.h>

#include "core/duration.h"
#include "core/md5.h"

namespace hactl::core::sched {
namespace {

constexpr const char* kMetaPrefix = "CRM_meta_";
// The feature set Pacemaker 2.1.5 assumes when neither the entry nor the CIB has one.
constexpr const char* kFeatureSet = "3.16.1";
// CRM_DEFAULT_OP_TIMEOUT_S
constexpr int64_t kDefaultTimeoutMs = 20000;

// Merges parameter sets into `out` as pe__unpack_dataset_nvpairs does:
// highest score first, the first value of a name wins. False when a set
// cannot be evaluated here: a rule needs a node, and an id-ref (a set or
// pair without its own id or name) is not resolved by the model.
bool merge_sets(std::vector<NvSet> sets, Attributes& out) {
  std::stable_sort(sets.begin(), sets.end(), [](const NvSet& a, const NvSet& b) { return a.score > b.score; });
  for (const NvSet& s : sets) {
    if (s.has_rule || s.id.empty()) return false;
    for (const NvPair& p : s.pairs) {
      if (p.name.empty()) return false;
      out.emplace(p.name, p.value);
    }
  }
  return true;
}

// The resource's parameters: its own, then its group's (get_rsc_attributes).
bool resource_params(const Cib& cib, const Primitive& p, Attributes& out) {
  if (!merge_sets(p.instance_sets, out)) return false;
  if (p.group.empty()) return true;
  const Group* g = cib.find_group(p.group);
  return g == nullptr || merge_sets(g->instance_sets, out);
}

// The configured operation a history entry belongs to: same name (any case)
// and interval, disabled ones included (new_action's find_rsc_op_entry_helper).
const Op* op_definition(const Primitive& p, const LrmOp& op) {
  for (const Op& o : p.ops)
    if (o.interval_ms == op.interval_ms && strcasecmp(o.name.c_str(), op.operation.c_str()) == 0) return &o;
  return nullptr;
}

// unpack_operation's timeout: <op> attributes and meta_attributes, else
// op_defaults, else 20s; in milliseconds.
int64_t op_timeout_ms(const Cib& cib, const Op* def) {
  std::optional<std::string> value;
  if (auto it = cib.op_defaults.find("timeout"); it != cib.op_defaults.end()) value = it->second;
  if (def != nullptr)
    if (auto it = def->attrs.find("timeout"); it != def->attrs.end()) value = it->second;
  if (!value) return kDefaultTimeoutMs;
  auto ms = parse_duration_ms(*value);
  return ms && *ms >= 0 ? *ms : kDefaultTimeoutMs;
}

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// pcmk__filter_op_for_digest: drops every CRM_meta_* attribute (and a few
// the controller adds), except that a recurring operation keeps its timeout.
// The interval is read from CRM_meta_interval, so filtering a second time
// drops the timeout too, as Pacemaker's secure digest does.
void filter_for_digest(Attributes& params) {
  std::optional<std::string> timeout;
  if (auto it = params.find("CRM_meta_interval"); it != params.end() && std::atoll(it->second.c_str()) != 0)
    if (auto t = params.find("CRM_meta_timeout"); t != params.end()) timeout = t->second;
  for (auto it = params.begin(); it != params.end();) {
    const std::string& n = it->first;
    bool drop = starts_with(n, kMetaPrefix) || n == "id" || n == "crm_feature_set" || n == "op-digest" ||
                n == "on_node" || n == "on_node_uuid" || n == "pcmk_external_ip";
    it = drop ? params.erase(it) : std::next(it);
  }
  if (timeout) params["CRM_meta_timeout"] = *timeout;
}

// Whether `name` is in a space-separated list written as " a b c "
// (attr_in_string: the list is searched for " name ").
bool listed(const std::string& list, const std::string& name) {
  return list.find(" " + name + " ") != std::string::npos;
}

// pcmk_stonith_param: parameters Pacemaker itself defines for fence devices.
bool is_fence_param(const std::string& name) {
  if (name == "provides" || name == "stonith-timeout") return true;
  if (!starts_with(name, "pcmk_")) return false;
  for (const char* p : {"pcmk_action_limit", "pcmk_delay_base", "pcmk_delay_max", "pcmk_host_argument",
                        "pcmk_host_check", "pcmk_host_list", "pcmk_host_map"})
    if (name == p) return true;
  auto us = name.find('_', 5);  // past "pcmk_ACTION"
  if (us == std::string::npos) return false;
  std::string rest = name.substr(us);
  return rest == "_action" || rest == "_timeout" || rest == "_retries";
}

// compare_version: dotted numbers, component by component.
bool version_less(const std::string& a, const std::string& b) {
  const char *pa = a.c_str(), *pb = b.c_str();
  while (*pa != '\0' || *pb != '\0') {
    char *ea = nullptr, *eb = nullptr;
    long x = std::strtol(pa, &ea, 10), y = std::strtol(pb, &eb, 10);
    if (x != y) return x < y;
    pa = *ea == '.' ? ea + 1 : ea;
    pb = *eb == '.' ? eb + 1 : eb;
    if (ea == pa && eb == pb) break;  // neither advanced: not a number
  }
  return false;
}

}  // namespace

std::string pacemaker_xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    // crm_xml_escape stops escaping altogether at the first pair of bytes
    // with the high bit set (a multi-byte UTF-8 character): the rest is
    // copied as it is.
    if ((c & 0x80) != 0 && i + 1 < text.size() && (static_cast<unsigned char>(text[i + 1]) & 0x80) != 0) {
      out.append(text.substr(i));
      break;
    }
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '&': out += "&amp;"; break;
      case '\t': out += "    "; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < ' ' || c > '~') {
          // Printed as a (signed) char in octal: a lone high byte comes out
          // as a 32-bit negative number, as Pacemaker's does.
          char buf[16];
          std::snprintf(buf, sizeof buf, "\\%.3o", static_cast<unsigned>(static_cast<int>(static_cast<signed char>(c))));
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

std::string parameters_digest(const Attributes& params) {
  // calculate_xml_digest_v1 of the sorted element: a leading space, the
  // element on one line, a newline. std::map orders names as strcmp does.
  std::string text = " <parameters";
  for (const auto& [name, value] : params) text += " " + name + "=\"" + pacemaker_xml_escape(value) + "\"";
  text += "/>\n";
  return md5_hex(text);
}

DigestCheck compare_op_digest(const Cib& cib, const Primitive& p, const LrmOp& op, bool sanitized) {
  DigestCheck check;
  Attributes params;
  if (!resource_params(cib, p, params)) return check;
  const Op* def = op_definition(p, op);
  Attributes extra;
  if (def != nullptr && !merge_sets(def->instance_sets, extra)) return check;

  // calculate_main_digest: resource parameters, then the op's own, then its
  // meta attributes (of which only interval and timeout survive filtering).
  Attributes all = params;
  for (const auto& kv : extra) all.insert(kv);
  if (op.interval_ms > 0) {
    all.emplace("CRM_meta_interval", std::to_string(op.interval_ms));
    all.emplace("CRM_meta_timeout", std::to_string(op_timeout_ms(cib, def)));
  }
  filter_for_digest(all);
  const std::string digest_all = parameters_digest(all);
  // A one-off operation with parameters of its own is restarted, not
  // reloaded, when its digest differs: a reload would not apply them.
  const bool restart_if_changed = op.interval_ms == 0 && !extra.empty();

  // calculate_restart_digest: only the parameters a reload cannot change.
  std::string digest_restart;
  if (!op.restart_digest.empty()) {
    Attributes restart = all;
    if (!op.force_restart.empty())
      std::erase_if(restart, [&](const auto& kv) { return !listed(op.force_restart, kv.first); });
    digest_restart = parameters_digest(restart);
  }

  // rsc_action_digest_cmp
  if (!op.restart_digest.empty() && digest_restart != op.restart_digest) {
    check.result = DigestMatch::restart_needed;
  } else if (op.op_digest.empty()) {
    check.result = DigestMatch::unknown;
  } else if (op.op_digest != digest_all) {
    check.result = restart_if_changed ? DigestMatch::restart_needed : DigestMatch::changed;
  } else {
    check.result = DigestMatch::match;
  }

  // calculate_secure_digest and only_sanitized_changed
  if (sanitized && check.result != DigestMatch::match && !op.secure_digest.empty()) {
    std::string version = !op.crm_feature_set.empty() ? op.crm_feature_set
                          : !cib.crm_feature_set.empty() ? cib.crm_feature_set : kFeatureSet;
    const bool old_version = version_less(version, "3.16.0");
    Attributes secure = old_version ? params : all;
    if (!op.secure_params.empty())
      std::erase_if(secure, [&](const auto& kv) { return listed(op.secure_params, kv.first); });
    // Older controllers hashed only the parameters the agent declares.
    if (old_version && p.cls == "stonith") std::erase_if(secure, [](const auto& kv) { return is_fence_param(kv.first); });
    filter_for_digest(secure);
    if (old_version) secure.erase("CRM_meta_timeout");
    check.only_private_changed = parameters_digest(secure) == op.secure_digest;
  }
  return check;
}

}  // namespace hactl::core::sched
