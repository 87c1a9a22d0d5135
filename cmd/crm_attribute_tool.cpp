// The crm_attribute personality (Pacemaker 2.1): cluster options, resource
// and operation defaults, permanent node attributes (-l forever / -t nodes)
// and transient ones (-l reboot / -t status), text and --output-as xml.
// Transient attributes are written into the status section through the DC
// (hactl has no separate attribute manager), so they survive until the
// node's status is rebuilt, as Pacemaker's do until the node leaves.
#include "cmd/crm_attribute_tool.h"

#include <algorithm>
#include <cstdlib>
#include <tuple>
#include <iostream>

#include "cmd/crm_tool_support.h"
#include "cmd/xml_out.h"
#include "core/node_edit.h"
#include "core/nvset_edit.h"
#include "core/printable_text.h"
#include "core/transient_attributes.h"

namespace hactl::cmd {

namespace {

using core::Element;
using core::ExitCode;
using core::Status;

using Pairs = std::vector<std::pair<std::string, std::string>>;

// The configuration section and set element of a scope without nodes.
std::pair<const char*, const char*> section_of(const std::string& type) {
  if (type == "rsc_defaults") return {"rsc_defaults", "meta_attributes"};
  if (type == "op_defaults") return {"op_defaults", "meta_attributes"};
  return {"crm_config", "cluster_property_set"};
}
const char* default_set_id(const std::string& type) {
  return type == "rsc_defaults" ? "rsc-options" : type == "op_defaults" ? "op-options" : "cib-bootstrap-options";
}

// -z: a node's utilization instead of its attributes.
const char* node_set_tag(const AttributeRequest& r) { return r.utilization ? "utilization" : "instance_attributes"; }

// name/value/id of every pair in the scope (for one node where it has one).
std::vector<std::tuple<std::string, std::string, std::string>> pairs_in(const core::CibDocument& doc, const AttributeRequest& r) {
  std::vector<std::tuple<std::string, std::string, std::string>> out;
  auto collect = [&](const Element* parent, const char* tag) {
    for (const Element* set : core::children(parent, tag))
      for (const Element* nv : core::children(set, "nvpair"))
        out.emplace_back(core::attr(nv, "name"), core::attr(nv, "value"), core::attr(nv, "id"));
  };
  if (r.type == "status") {
    for (auto& [k, v] : core::transient_attributes(doc, r.node)) out.emplace_back(k, v, "");
  } else if (r.type == "nodes") {
    collect(core::find_node_element(doc, r.node), node_set_tag(r));
  } else {
    auto [section, tag] = section_of(r.type);
    collect(doc.find_section(section), tag);
  }
  return out;
}

void print_attribute(const AttributeRequest& r, XmlOut* x, const std::string& name, const std::string& value) {
  if (x) return x->leaf("attribute", {{"name", name}, {"value", value}, {"scope", r.type}});
  if (r.quiet) std::cout << core::printable(value) << "\n";
  else std::cout << "scope=" << r.type << "  name=" << core::printable(name) << " value=" << core::printable(value) << "\n";
}

int query(const core::CibDocument& doc, const AttributeRequest& r, XmlOut* x) {
  bool any = false;
  for (auto& [name, value, id] : pairs_in(doc, r))
    if (r.name.empty() || name == r.name) {
      print_attribute(r, x, name, value);
      any = true;
      if (!r.name.empty()) break;
    }
  if (any) return 0;
  if (r.default_value) {
    print_attribute(r, x, r.name, *r.default_value);
    return 0;
  }
  std::cerr << "crm_attribute: Error performing operation: No such device or address\n";
  return core::to_int(ExitCode::no_such);
}

Status update(core::CibDocument& doc, const AttributeRequest& r) {
  if (r.type == "status") return core::set_transient_attribute(doc, r.node, r.name, r.value);
  if (r.type == "nodes") {
    Element* node = core::find_node_element(doc, r.node);
    Element* set = core::ensure_nvset(doc, node, node_set_tag(r), "nodes-" + core::attr(node, "id") + (r.utilization ? "-utilization" : ""));
    core::set_nvpair(doc, set, r.name, r.value);
    return {};
  }
  auto [section, tag] = section_of(r.type);
  Element* set = core::ensure_nvset(doc, doc.section(section), tag, default_set_id(r.type));
  core::set_nvpair(doc, set, r.name, r.value);
  return {};
}

// Returns the removed pair's id ("" when there was none: not an error).
std::string remove(core::CibDocument& doc, const AttributeRequest& r) {
  if (r.type == "status") {
    if (!core::get_transient_attribute(doc, r.node, r.name)) return "";
    core::delete_transient_attribute(doc, r.node, r.name);
    return "status-" + core::attr(core::find_node_element(doc, r.node), "id") + "-" + r.name;
  }
  std::string id;
  for (auto& [name, value, nv_id] : pairs_in(doc, r))
    if (name == r.name && id.empty()) id = nv_id;
  if (id.empty()) return "";
  Element* parent = r.type == "nodes" ? core::find_node_element(doc, r.node) : doc.find_section(section_of(r.type).first);
  const char* tag = r.type == "nodes" ? node_set_tag(r) : section_of(r.type).second;
  for (Element* set : core::children(parent, tag)) core::remove_nvpair(set, r.name);
  return id;
}

}  // namespace

int run_attribute_request(AttributeRequest r) {
  static const std::vector<std::string> kTypes = {"crm_config", "nodes", "status", "rsc_defaults", "op_defaults"};
  if (r.type == "reboot") r.type = "status";
  if (r.type == "forever") r.type = "nodes";
  if (std::find(kTypes.begin(), kTypes.end(), r.type) == kTypes.end())
    return tool_error(r.tool, Status::usage("Invalid value for --type/--lifetime: " + r.type +
                                            " (crm_config, nodes, status, rsc_defaults, op_defaults, forever, reboot)"));
  Invocation inv = tool_invocation(r.output);
  inv.values["update-client"] = r.tool;
  const bool per_node = r.type == "nodes" || r.type == "status";
  if (per_node && r.node.empty()) r.node = local_node_name(inv);
  if (r.action != AttributeRequest::Action::query && r.name.empty())
    return tool_error(r.tool, Status::usage("Error: must specify attribute name with -n"));
  auto loaded = load_cib(inv);
  if (!loaded) return tool_error(r.tool, loaded.status());
  if (per_node && !core::find_node_element(*loaded, r.node)) {
    std::cerr << r.tool << ": Could not map name=" << r.node << " to a UUID\n";
    return core::to_int(ExitCode::no_such);
  }
  if (r.action == AttributeRequest::Action::query) {
    if (r.output != "xml") return query(*loaded, r, nullptr);
    XmlOut x(std::cout);
    x.open("pacemaker-result", {{"api-version", "2.25"}, {"request", r.request}});
    int rc = query(*loaded, r, &x);
    x.leaf("status", {{"code", std::to_string(rc)}, {"message", core::describe(static_cast<ExitCode>(rc))}});
    x.close();
    return rc;
  }
  if (r.type == "status") inv.values["status-edit"] = "1";
  std::string removed;
  int rc = edit_cib(inv, [&](core::CibDocument& doc) -> Status {
    if (r.action == AttributeRequest::Action::update) return update(doc, r);
    removed = remove(doc, r);
    return {};
  });
  if (rc == 0 && !removed.empty() && !r.quiet)
    std::cout << "Deleted " << r.type << (per_node ? " attribute" : " option") << ": id=" << removed << " name=" << r.name << "\n";
  return rc;
}

int run_crm_attribute(int argc, char** argv) {
  CLI::App app{"Manage node attributes and cluster options", "crm_attribute"};
  AttributeRequest r;
  r.tool = "crm_attribute";
  r.request = request_line(r.tool, argc, argv);
  std::string type, lifetime, promotion, default_value, ignored;
  bool query = false, del = false, force = false;
  auto* update = app.add_option("-v,--update", r.value, "Update the value of the attribute");
  app.add_option("-n,--name", r.name, "Name of the attribute");
  app.add_flag("-G,--query", query, "Query the current value of the attribute");
  app.add_flag("-D,--delete", del, "Delete the attribute");
  app.add_option("-t,--type", type, "crm_config (default), nodes, status, rsc_defaults, op_defaults");
  app.add_option("-l,--lifetime", lifetime, "forever (node attribute) or reboot (transient node attribute)");
  app.add_option("-N,--node", r.node, "Node's attribute (default: this node for nodes and status)");
  auto* dflt = app.add_option("-d,--default", default_value, "Value to show if the attribute does not exist");
  auto* promo = app.add_option("-p,--promotion", promotion, "The promotion score attribute of the resource (default: OCF_RESOURCE_INSTANCE)")
                    ->expected(0, 1);
  app.add_option("-s,--set-name,-i,--id", ignored, "Accepted for compatibility: the first set is used");
  app.add_flag("-q,--quiet", r.quiet, "Print only the value on stdout");
  app.add_flag("-z,--utilization", r.utilization, "A node's utilization attribute (implies -t nodes)");
  app.add_flag("-f,--force", force, "Accepted for compatibility");
  app.add_option("--output-as", r.output, "text or xml");
  if (int rc = parse_tool(app, argc, argv); rc >= 0) return rc;
  if (!check_output_format(r.tool, r.output)) return core::to_int(ExitCode::usage);
  if (promo->count() > 0) {
    std::string rsc = promotion;
    if (rsc.empty())
      if (const char* env = std::getenv("OCF_RESOURCE_INSTANCE")) rsc = env;
    if (rsc.empty() && r.name.empty())
      return tool_error(r.tool, Status::usage("-p/--promotion must be called from an OCF resource agent or with a resource ID specified"));
    if (r.name.empty()) r.name = "master-" + rsc.substr(0, rsc.find(':'));  // a clone instance shares its clone's score
  }
  if (r.utilization) type = "nodes";
  r.type = !lifetime.empty() ? lifetime : !type.empty() ? type : promo->count() > 0 ? "status" : !r.node.empty() ? "nodes" : "crm_config";
  if (dflt->count() > 0) r.default_value = default_value;
  r.action = update->count() > 0 ? AttributeRequest::Action::update : del ? AttributeRequest::Action::remove : AttributeRequest::Action::query;
  (void)query;
  (void)force;
  return run_attribute_request(r);
}

}  // namespace hactl::cmd
