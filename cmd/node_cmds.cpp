// `hactl node standby|unstandby|maintenance|unmaintenance|attribute`.
#include <iostream>

#include <nlohmann/json.hpp>

#include "cmd/cli.h"
#include "cmd/sys/json_text.h"
#include "core/cib_model.h"
#include "core/node_edit.h"

namespace hactl::cmd {

using core::CibDocument;
using core::Status;

namespace {

int set_flag(Invocation& inv, const Args& nodes, const char* attribute, bool on) {
  if (nodes.empty() && !inv.all) return usage_error(std::string("node ") + (on ? "" : "un") + attribute + " NODE... | --all");
  return edit_cib(inv, [&](CibDocument& doc) {
    std::vector<std::string> targets = nodes;
    if (inv.all)
      for (auto& n : core::read_cib(doc).nodes) targets.push_back(n.uname);
    for (const std::string& n : targets)
      if (Status s = core::set_node_attribute(doc, n, attribute, on ? "on" : ""); !s) return s;
    return Status::ok();
  });
}

int attribute(Invocation& inv, const Args& a) {
  std::vector<std::string> names;
  core::KeyValues kvs;
  std::string node;
  for (auto& x : a) {
    std::string k, v;
    if (split_kv(x, &k, &v)) kvs.emplace_back(k, v);
    else if (node.empty()) node = x;
    else return usage_error("node attribute [NODE [NAME=VALUE]...]");
  }
  if (!kvs.empty()) {
    if (node.empty()) return usage_error("node attribute NODE NAME=VALUE...");
    return edit_cib(inv, [&](CibDocument& doc) {
      for (auto& [k, v] : kvs)
        if (Status s = core::set_node_attribute(doc, node, k, v); !s) return s;
      return Status::ok();
    });
  }
  auto doc = load_cib(inv);
  if (!doc) return fail(doc.status());
  core::Cib cib = core::read_cib(*doc);
  std::string only = inv.value("name");
  if (!node.empty() && !cib.find_node(node)) return fail(Status::not_found("Node '" + node + "' does not appear to exist in configuration"));
  nlohmann::json out = nlohmann::json::object();
  if (!inv.json()) std::cout << "Node Attributes:\n";
  for (auto& n : cib.nodes) {
    if (!node.empty() && n.uname != node) continue;
    std::string line;
    for (auto& [k, v] : n.attrs) {
      if (!only.empty() && k != only) continue;
      line += " " + k + "=" + v;
      out[n.uname][k] = v;
    }
    if (!inv.json() && !line.empty()) std::cout << " " << n.uname << ":" << line << "\n";
  }
  if (inv.json()) std::cout << json_text(out, 2) << "\n";
  return 0;
}

}  // namespace

int run_node(Invocation& inv, Args args) {
  if (args.empty()) return usage_error("node standby|unstandby|maintenance|unmaintenance|attribute ...");
  std::string sub = args[0];
  Args rest(args.begin() + 1, args.end());
  if (sub == "standby") return set_flag(inv, rest, "standby", true);
  if (sub == "unstandby") return set_flag(inv, rest, "standby", false);
  if (sub == "maintenance") return set_flag(inv, rest, "maintenance", true);
  if (sub == "unmaintenance") return set_flag(inv, rest, "maintenance", false);
  if (sub == "attribute") return attribute(inv, rest);
  return usage_error("unknown node command '" + sub + "'");
}

}  // namespace hactl::cmd
