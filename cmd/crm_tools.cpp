// The crm_* personalities: crm_verify, crm_mon and cibadmin here; the others
// in their own files (crm_resource_tool, crm_attribute_tool, crm_node_tool,
// attribute_wrapper_tools, stonith_admin_tool, corosync_tools).
#include "cmd/crm_tools.h"

#include <sys/utsname.h>

#include <cstdlib>
#include <iostream>
#include <iterator>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cmd/cli.h"
#include "cmd/crm_attribute_tool.h"
#include "cmd/crm_tool_support.h"
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
int run_crm_resource(int argc, char** argv);
int run_crm_node(int argc, char** argv);
int run_stonith_admin(int argc, char** argv);
int run_corosync_cfgtool(int argc, char** argv);
int run_corosync_quorumtool(int argc, char** argv);

namespace {

using core::ExitCode;
using core::Status;

int crm_verify(int argc, char** argv) {
  CLI::App app{"Check a CIB for configuration errors", "crm_verify"};
  std::string file, output = "text";
  std::string text;
  bool live = false, pipe = false;
  int verbose = 0;
  app.add_option("-x,--xml-file", file, "Check the configuration in the named file");
  app.add_flag("-L,--live-check", live, "Check the configuration of the running cluster");
  app.add_option("-X,--xml-text", text, "Check the configuration in the supplied string");
  app.add_flag("-p,--xml-pipe", pipe, "Check the configuration piped in via stdin");
  app.add_flag("-V,--verbose", verbose, "Print the findings");
  app.add_option("--output-as", output, "text or xml");
  if (int rc = parse_tool(app, argc, argv); rc >= 0) return rc;
  Invocation inv = tool_invocation(output);
  if (!file.empty()) inv.cib_file = file;
  else if (live && std::getenv("CIB_file") == nullptr) inv.cib_file.clear();
  if (pipe) text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  auto doc = text.empty() ? load_cib(inv) : core::CibDocument::parse(text);
  if (!doc) {
    std::cerr << "crm_verify: " << (live ? "CIB query failed: " : "") << doc.status().message() << "\n";
    return core::to_int(doc.status().code());
  }
  return print_verify(core::verify(*doc), "crm_verify");
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
  if (int rc = parse_tool(app, argc, argv); rc >= 0) return rc;
  if (output != "text" && output != "xml") {
    std::cerr << "crm_mon: Invalid --output-as value: " << output << " (text or xml)\n";
    return core::to_int(ExitCode::usage);
  }
  if (o.timing) o.operations = true;  // -t implies -o, as in Pacemaker
  o.by_node = by_node;
  o.format = as_xml ? CrmMonOptions::Format::legacy_xml : output == "xml" ? CrmMonOptions::Format::xml : CrmMonOptions::Format::text;
  for (int i = 0; i < argc; ++i) o.request += (i ? " " : "") + std::string(i == 0 ? "crm_mon" : argv[i]);
  (void)one;  // every run is one-shot: hactl has no interactive monitor
  Invocation inv = tool_invocation("text");
  return run_crm_mon(inv, o);
}

int cibadmin(int argc, char** argv) {
  CLI::App app{"Provides direct access to the cluster configuration", "cibadmin"};
  CibadminOptions o;
  using Op = CibadminOptions::Op;
  bool q = false, c = false, m = false, r = false, d = false, e = false, empty = false, local = false, sync = false, patch = false;
  app.add_flag("-Q,--query", q, "Query the contents of the CIB");
  app.add_flag("-C,--create", c, "Create an object in the CIB (the XML must be complete)");
  app.add_flag("-M,--modify", m, "Find an object in the CIB by its tag and id, and change its attributes");
  app.add_flag("-R,--replace", r, "Replace the CIB, or the object of the given tag and id");
  app.add_flag("-D,--delete", d, "Delete the first object matching the supplied criteria");
  app.add_flag("-E,--erase", e, "Erase the contents of the whole CIB (requires --force)");
  app.add_flag("-P,--patch", patch, "Apply a patchset (crm_diff's format 2) to the CIB");
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
  if (int rc = parse_tool(app, argc, argv); rc >= 0) return rc;
  int ops = q + c + m + r + d + e + empty + patch;
  if (ops > 1) {
    std::cerr << "cibadmin: only one of --query, --create, --modify, --replace, --delete, --patch, --erase, --empty may be given\n";
    return core::to_int(ExitCode::usage);
  }
  (void)local;
  (void)sync;
  o.op = patch ? Op::patch : q ? Op::query : c ? Op::create : m ? Op::modify : r ? Op::replace : d ? Op::remove : e ? Op::erase : empty ? Op::empty : Op::none;
  return run_cibadmin(tool_invocation("text"), o);
}

}  // namespace

const std::vector<std::string>& personality_names() {
  static const std::vector<std::string> names = {"crm_resource", "crm_node", "crm_verify", "crm_mon", "crm_simulate",
                                                 "crm_attribute", "cibadmin", "crm_standby", "crm_master", "crm_failcount",
                                                 "attrd_updater", "stonith_admin", "corosync-cfgtool", "corosync-quorumtool"};
  return names;
}

bool is_personality(const std::string& name) {
  for (const auto& n : personality_names())
    if (n == name) return true;
  return name.rfind("crm_", 0) == 0;
}

int run_crm_tool(const std::string& name, int argc, char** argv) {
  if (name == "crm_verify") return crm_verify(argc, argv);
  if (name == "crm_resource") return run_crm_resource(argc, argv);
  if (name == "crm_node") return run_crm_node(argc, argv);
  if (name == "crm_attribute") return run_crm_attribute(argc, argv);
  if (name == "crm_standby") return run_crm_standby(argc, argv);
  if (name == "crm_master") return run_crm_master(argc, argv);
  if (name == "crm_failcount") return run_crm_failcount(argc, argv);
  if (name == "attrd_updater") return run_attrd_updater(argc, argv);
  if (name == "stonith_admin") return run_stonith_admin(argc, argv);
  if (name == "corosync-cfgtool") return run_corosync_cfgtool(argc, argv);
  if (name == "corosync-quorumtool") return run_corosync_quorumtool(argc, argv);
  if (name == "crm_mon") return crm_mon(argc, argv);
  if (name == "cibadmin") return cibadmin(argc, argv);
#ifdef HACTL_HAVE_SIMULATE
  if (name == "crm_simulate") return run_simulate(argc, argv);
#endif
  std::cerr << name << ": this personality is not available in this build of hactl\n";
  return core::to_int(ExitCode::unimplemented);
}

}  // namespace hactl::cmd
