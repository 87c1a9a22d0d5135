// The crm_resource personality: Pacemaker 2.1's options, text and
// --output-as xml, and exit codes. Reads come from CIB_file or the local
// agent; writes are edit_cib's compare-and-swap through the DC; cleanup and
// refresh go to the DC's controller.
#include <chrono>
#include <functional>
#include <iostream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "cmd/cibadmin.h"
#include "cmd/crm_resource_list.h"
#include "cmd/crm_tool_support.h"
#include "cmd/sys/ipc_client.h"
#include "cmd/live_controller.h"
#include "cmd/simulate_status.h"
#include "core/constraint_edit.h"
#include "core/node_edit.h"
#include "core/nvset_edit.h"
#include "core/printable_text.h"

namespace hactl::cmd {

std::vector<std::string> active_nodes_of(const core::CibDocument& doc, const std::string& rsc);  // resource_state_cmds.cpp

int run_crm_resource_agent_query(const std::string& what, const std::string& spec);  // crm_resource_agents.cpp

namespace {

using core::ExitCode;
using core::Status;
const char* kTool = "crm_resource";

struct Options {
  std::string rsc, node, value, lifetime, output = "text", type, set_param, get_param, del_param;
  bool list = false, list_raw = false, cleanup = false, refresh = false, move = false, ban = false, clear = false;
  bool locate = false, meta = false, force = false, del = false, why = false, query_xml = false, quiet = false;
  bool restart = false, wait = false;
  std::string force_action;  // --force-start ... (run the agent here, outside the cluster)
  std::string request;
  std::string agent_query, agent_spec;  // --list-standards, --show-metadata SPEC...
  bool xml() const { return output == "xml"; }
};

// pacemaker-result around what `body` prints; the <status> carries the exit code.
int with_result(const Options& o, const std::function<int(XmlOut*)>& body) {
  if (!o.xml()) return body(nullptr);
  std::ostringstream err;
  auto* old = std::cerr.rdbuf(err.rdbuf());
  XmlOut x(std::cout);
  x.open("pacemaker-result", {{"api-version", "2.25"}, {"request", o.request}});
  int rc = body(&x);
  std::cerr.rdbuf(old);
  std::string errors = err.str();
  const std::string code = std::to_string(rc);
  const std::string text = core::describe(static_cast<ExitCode>(rc));
  if (errors.empty()) {
    x.leaf("status", {{"code", code}, {"message", text}});
  } else {
    x.open("status", {{"code", code}, {"message", text}});
    x.open("errors");
    std::istringstream lines(errors);
    for (std::string line; std::getline(lines, line);) x.text("error", line);
    x.close();
    x.close();
  }
  x.close();
  return rc;
}

void leaf_names(const core::Element* e, std::vector<std::string>& out) {
  bool has_children = false;
  for (const core::Element* c : core::children(e))
    if (std::string_view t = c->Name(); t == "primitive" || t == "group" || t == "clone" || t == "master" || t == "bundle") {
      has_children = true;
      leaf_names(c, out);
    }
  if (!has_children && std::string_view(e->Name()) == "primitive") out.push_back(core::attr(e, "id"));
}

int list_raw(const core::CibDocument& doc, XmlOut* x) {
  std::vector<std::string> names;
  for (const core::Element* e : core::children(doc.find_section("resources"))) leaf_names(e, names);
  if (names.empty()) {
    std::cerr << "NO resources configured\n";
    return core::to_int(ExitCode::no_such);
  }
  if (x) x->open("list", {{"name", "resource names"}, {"count", std::to_string(names.size())}});
  for (const auto& n : names) x ? x->text("item", n, {{"name", "resource"}}) : void(std::cout << n << "\n");
  if (x) x->close();
  return 0;
}

int list(const core::CibDocument& doc, XmlOut* x) {
  MonView v(doc, std::time(nullptr));
  if (x) {
    print_resources_xml(*x, v);
    return 0;
  }
  if (print_resource_list_text(std::cout, v)) return 0;
  std::cerr << "NO resources configured\n";
  return core::to_int(ExitCode::no_such);
}

int locate(const core::CibDocument& doc, const Options& o, XmlOut* x) {
  std::vector<std::string> where = active_nodes_of(doc, o.rsc);
  if (x) {
    if (where.empty()) x->leaf("nodes", {{"resource", o.rsc}});
    else {
      x->open("nodes", {{"resource", o.rsc}});
      for (const auto& n : where) x->text("node", n);
      x->close();
    }
    return 0;
  }
  if (where.empty() && !o.quiet) std::cerr << "resource " << o.rsc << " is NOT running\n";
  for (const auto& n : where) std::cout << (o.quiet ? "" : "resource " + o.rsc + " is running on: ") << n << "\n";
  return 0;  // Pacemaker: not running is not an error
}

int query_xml(const core::CibDocument& doc, const Options& o) {
  MonView v(doc, std::time(nullptr));
  for (const auto& t : v.cs.resources)
    for (const auto& p : t.primitives)
      if (p.id == o.rsc) std::cout << primitive_line(p, v.cib, true) << "\n";
  std::cout << "Resource XML:\n";
  return print_cib_element(std::cout, core::find_resource(doc, o.rsc));
}

const char* set_tag(const Options& o) { return o.meta ? "meta_attributes" : "instance_attributes"; }

int get_param(const core::CibDocument& doc, const Options& o, XmlOut* x) {
  auto value = core::get_nvpair(core::find_resource(doc, o.rsc), set_tag(o), o.get_param);
  if (!value) {
    std::cerr << "Attribute '" << o.get_param << "' not found for '" << o.rsc << "'\n";
    return 0;  // as Pacemaker: reported, not an error
  }
  if (!x) {
    std::cout << *value << "\n";
    return 0;
  }
  x->open("list", {{"name", "attributes"}, {"count", "1"}});
  x->text("item", *value, {{"name", o.get_param}});
  x->close();
  return 0;
}

int set_or_delete_param(const Invocation& inv, const Options& o) {
  const bool setting = !o.set_param.empty();
  if (setting && o.value.empty()) return tool_error(kTool, Status::usage("You need to supply a value with the -v option"));
  const std::string name = setting ? o.set_param : o.del_param;
  std::string message;
  int rc = edit_cib(inv, [&](core::CibDocument& doc) -> Status {
    core::Element* rsc = core::find_resource(doc, o.rsc);
    if (!rsc) return Status::not_found("Resource '" + o.rsc + "' not found");
    if (!setting) {
      for (core::Element* set : core::children(rsc, set_tag(o)))
        for (core::Element* nv : core::children(set, "nvpair"))
          if (core::attr(nv, "name") == name) {
            message = "Deleted '" + o.rsc + "' option: id=" + core::attr(nv, "id") + " name=" + name;
            set->DeleteChild(nv);
            return {};
          }
      return {};  // nothing to delete: Pacemaker is silent and succeeds
    }
    core::Element* set = core::ensure_nvset(doc, rsc, set_tag(o), o.rsc + "-" + set_tag(o));
    core::set_nvpair(doc, set, name, o.value);
    std::string nv_id;
    for (core::Element* nv : core::children(set, "nvpair"))
      if (core::attr(nv, "name") == name) nv_id = core::attr(nv, "id");
    message = "Set '" + o.rsc + "' option: id=" + nv_id + " set=" + core::attr(set, "id") + " name=" + name + " value=" + o.value;
    return {};
  });
  if (rc == 0 && !message.empty() && !o.quiet) std::cout << core::printable(message) << "\n";
  return rc;
}

std::string ban_warning(const std::string& rsc, const std::string& node) {
  return "WARNING: Creating rsc_location constraint 'cli-ban-" + rsc + "-on-" + node +
         "' with a score of -INFINITY for resource " + rsc + " on " + node + ".\n\tThis will prevent " + rsc +
         " from running on " + node +
         " until the constraint is removed using the clear option or by editing the CIB with an appropriate tool\n"
         "\tThis will be the case even if " + node + " is the last node in the cluster\n";
}

int move_or_ban(const Invocation& inv, const core::CibDocument& doc, const Options& o) {
  std::string node = o.node;
  const std::vector<std::string> where = active_nodes_of(doc, o.rsc);
  if (node.empty()) {  // ban from (or move away from) where it runs now: it must run in one place
    if (where.size() != 1)
      return tool_error(kTool, Status::usage("Resource '" + o.rsc + "' not moved: active in " + std::to_string(where.size()) +
                                             " locations.\nTo prevent '" + o.rsc + "' from running on a specific location, specify a node."));
    node = where.front();
  }
  const bool ban = o.ban || o.node.empty();
  if (!ban && !o.force && where.size() == 1 && where.front() == node)
    return tool_error(kTool, Status::error(ExitCode::exists, o.rsc + " is already active on " + node));
  int rc = edit_cib(inv, [&](core::CibDocument& d) -> Status {
    auto id = ban ? core::add_ban_constraint(d, o.rsc, node, o.lifetime) : core::add_move_constraint(d, o.rsc, node, o.lifetime);
    return id ? Status{} : id.status();
  });
  if (rc == 0 && ban && !o.quiet) std::cout << ban_warning(o.rsc, node);
  return rc;
}

int clear(const Invocation& inv, const Options& o) {
  std::vector<std::string> removed;
  int rc = edit_cib(inv, [&](core::CibDocument& d) -> Status {
    removed = core::clear_move_constraints(d, o.rsc, o.node);
    return {};
  });
  if (rc == 0 && !o.quiet)
    for (const auto& id : removed) std::cout << "Removing constraint: " << id << "\n";
  return rc;
}

// Nodes with operation history for the resource: where a cleanup acts.
std::vector<std::string> history_nodes(const core::CibDocument& doc, const std::string& rsc) {
  std::vector<std::string> out;
  for (const core::Element* ns : core::children(core::first_child(doc.root(), "status"), "node_state"))
    for (const core::Element* lrm : core::children(ns, "lrm"))
      for (const core::Element* lr : core::children(core::first_child(lrm, "lrm_resources"), "lrm_resource"))
        if (core::attr(lr, "id") == rsc) out.push_back(core::attr(ns, "uname"));
  return out;
}

int cleanup(const Invocation& inv, const core::CibDocument& doc, const Options& o) {
  std::vector<std::string> nodes = o.node.empty() ? history_nodes(doc, o.rsc) : std::vector<std::string>{o.node};
  if (!inv.cib_file.empty()) {
    for (const auto& n : nodes) std::cerr << "Dry run: skipping clean-up of " << o.rsc << " on " << n << " due to CIB_file\n";
    if (o.rsc.empty()) std::cerr << "Dry run: skipping clean-up of all resources due to CIB_file\n";
    return 0;
  }
  nlohmann::json req = {{"op", "ctl_cleanup"}};
  if (o.refresh) req["refresh"] = true;
  if (!o.rsc.empty()) req["rsc"] = o.rsc;
  if (!o.node.empty()) req["node"] = o.node;
  auto r = ipc_call(paths_of(inv).socket(), req, 30000);
  if (!r) return tool_error(kTool, r.status());
  if (o.quiet) return 0;
  if (o.rsc.empty()) std::cout << "Cleaned up all resources on " << (o.node.empty() ? "all nodes" : o.node) << "\n";
  for (const auto& n : nodes) std::cout << "Cleaned up " << o.rsc << " on " << n << "\n";
  return 0;
}

int delete_resource(const Invocation& inv, const Options& o) {
  if (o.type.empty()) return tool_error(kTool, Status::not_found("You need to specify a resource type with -t"));
  return edit_cib(inv, [&](core::CibDocument& d) -> Status {
    core::Element* e = core::find_resource(d, o.rsc);
    if (!e || o.type != e->Name()) return Status::not_found("Could not delete resource " + o.rsc + ": No such device or address");
    std::vector<std::string> removed;
    return core::delete_resource(d, o.rsc, &removed);
  });
}

int wait_stable(const Invocation& inv) {
  if (!inv.cib_file.empty()) return tool_error(kTool, Status::invalid("--wait needs a running cluster, not CIB_file"));
  for (int i = 0; i < 600; ++i) {  // 60 s, Pacemaker's default for --wait without --timeout
    if (auto st = controller_state(inv); st && st->value("settled", false)) return 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return tool_error(kTool, Status::error(ExitCode::timeout, "Timed out waiting for cluster to become stable"));
}

int run(Options& o) {
  Invocation inv = tool_invocation(o.output);
  inv.force = o.force;
  inv.values["update-client"] = kTool;
  if (!o.agent_query.empty()) return run_crm_resource_agent_query(o.agent_query, o.agent_spec);
  if (o.wait && !o.restart) return wait_stable(inv);
  if (!o.force_action.empty()) {
    if (o.rsc.empty()) return tool_error(kTool, Status::usage("Must supply a resource id with -r"));
    return run_resource(inv, {"debug-" + o.force_action, o.rsc});
  }
  auto loaded = load_cib(inv);
  if (!loaded) return tool_error(kTool, loaded.status());
  const core::CibDocument& doc = *loaded;
  if (o.list_raw) return with_result(o, [&](XmlOut* x) { return list_raw(doc, x); });
  if (o.list || (o.rsc.empty() && !o.cleanup && !o.refresh)) {
    return with_result(o, [&](XmlOut* x) { return list(doc, x); });
  }
  if (!o.rsc.empty() && !core::find_resource(doc, o.rsc))
    return with_result(o, [&](XmlOut*) { return tool_error(kTool, Status::not_found("Resource '" + o.rsc + "' not found")); });
  if (!o.node.empty() && !core::find_node_element(doc, o.node))
    return with_result(o, [&](XmlOut*) { return tool_error(kTool, Status::not_found("Node '" + o.node + "' not found")); });
  if (o.cleanup || o.refresh) return cleanup(inv, doc, o);
  if (o.locate) return with_result(o, [&](XmlOut* x) { return locate(doc, o, x); });
  if (!o.get_param.empty()) return with_result(o, [&](XmlOut* x) { return get_param(doc, o, x); });
  if (!o.set_param.empty() || !o.del_param.empty()) return set_or_delete_param(inv, o);
  if (o.move || o.ban) return move_or_ban(inv, doc, o);
  if (o.clear) return clear(inv, o);
  if (o.query_xml) return query_xml(doc, o);
  if (o.why) return run_resource(inv, o.node.empty() ? Args{"why", o.rsc} : Args{"why", o.rsc, o.node});
  if (o.restart) return live_restart(inv, {o.rsc});
  if (o.del) return delete_resource(inv, o);
  // -r alone: Pacemaker lists the resources.
  return with_result(o, [&](XmlOut* x) { return list(doc, x); });
}

}  // namespace

int run_crm_resource(int argc, char** argv) {
  CLI::App app{"Perform tasks related to cluster resources", kTool};
  Options o;
  o.request = request_line(kTool, argc, argv);
  app.add_flag("-L,--list", o.list, "List all cluster resources with status");
  app.add_flag("-l,--list-raw", o.list_raw, "List IDs of all instantiated resources (individual members rather than groups etc.)");
  app.add_option("-r,--resource", o.rsc, "Resource ID");
  app.add_option("-N,--node", o.node, "Node name");
  app.add_flag("-C,--cleanup", o.cleanup, "Delete the failure history of the resource and re-detect its state");
  app.add_flag("-R,--refresh", o.refresh, "Delete the history of the resource and re-detect its state");
  app.add_flag("-M,--move", o.move, "Move the resource from its current location (cli-prefer / cli-ban constraint)");
  app.add_flag("-B,--ban", o.ban, "Prevent the resource from running on the node (-N), or its current node");
  app.add_flag("-U,--clear", o.clear, "Remove constraints created by --ban and/or --move");
  app.add_flag("-W,--locate", o.locate, "Show node(s) currently running the resource");
  app.add_flag("-Y,--why", o.why, "Show why resources are not running");
  app.add_flag("-q,--query-xml", o.query_xml, "Show XML configuration of the resource");
  app.add_flag("-w,--query-xml-raw", o.query_xml, "Show XML configuration of the resource (as stored)");
  app.add_flag("-D,--delete", o.del, "Delete the resource (needs -t TYPE)");
  app.add_flag("--restart", o.restart, "Stop the resource and start it again, waiting for each");
  app.add_flag("--wait", o.wait, "Wait until the cluster settles");
  app.add_option("-p,--set-parameter", o.set_param, "Set the named parameter (with -v)");
  app.add_option("-g,--get-parameter", o.get_param, "Display the named parameter");
  app.add_option("-d,--delete-parameter", o.del_param, "Delete the named parameter");
  app.add_option("-v,--parameter-value", o.value, "Value for --set-parameter");
  app.add_flag("-m,--meta", o.meta, "Use the resource's meta attributes instead of its instance attributes");
  app.add_option("-u,--lifetime", o.lifetime, "Lifetime of a constraint created by --move or --ban");
  app.add_option("-t,--resource-type", o.type, "Resource XML element (primitive, group...) for --delete");
  app.add_flag("-f,--force", o.force, "Force the action");
  app.add_flag("-Q,--quiet", o.quiet, "Be less descriptive in output");
  app.add_option("--output-as", o.output, "text or xml");
  for (const char* a : {"start", "stop", "check", "promote", "demote"}) {
    std::string action = std::string(a) == "check" ? "monitor" : a;
    app.add_flag_callback(std::string("--force-") + a, [&o, action] { o.force_action = action; },
                          "Run the agent's action on this node, outside the cluster");
  }
  app.add_flag_callback("--validate", [&o] { o.force_action = "validate"; }, "Run the agent's validate-all action");
  app.add_flag_callback("--list-standards", [&o] { o.agent_query = "standards"; }, "List supported standards");
  auto query = [&o](const char* what) { return [&o, what](const std::string& v) { o.agent_query = what, o.agent_spec = v; }; };
  app.add_option_function<std::string>("--list-ocf-providers", query("providers"), "List OCF providers (of the agent, if given)")
      ->expected(0, 1);
  app.add_option_function<std::string>("--list-agents", query("agents"), "List the agents of a standard[:provider]");
  app.add_option_function<std::string>("--show-metadata", query("metadata"), "Show an agent's meta-data");
  app.add_option_function<std::string>("--list-ocf-alternatives", query("alternatives"), "Providers of the OCF agent");
  if (int rc = parse_tool(app, argc, argv); rc >= 0) return rc;
  if (!check_output_format(kTool, o.output)) return core::to_int(ExitCode::usage);
  return run(o);
}

}  // namespace hactl::cmd
