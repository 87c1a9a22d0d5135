// `hactl property ...` and the legacy `property show|list`.
#include <iostream>

#include <nlohmann/json.hpp>

#include "cmd/cli.h"
#include "cmd/sys/json_text.h"
#include "core/cib_model.h"
#include "core/cluster_properties.h"
#include "core/nvset_edit.h"

namespace hactl::cmd {

using core::CibDocument;
using core::Status;
using json = nlohmann::json;

namespace {

core::Element* bootstrap_set(CibDocument& doc) {
  core::Element* cc = doc.section("crm_config");
  for (core::Element* s : core::children(cc, "cluster_property_set"))
    if (core::attr(s, "id") == "cib-bootstrap-options") return s;
  return core::ensure_nvset(doc, cc, "cluster_property_set", "cib-bootstrap-options");
}

int show(Invocation& inv, const Args& names) {
  auto doc = load_cib(inv);
  if (!doc) return fail(doc.status());
  core::Element* cc = doc->find_section("crm_config");
  if (inv.json()) {
    json sets = json::array();
    for (core::Element* s : core::children(cc, "cluster_property_set")) {
      core::NvSet set = core::read_nvset(s);
      json pairs = json::array();
      for (auto& p : set.pairs) pairs.push_back({{"id", p.id}, {"name", p.name}, {"value", p.value}});
      sets.push_back({{"id", set.id}, {"options", json::object()}, {"rule", nullptr}, {"nvpairs", pairs}});
    }
    std::cout << json_text(json{{"nvsets", sets}}, 2) << "\n";
    return 0;
  }
  core::Cib cib = core::read_cib(*doc);
  std::map<std::string, std::string> shown;
  if (inv.all || inv.defaults)
    for (const auto& p : core::cluster_properties())
      if (!p.read_only) shown[std::string(p.name)] = std::string(p.default_value);
  if (!inv.defaults)
    for (auto& [k, v] : cib.properties) shown[k] = v;
  std::cout << "Cluster Properties:\n";
  for (auto& [k, v] : shown) {
    if (!names.empty() && std::find(names.begin(), names.end(), k) == names.end()) continue;
    std::cout << " " << k << ": " << v << "\n";
  }
  return 0;
}

int set(Invocation& inv, const Args& args) {
  if (args.empty()) return usage_error("property set needs NAME=VALUE");
  auto kvs = parse_kvs(args);
  if (!kvs) return fail(kvs.status());
  std::vector<std::string> problems;
  for (auto& [name, value] : *kvs) {
    const core::PropertyInfo* info = core::find_property(name);
    if (!info) {
      problems.push_back("invalid cluster property: '" + name + "'");
      continue;
    }
    if (info->read_only) problems.push_back("cluster property '" + name + "' is set by the cluster itself");
    else if (!value.empty())
      if (Status s = core::check_property_value(*info, value); !s) problems.push_back(s.message());
  }
  if (!problems.empty()) {
    if (!inv.force) {
      for (auto& p : problems) std::cerr << "Error: " << p << ", use --force to override\n";
      std::cerr << "Error: Errors have occurred, therefore hactl is unable to continue\n";
      return core::to_int(core::ExitCode::invalid_param);
    }
    for (auto& p : problems) warn(p);
  }
  return edit_cib(inv, [&](CibDocument& doc) {
    core::Element* set = bootstrap_set(doc);
    for (auto& [name, value] : *kvs) core::set_nvpair(doc, set, name, value);
    return Status::ok();
  });
}

int unset(Invocation& inv, const Args& names) {
  if (names.empty()) return usage_error("property unset needs a property name");
  return edit_cib(inv, [&](CibDocument& doc) {
    core::Element* set = bootstrap_set(doc);
    for (const std::string& n : names)
      if (!core::remove_nvpair(set, n) && !inv.force)
        return Status::not_found("Cannot remove property '" + n +
                                 "', it is not present in property set 'cib-bootstrap-options', use --force to override");
    return Status::ok();
  });
}

int describe(Invocation& inv, const Args& names) {
  for (const std::string& n : names)
    if (!core::find_property(n)) return fail(Status::invalid("invalid cluster property: '" + n + "'"));
  json out = json::object();
  for (const auto& p : core::cluster_properties()) {
    if (!names.empty() && std::find(names.begin(), names.end(), p.name) == names.end()) continue;
    if (inv.json()) {
      json allowed = json::array();
      for (auto a : p.allowed) allowed.push_back(a);
      out[std::string(p.name)] = {{"type", core::property_type_name(p.type)}, {"default", p.default_value},
                                  {"allowed_values", allowed}, {"shortdesc", p.description}, {"readonly", p.read_only}};
      continue;
    }
    std::cout << p.name << "\n  Description: " << p.description << "\n  Type: " << core::property_type_name(p.type);
    if (!p.allowed.empty()) {
      std::cout << "\n  Allowed values:";
      for (auto a : p.allowed) std::cout << " '" << a << "'";
    }
    std::cout << "\n  Default: " << p.default_value << "\n";
  }
  if (inv.json()) std::cout << json_text(json{{"properties_metadata", out}}, 2) << "\n";
  return 0;
}

}  // namespace

int run_property(Invocation& inv, Args args) {
  std::string sub = args.empty() ? "config" : args[0];
  Args rest = args.empty() ? Args{} : Args(args.begin() + 1, args.end());
  if (sub == "config") return show(inv, rest);
  if (sub == "show" || sub == "list") {
    legacy_note("property " + sub, "property config");
    return show(inv, rest);
  }
  if (sub == "set") return set(inv, rest);
  if (sub == "unset") return unset(inv, rest);
  if (sub == "defaults") {
    inv.defaults = true;
    return show(inv, rest);
  }
  if (sub == "describe") return describe(inv, rest);
  return usage_error("unknown property command '" + sub + "', use config, set, unset, defaults or describe");
}

}  // namespace hactl::cmd
