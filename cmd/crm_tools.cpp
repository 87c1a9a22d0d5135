// The crm_* personalities. This is the one translation unit of ours that
// includes CLI11 (slow to compile); each tool's options are mapped onto the
// same command functions hactl's pcs grammar uses.
#include "cmd/crm_tools.h"

#include <sys/utsname.h>

#include <cstdlib>
#include <iostream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cmd/cli.h"
#include "cmd/cibadmin.h"
#include "cmd/crm_mon.h"
#include "cmd/sys/file_io.h"
#include "cmd/sys/ipc_client.h"
#include "core/cib_model.h"
#include "core/cluster_conf.h"
#include "core/verify.h"
#if __has_include("cmd/simulate.h")
#include "cmd/simulate.h"
#define HACTL_HAVE_SIMULATE 1
#endif

namespace hactl::cmd {

int print_verify(const std::vector<core::Finding>& findings, const std::string& tool);
std::vector<std::string> active_nodes_of(const core::CibDocument& doc, const std::string& rsc);

namespace {

using core::ExitCode;
using core::Status;

Invocation base_invocation(const std::string& output) {
  auto inv = parse_invocation({});
  Invocation out = inv ? *inv : Invocation{};
  if (output == "xml" || output == "json") out.output = output;
  return out;
}

// CLI11 reports usage errors by exception; Pacemaker's tools exit 64 for them.
int parse(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    std::cout << app.help();
    return 0;
  } catch (const CLI::ParseError& e) {
    std::cerr << app.get_name() << ": " << e.what() << "\n";
    return core::to_int(ExitCode::usage);
  }
  return -1;
}

int crm_verify(int argc, char** argv) {
  CLI::App app{"Check a CIB for configuration errors", "crm_verify"};
  std::string file, output = "text";
  bool live = false;
  int verbose = 0;
  app.add_option("-x,--xml-file", file, "Check the configuration in the named file");
  app.add_flag("-L,--live-check", live, "Check the configuration of the running cluster");
  app.add_flag("-V,--verbose", verbose, "Print the findings");
  app.add_option("--output-as", output, "text or xml");
  if (int rc = parse(app, argc, argv); rc >= 0) return rc;
  Invocation inv = base_invocation(output);
  if (!file.empty()) inv.cib_file = file;
  else if (live && std::getenv("CIB_file") == nullptr) inv.cib_file.clear();
  auto doc = load_cib(inv);
  if (!doc) {
    std::cerr << "crm_verify: " << (live ? "CIB query failed: " : "") << doc.status().message() << "\n";
    return core::to_int(doc.status().code());
  }
  return print_verify(core::verify(*doc), "crm_verify");
}

int crm_resource(int argc, char** argv) {
  CLI::App app{"Perform tasks related to cluster resources", "crm_resource"};
  std::string rsc, node, param, value, lifetime, output = "text";
  bool list = false, list_raw = false, cleanup = false, refresh = false, move = false, ban = false, clear = false,
       locate = false, meta = false, force = false, del = false, why = false;
  std::string set_param, get_param, del_param;
  app.add_flag("-L,--list", list, "List all cluster resources with status");
  app.add_flag("-l,--list-raw", list_raw, "List resource ids");
  app.add_option("-r,--resource", rsc, "Resource id");
  app.add_option("-N,--node", node, "Node name");
  app.add_flag("-C,--cleanup", cleanup, "Clean up failures of the resource");
  app.add_flag("-R,--refresh", refresh, "Forget the resource's history");
  app.add_flag("-M,--move", move, "Move the resource (cli-prefer / cli-ban constraint)");
  app.add_flag("-B,--ban", ban, "Ban the resource from a node");
  app.add_flag("-U,--clear", clear, "Remove move/ban constraints");
  app.add_flag("-W,--locate", locate, "Show where the resource runs");
  app.add_flag("-Y,--why", why, "Explain where the resource runs, or why it does not");
  app.add_flag("-D,--delete", del, "Delete the resource");
  app.add_option("-p,--set-parameter", set_param, "Set a parameter (with -v)");
  app.add_option("-g,--get-parameter", get_param, "Show a parameter");
  app.add_option("-d,--delete-parameter", del_param, "Delete a parameter");
  app.add_option("-v,--parameter-value", value, "Value for --set-parameter");
  app.add_flag("-m,--meta", meta, "The parameter is a meta attribute");
  app.add_option("-u,--lifetime", lifetime, "Lifetime of a move/ban constraint (ISO 8601 end date)");
  app.add_flag("-f,--force", force, "Force the action");
  app.add_option("--output-as", output, "text or xml");
  app.add_option("-t,--resource-type", param, "Ignored (compatibility)");
  if (int rc = parse(app, argc, argv); rc >= 0) return rc;
  Invocation inv = base_invocation(output);
  inv.force = force;
  inv.values["update-client"] = "crm_resource";
  auto need_rsc = [&]() -> bool {
    if (!rsc.empty()) return true;
    std::cerr << "crm_resource: Must supply a resource id with -r\n";
    return false;
  };
  if (list || list_raw) {
    auto doc = load_cib(inv);
    if (!doc) return fail(doc.status());
    core::Cib cib = core::read_cib(*doc);
    if (list_raw) {
      for (auto& p : cib.primitives) std::cout << p.id << "\n";
      return 0;
    }
    std::cout << "Full List of Resources:\n";
    return run_resource(inv, {"status"});
  }
  if (cleanup || refresh) {
    Args a;
    if (!rsc.empty()) a.push_back(rsc);
    if (!node.empty()) a.push_back("node=" + node);
    return run_resource(inv, [&] { Args c = {cleanup ? "cleanup" : "refresh"}; c.insert(c.end(), a.begin(), a.end()); return c; }());
  }
  if (!need_rsc()) return core::to_int(ExitCode::usage);
  if (move || ban) {
    Args a = {move ? "move" : "ban", rsc};
    if (!node.empty()) a.push_back(node);
    if (!lifetime.empty()) a.push_back("lifetime=" + lifetime);
    if (move && node.empty()) a[0] = "ban";
    return run_resource(inv, a);
  }
  if (clear) return run_resource(inv, node.empty() ? Args{"clear", rsc} : Args{"clear", rsc, node});
  if (why) return run_resource(inv, {"why", rsc});
  if (del) return run_resource(inv, {"delete", rsc});
  if (!set_param.empty() || !del_param.empty()) {
    std::string kv = (set_param.empty() ? del_param : set_param) + "=" + (set_param.empty() ? "" : value);
    return meta ? run_resource(inv, {"meta", rsc, kv}) : run_resource(inv, {"update", rsc, kv});
  }
  auto doc = load_cib(inv);
  if (!doc) return fail(doc.status());
  core::Cib cib = core::read_cib(*doc);
  const core::Primitive* p = cib.find_primitive(rsc);
  if (!p && !cib.find_group(rsc)) {
    std::cerr << "crm_resource: Resource '" << rsc << "' not found\nError performing operation: No such object\n";
    return core::to_int(ExitCode::no_such);
  }
  if (!get_param.empty()) {
    const core::Attributes& from = meta ? p->meta : p->params;
    auto it = from.find(get_param);
    if (it == from.end()) return core::to_int(ExitCode::no_such);
    std::cout << it->second << "\n";
    return 0;
  }
  if (locate) {
    std::vector<std::string> where;
    where = active_nodes_of(*doc, rsc);
    if (where.empty()) {
      std::cerr << "resource " << rsc << " is NOT running\n";
      return core::to_int(ExitCode::not_running);
    }
    for (auto& n : where) std::cout << "resource " << rsc << " is running on: " << n << "\n";
    return 0;
  }
  std::cerr << "crm_resource: no action given (e.g. --cleanup, --move, --locate)\n";
  return core::to_int(ExitCode::usage);
}

std::string local_node_name() {
  if (const char* n = std::getenv("HACTL_NODE"); n && *n) return n;
  struct utsname u{};
  if (uname(&u) == 0) {
    std::string host = u.nodename;
    return host.substr(0, host.find('.'));
  }
  return "";
}

int crm_node(int argc, char** argv) {
  CLI::App app{"Display information about cluster nodes", "crm_node"};
  bool name = false, list = false, quorum = false, partition = false, id = false;
  app.add_flag("-n,--name", name, "Name of the local node");
  app.add_flag("-l,--list", list, "List the configured nodes");
  app.add_flag("-q,--quorum", quorum, "Whether the local partition has quorum");
  app.add_flag("-p,--partition", partition, "Nodes of the local partition");
  app.add_flag("-i,--cluster-id", id, "Local node id");
  if (int rc = parse(app, argc, argv); rc >= 0) return rc;
  Invocation inv = base_invocation("text");
  auto text = read_file(paths_of(inv).cluster_conf());
  if (!text) return fail(Status::error(ExitCode::not_configured, "this node is not part of a cluster (no " + paths_of(inv).cluster_conf() + ")"));
  auto conf = core::parse_cluster_conf(*text);
  if (!conf) return fail(conf.status());
  // The running agent knows who it is and who is up; without it only the
  // configuration is known.
  auto live = ipc_call(paths_of(inv).socket(), nlohmann::json{{"op", "status"}}, 5000);
  std::string me = live ? live->value("node", local_node_name()) : local_node_name();
  if (name) {
    std::cout << me << "\n";
    return 0;
  }
  if (id) {
    const core::ClusterNode* n = conf->find(me);
    if (!n) return fail(Status::not_found("node '" + me + "' is not in the cluster configuration"));
    std::cout << n->id << "\n";
    return 0;
  }
  if (list && !live) {
    // Without the node agent, membership is not known: configured nodes only.
    for (auto& n : conf->nodes) std::cout << n.id << " " << n.name << " unknown\n";
    return 0;
  }
  if (!live) {
    std::cerr << "error: Could not connect to the hactl node agent: " << live.status().message() << "\n";
    return core::to_int(ExitCode::disconnect);
  }
  if (list) {
    for (auto& n : (*live)["nodes"])
      std::cout << n.value("id", 0) << " " << n.value("name", "") << " " << n.value("state", "") << "\n";
    return 0;
  }
  if (quorum) {
    std::cout << (live->value("quorate", false) ? 1 : 0) << "\n";
    return 0;
  }
  std::string names;
  for (auto& n : (*live)["partition"]) names += (names.empty() ? "" : " ") + n.get<std::string>();
  std::cout << names << "\n";
  return 0;
}

int crm_attribute(int argc, char** argv) {
  CLI::App app{"Manage node attributes and cluster options", "crm_attribute"};
  std::string name, value, type = "crm_config", node;
  bool query = false, del = false, force = false;
  auto* update = app.add_option("-v,--update", value, "Set the value");
  app.add_option("-n,--name", name, "Attribute name")->required();
  app.add_flag("-G,--query", query, "Show the value");
  app.add_flag("-D,--delete", del, "Delete the attribute");
  app.add_option("-t,--type", type, "crm_config (default), nodes, rsc_defaults, op_defaults");
  app.add_option("-N,--node", node, "Node attribute of this node");
  app.add_flag("-f,--force", force, "Allow unknown cluster options");
  if (int rc = parse(app, argc, argv); rc >= 0) return rc;
  Invocation inv = base_invocation("text");
  inv.force = force;
  inv.values["update-client"] = "crm_attribute";
  if (!node.empty()) type = "nodes";
  if (update->count() > 0 || del) {
    std::string kv = name + "=" + (del ? "" : value);
    if (type == "crm_config") return del ? run_property(inv, {"unset", name}) : run_property(inv, {"set", kv});
    if (type == "nodes") return run_node(inv, {"attribute", node.empty() ? local_node_name() : node, kv});
    if (type == "rsc_defaults") return run_resource(inv, {"defaults", "update", kv});
    if (type == "op_defaults") return run_resource(inv, {"op", "defaults", "update", kv});
    return fail(Status::invalid("unknown --type '" + type + "'"));
  }
  auto doc = load_cib(inv);
  if (!doc) return fail(doc.status());
  core::Cib cib = core::read_cib(*doc);
  const core::Attributes* from = &cib.properties;
  if (type == "rsc_defaults") from = &cib.rsc_defaults;
  if (type == "op_defaults") from = &cib.op_defaults;
  if (type == "nodes") {
    const core::Node* n = cib.find_node(node.empty() ? local_node_name() : node);
    if (!n) return fail(Status::not_found("node not found"));
    from = &n->attrs;
  }
  auto it = from->find(name);
  if (it == from->end()) {
    std::cerr << "crm_attribute: Error performing operation: No such device or address\n";
    return core::to_int(ExitCode::no_such);
  }
  std::cout << "scope=" << type << "  name=" << name << " value=" << it->second << "\n";
  return 0;
}

int crm_mon(int argc, char** argv) {
  CLI::App app{"Display the cluster's status", "crm_mon"};
  CrmMonOptions o;
  bool one = false, as_xml = false, by_node = false;
  std::string output = "text";
  app.add_flag("-1,--one-shot", one, "Display the cluster status once and exit");
  app.add_flag("-r,--inactive", o.inactive, "Display inactive resources");
  app.add_flag("-f,--failcounts", o.failcounts, "Display resource fail counts");
  app.add_flag("-A,--show-node-attributes", o.attributes, "Display node attributes");
  app.add_flag("-o,--operations", o.operations, "Display resource operation history");
  app.add_flag("-t,--timing-details", o.timing, "Display resource operation history with timing details");
  app.add_flag("-n,--group-by-node", by_node, "Group resources by node");
  app.add_flag("-s,--simple-status", o.simple, "Display the cluster status once as a simple one line output");
  app.add_flag("-X,--as-xml", as_xml, "Write cluster status as (legacy) XML");
  app.add_option("--output-as", output, "text or xml");
  if (int rc = parse(app, argc, argv); rc >= 0) return rc;
  if (output != "text" && output != "xml") {
    std::cerr << "crm_mon: Invalid --output-as value: " << output << " (text or xml)\n";
    return core::to_int(ExitCode::usage);
  }
  if (o.timing) o.operations = true;  // -t implies -o, as in Pacemaker
  o.by_node = by_node;
  o.format = as_xml ? CrmMonOptions::Format::legacy_xml : output == "xml" ? CrmMonOptions::Format::xml : CrmMonOptions::Format::text;
  for (int i = 0; i < argc; ++i) o.request += (i ? " " : "") + std::string(i == 0 ? "crm_mon" : argv[i]);
  (void)one;  // every run is one-shot: hactl has no interactive monitor
  Invocation inv = base_invocation("text");
  return run_crm_mon(inv, o);
}

int cibadmin(int argc, char** argv) {
  CLI::App app{"Provides direct access to the cluster configuration", "cibadmin"};
  CibadminOptions o;
  using Op = CibadminOptions::Op;
  bool q = false, c = false, m = false, r = false, d = false, e = false, empty = false, local = false, sync = false;
  app.add_flag("-Q,--query", q, "Query the contents of the CIB");
  app.add_flag("-C,--create", c, "Create an object in the CIB (the XML must be complete)");
  app.add_flag("-M,--modify", m, "Find an object in the CIB by its tag and id, and change its attributes");
  app.add_flag("-R,--replace", r, "Replace the CIB, or the object of the given tag and id");
  app.add_flag("-D,--delete", d, "Delete the first object matching the supplied criteria");
  app.add_flag("-E,--erase", e, "Erase the contents of the whole CIB (requires --force)");
  app.add_flag("-a,--empty", empty, "Output an empty CIB");
  app.add_flag("-l,--local", local, "Query the local node's copy (the only one a query reads)");
  app.add_flag("-s,--sync-call", sync, "Wait for the call to complete (every call does)");
  app.add_option("-o,--scope", o.scope, "Limit the scope to this section of the CIB");
  app.add_option("-A,--xpath", o.xpath, "A valid XPath (subset) to use instead of --scope");
  app.add_option("-x,--xml-file", o.xml_file, "Retrieve XML from the named file");
  app.add_option("-X,--xml-text", o.xml_text, "Retrieve XML from the supplied string");
  app.add_flag("-p,--xml-pipe", o.xml_pipe, "Retrieve XML from standard input");
  app.add_flag("-c,--allow-create", o.allow_create, "With --modify: create the object if it does not exist");
  app.add_flag("--delete-all", o.delete_all, "With --xpath and --delete: remove every match");
  app.add_flag("-n,--no-children", o.no_children, "With --query: do not show children of the result");
  app.add_flag("-f,--force", o.force, "Force the action");
  if (int rc = parse(app, argc, argv); rc >= 0) return rc;
  int ops = q + c + m + r + d + e + empty;
  if (ops > 1) {
    std::cerr << "cibadmin: only one of --query, --create, --modify, --replace, --delete, --erase, --empty may be given\n";
    return core::to_int(ExitCode::usage);
  }
  (void)local;
  (void)sync;
  o.op = q ? Op::query : c ? Op::create : m ? Op::modify : r ? Op::replace : d ? Op::remove : e ? Op::erase : empty ? Op::empty : Op::none;
  return run_cibadmin(base_invocation("text"), o);
}

}  // namespace

int run_crm_tool(const std::string& name, int argc, char** argv) {
  if (name == "crm_verify") return crm_verify(argc, argv);
  if (name == "crm_resource") return crm_resource(argc, argv);
  if (name == "crm_node") return crm_node(argc, argv);
  if (name == "crm_attribute") return crm_attribute(argc, argv);
  if (name == "crm_mon") return crm_mon(argc, argv);
  if (name == "cibadmin") return cibadmin(argc, argv);
#ifdef HACTL_HAVE_SIMULATE
  if (name == "crm_simulate") return run_simulate(argc, argv);
#endif
  std::cerr << name << ": this personality is not available in this build of hactl\n";
  return core::to_int(ExitCode::unimplemented);
}

}  // namespace hactl::cmd
