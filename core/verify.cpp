#include "core/verify.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "core/agent_confinement.h"
#include "core/cib_model.h"
#include "core/cluster_properties.h"
#include "core/duration.h"
#include "core/score.h"
#include "core/xml_id.h"

namespace hactl::core {

namespace {

using Sev = Finding::Severity;

struct Checker {
  const CibDocument& doc;
  Cib cib;
  std::vector<Finding> out;

  void error(std::string t) { out.push_back({Sev::error, std::move(t)}); }
  void warning(std::string t) { out.push_back({Sev::warning, std::move(t)}); }

  void unique_ids() {
    std::map<std::string, int> seen;
    for (Element* e : descendants(doc.configuration())) {
      // resource_ref/rule references reuse ids by design (id-ref); only definitions count.
      std::string_view tag = e->Name();
      if (tag == "resource_ref" || !has_attr(e, "id")) continue;
      if (++seen[attr(e, "id")] == 2) error("ID " + attr(e, "id") + " redefined");
    }
  }

  // Pacemaker's schema types ids as xsd:ID; libxml2's words for a bad one.
  void id_syntax() {
    for (Element* e : id_elements(doc)) {
      std::string id = attr(e, "id");
      if (!is_valid_id(id)) error("element " + std::string(e->Name()) + ": Type ID doesn't allow value '" + id + "'");
    }
  }

  void properties() {
    for (auto& [name, value] : cib.properties) {
      const PropertyInfo* p = find_property(name);
      if (p && !check_property_value(*p, value))
        error("Using default value for cluster option '" + name + "' because '" + value + "' is invalid");
    }
    bool stonith = is_true(cib.property("stonith-enabled", "true"));
    bool has_device = std::any_of(cib.primitives.begin(), cib.primitives.end(),
                                  [](const Primitive& p) { return p.cls == "stonith"; });
    if (stonith && !has_device) {
      error("Resource start-up disabled since no STONITH resources have been defined");
      error("Either configure some or disable STONITH with the stonith-enabled option");
      error("NOTE: Clusters with shared data need STONITH to ensure data integrity");
    }
    if (!stonith && cib.property("no-quorum-policy") == "suicide")
      error("Resetting no-quorum-policy to 'stop' because fencing is disabled");
  }

  void resources() {
    static const std::set<std::string> classes = {"ocf", "lsb", "heartbeat", "stonith", "upstart", "service", "systemd", "nagios"};
    static const std::set<std::string> roles = {"Stopped", "Started", "Slave", "Master", "Unpromoted", "Promoted"};
    bool stonith = is_true(cib.property("stonith-enabled", "true"));
    for (const Primitive& p : cib.primitives) {
      if (p.id.empty()) error("A primitive has no id");
      if (!classes.count(p.cls)) error("Resource " + p.id + ": unknown class '" + p.cls + "'");
      if (p.cls == "ocf" && p.provider.empty()) error("Resource " + p.id + ": class 'ocf' requires a provider");
      if (p.type.empty()) error("Resource " + p.id + ": no type given");
      else if (is_runnable_standard(p.cls) && (p.cls != "ocf" || !p.provider.empty()))
        if (Status s = check_agent_name(p.cls, p.provider, p.type); !s) error("Resource " + p.id + ": " + s.message());
      auto role = p.own_meta.find("target-role");
      if (role != p.own_meta.end() && !roles.count(role->second))
        error("Ignoring 'target-role' for " + p.id + " because '" + role->second + "' is not valid");
      auto mt = p.meta.find("migration-threshold");
      if (mt != p.meta.end() && parse_score_lenient(mt->second) < 0)
        warning("migration-threshold must be non-negative, using 1 instead");
      for (size_t i = 0; i < p.ops.size(); ++i) {
        const Op& op = p.ops[i];
        if (!parse_duration_ms(op.attrs.count("interval") ? op.attrs.at("interval") : "0"))
          warning("Operation " + op.id + ": invalid interval '" + op.attrs.at("interval") + "'");
        if (op.on_fail == "fence" && !stonith)
          error("Resetting 'on-fail' for operation '" + p.id + "_" + op.name + "_" + std::to_string(op.interval_ms) +
                "' to 'stop' because 'fence' is not valid when fencing is disabled");
        for (size_t j = 0; j < i; ++j)
          if (p.ops[j].name == op.name && p.ops[j].interval_ms == op.interval_ms && p.ops[j].role == op.role)
            error("Operation " + op.id + " is duplicate of " + p.ops[j].id +
                  " (do not use same name and interval combination more than once per resource)");
      }
    }
    for (const Group& g : cib.groups)
      if (g.members.empty()) error("Group " + g.id + " has no members");
  }

