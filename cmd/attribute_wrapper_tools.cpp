// crm_standby, crm_master, crm_failcount (in Pacemaker, scripts over
// crm_attribute / crm_resource) and attrd_updater (transient attributes; hactl
// keeps them in the status section, written through the DC, as there is no
// separate attribute manager yet).
#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "cmd/crm_attribute_tool.h"
#include "cmd/crm_tool_support.h"
#include "core/node_edit.h"
#include "core/transient_attributes.h"

namespace hactl::cmd {

int run_crm_resource(int argc, char** argv);

using core::ExitCode;
using core::Status;

namespace {

AttributeRequest::Action action_of(bool update, bool del) {
  return update ? AttributeRequest::Action::update : del ? AttributeRequest::Action::remove : AttributeRequest::Action::query;
}

}  // namespace

int run_crm_standby(int argc, char** argv) {
  CLI::App app{"Put a node in standby, take it out, or show its state", "crm_standby"};
  AttributeRequest r;
  r.tool = "crm_standby";
  r.name = "standby";
  std::string lifetime = "forever";
  bool query = false, del = false;
  auto* update = app.add_option("-v,--update", r.value, "on or off");
  app.add_flag("-G,--query", query, "Show the node's standby state");
  app.add_flag("-D,--delete", del, "Remove the standby attribute");
  app.add_option("-N,--node", r.node, "Node (default: this node)");
  app.add_option("-l,--lifetime", lifetime, "forever (default) or reboot");
  app.add_flag("-q,--quiet", r.quiet, "Print only the value");
  if (int rc = parse_tool(app, argc, argv); rc >= 0) return rc;
  r.type = lifetime;
  r.action = action_of(update->count() > 0, del);
  if (r.action == AttributeRequest::Action::query) r.default_value = "off";
  (void)query;
  return run_attribute_request(r);
}

int run_crm_master(int argc, char** argv) {
  CLI::App app{"Set, show or delete this resource instance's promotion score (from an OCF agent)", "crm_master"};
  AttributeRequest r;
  r.tool = "crm_master";
  std::string lifetime, rsc;
  bool query = false, del = false;
  auto* update = app.add_option("-v,--update", r.value, "Promotion score");
  app.add_flag("-G,--query", query, "Show the score");
  app.add_flag("-D,--delete", del, "Delete the score");
  app.add_option("-N,--node", r.node, "Node (default: this node)");
  app.add_option("-l,--lifetime", lifetime, "reboot (default) or forever");
  app.add_option("-r,--resource", rsc, "Resource (default: OCF_RESOURCE_INSTANCE)");
  app.add_flag("-q,--quiet", r.quiet, "Print only the value");
  if (int rc = parse_tool(app, argc, argv); rc >= 0) return rc;
  if (rsc.empty())
    if (const char* env = std::getenv("OCF_RESOURCE_INSTANCE")) rsc = env;
  if (rsc.empty()) return tool_error(r.tool, Status::usage("This program should normally only be invoked from inside an OCF resource agent"));
  r.name = "master-" + rsc.substr(0, rsc.find(':'));
  r.type = lifetime.empty() ? "status" : lifetime;
  r.action = action_of(update->count() > 0, del);
  (void)query;
  return run_attribute_request(r);
}

// Query: the sum of the resource's fail-count-RSC#OP_INTERVAL attributes on the
// node; delete: crm_resource --cleanup, as Pacemaker's script does.
int run_crm_failcount(int argc, char** argv) {
  CLI::App app{"Show or clear a resource's fail count on a node", "crm_failcount"};
  std::string rsc, node, op, interval;
  bool query = false, del = false, quiet = false;
  app.add_option("-r,--resource", rsc, "Resource");
  app.add_option("-N,--node", node, "Node (default: this node)");
  app.add_option("-n,--operation", op, "Only this operation's fail count");
  app.add_option("-I,--interval", interval, "Only this interval (with -n)");
  app.add_flag("-G,--query", query, "Show the fail count (default)");
  app.add_flag("-D,--delete", del, "Clear the fail count (cleanup)");
  app.add_flag("-q,--quiet", quiet, "Print only the value");
  if (int rc = parse_tool(app, argc, argv); rc >= 0) return rc;
  if (rsc.empty()) return tool_error("crm_failcount", Status::usage("You must specify a resource (-r)"));
  Invocation inv = tool_invocation("text");
  if (node.empty()) node = local_node_name(inv);
  if (del) {
    std::vector<std::string> args = {"crm_resource", "-C", "-r", rsc, "-N", node};
    std::vector<char*> av;
    for (auto& a : args) av.push_back(a.data());
    return run_crm_resource(static_cast<int>(av.size()), av.data());
  }
  auto doc = load_cib(inv);
  if (!doc) return tool_error("crm_failcount", doc.status());
  long long total = 0;
  const std::string prefix = "fail-count-" + rsc + "#" + (op.empty() ? "" : op + "_");
  for (auto& [k, v] : core::transient_attributes(*doc, node)) {
    if (k.rfind(prefix, 0) != 0 || (!interval.empty() && k != prefix + interval)) continue;
    if (v == "INFINITY" || v == "+INFINITY") total = 1000000;
    else total = std::min(1000000LL, total + std::atoll(v.c_str()));
  }
  std::string value = total >= 1000000 ? "INFINITY" : std::to_string(total);
  if (quiet) std::cout << value << "\n";
  else std::cout << "scope=status  name=fail-count-" << rsc << " value=" << value << "\n";
  (void)query;
  return 0;
}

int run_attrd_updater(int argc, char** argv) {
  CLI::App app{"Update, query or delete a node's transient attribute", "attrd_updater"};
  AttributeRequest r;
  r.tool = "attrd_updater";
  r.type = "status";
  bool query = false, del = false, all = false, refresh = false;
  std::string ignored;
  auto* update = app.add_option("-U,--update,-v", r.value, "Update the attribute's value");
  app.add_option("-n,--name", r.name, "The attribute's name");
  app.add_flag("-Q,--query", query, "Query the attribute's value");
  app.add_flag("-D,--delete", del, "Delete the attribute");
  app.add_flag("-A,--all", all, "With -Q: every node's value");
  app.add_flag("-R,--refresh", refresh, "Accepted: the status section is the store, nothing to refresh");
  app.add_option("-N,--node", r.node, "Node (default: this node)");
  app.add_option("-d,--delay,-s,--set,-B,--update-both,-Y,--update-delay", ignored, "Accepted for compatibility (no dampening)");
  bool is_private = false;
  app.add_flag("-p,--private", is_private, "Accepted: the value is written to the CIB");
  app.add_flag("-q,--quiet", r.quiet, "Print only the value");
  if (int rc = parse_tool(app, argc, argv); rc >= 0) return rc;
  if (refresh) return 0;
  if (r.name.empty()) return tool_error(r.tool, Status::usage("-n / --name is required"));
  r.action = action_of(update->count() > 0, del);
  if (r.action != AttributeRequest::Action::query) return run_attribute_request(r);
  if (!query) return tool_error(r.tool, Status::usage("Must specify -D, -Q, -R, or -U"));
  Invocation inv = tool_invocation("text");
  auto doc = load_cib(inv);
  if (!doc) return tool_error(r.tool, doc.status());
  std::vector<std::string> nodes;
  if (all) nodes = core::member_node_names(*doc);
  else nodes.push_back(r.node.empty() ? local_node_name(inv) : r.node);
  bool any = false;
  for (const auto& n : nodes)
    if (auto v = core::get_transient_attribute(*doc, n, r.name)) {
      any = true;
      if (r.quiet) std::cout << *v << "\n";
      else std::cout << "name=\"" << r.name << "\" host=\"" << n << "\" value=\"" << *v << "\"\n";
    }
  if (any) return 0;
  std::cerr << "attrd_updater: Could not query value of " << r.name << ": attribute does not exist\n";
  return core::to_int(ExitCode::no_such);
}

}  // namespace hactl::cmd