  bool resource_exists(const std::string& id) {
    for (const ResourceRef& r : cib.resources)
      if (r.id == id) return true;
    if (cib.find_primitive(id)) return true;
    // Clones/bundles are kept verbatim: look for any resource element with that id.
    for (Element* e : descendants(doc.find_section("resources")))
      if (attr(e, "id") == id) return true;
    return false;
  }

  void reference(const std::string& constraint, const char* what, const std::string& id) {
    if (!id.empty() && !resource_exists(id))
      error("Constraint '" + constraint + "': " + what + " '" + id + "' references a resource that does not exist");
  }

  void constraints() {
    for (const LocationConstraint& c : cib.locations) {
      if (c.rsc.empty() && c.rsc_pattern.empty() && c.sets.empty()) error("Constraint '" + c.id + "': no resource given");
      reference(c.id, "rsc", c.rsc);
      if (c.node.empty() && c.rules.empty() && c.sets.empty()) error("Constraint '" + c.id + "': needs a node and a score, or a rule");
    }
    for (const ColocationConstraint& c : cib.colocations) {
      reference(c.id, "rsc", c.rsc);
      reference(c.id, "with-rsc", c.with_rsc);
      if (c.attrs.count("symmetrical")) error("Invalid attribute symmetrical for element rsc_colocation ('" + c.id + "')");
      check_score(c.id, c.attrs);
    }
    for (const OrderConstraint& c : cib.orders) {
      reference(c.id, "first", c.first);
      reference(c.id, "then", c.then);
      if (c.attrs.count("kind") && c.kind != "Mandatory" && c.kind != "Optional" && c.kind != "Serialize")
        error("Resetting 'kind' for constraint " + c.id + " to 'Mandatory' because '" + c.kind + "' is not valid");
      if (c.score)
        warning("Support for 'score' in rsc_order is deprecated and will be removed in a future release (use 'kind' instead)");
    }
    for (Element* c : descendants(doc.find_section("constraints"), "resource_ref"))
      if (!resource_exists(attr(c, "id")))
        error("Resource set reference '" + attr(c, "id") + "' does not name an existing resource");
  }

  void check_score(const std::string& id, const Attributes& attrs) {
    auto it = attrs.find("score");
    if (it != attrs.end() && !parse_score(it->second))
      error("Constraint '" + id + "': invalid score '" + it->second + "'");
  }

  void location_scores() {
    for (Element* c : children(doc.find_section("constraints"), "rsc_location"))
      if (has_attr(c, "score") && !parse_score(attr(c, "score")))
        error("Constraint '" + attr(c, "id") + "': invalid score '" + attr(c, "score") + "'");
  }
};

}  // namespace

std::vector<Finding> verify(const CibDocument& doc, bool structure_only) {
  Checker c{doc, read_cib(doc), {}};
  c.unique_ids();
  c.id_syntax();
  if (!structure_only) c.properties();
  c.resources();
  c.constraints();
  c.location_scores();
  return c.out;
}

bool has_errors(const std::vector<Finding>& f) {
  return std::any_of(f.begin(), f.end(), [](const Finding& x) { return x.severity == Finding::Severity::error; });
}

}  // namespace hactl::core
