// Typed, read-only view of a CIB (configuration and status), as the scheduler,
// verify and the listings need it. Built from a CibDocument by read_cib();
// never written back: edits go through cib_edit.h on the document itself.
// Elements hactl does not model (bundle, templates...) are listed in
// `unsupported` so callers can report them instead of silently ignoring them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/cib_document.h"
#include "core/lazy_index.h"
#include "core/score.h"

namespace hactl::core {

using Attributes = std::map<std::string, std::string>;

struct NvPair {
  std::string id, name, value;
};

// A rule expression tree (location rules, rule-driven nvsets).
struct RuleExpression {
  std::string id, attribute, operation, value, type, value_source;
};
struct DateExpression {
  std::string id, operation, start, end;  // operation: gt | lt | in_range | date_spec
  Attributes duration, date_spec;
};
struct Rule {
  std::string id;
  std::optional<Score> score;
  std::string score_attribute;
  std::string boolean_op = "and";
  bool has_boolean_op = false;  // written in the CIB (listings show it only then)
  std::string role;
  std::vector<RuleExpression> expressions;
  std::vector<DateExpression> date_expressions;
  std::vector<Rule> rules;  // nested
  std::vector<Attributes> rsc_expressions, op_expressions;  // rsc_defaults / op_defaults rules
};

// One <instance_attributes>/<meta_attributes>/<utilization>/<cluster_property_set>.
struct NvSet {
  std::string id;
  std::string tag;  // element name
  Score score = 0;  // set precedence
  bool has_rule = false;
  std::vector<NvPair> pairs;
  std::vector<Rule> rules;  // its <rule>s: the set applies when any holds
};

struct Op {
  std::string id, name;
  int64_t interval_ms = 0;
  std::optional<int64_t> timeout_ms;
  std::string role, on_fail;
  bool enabled = true;
  Attributes attrs;  // every attribute as written (interval="10s" etc.)
  std::vector<NvSet> instance_sets;  // the op's own parameters (part of its digest)
};

struct Primitive {
  std::string id, cls, provider, type;
  std::string group;  // enclosing group id, or empty
  std::string clone;  // enclosing clone id, or empty
  Attributes params;  // first instance_attributes set
  Attributes meta;    // own meta, then group meta where not set (inherited)
  Attributes own_meta;
  Attributes utilization;
  std::vector<Op> ops;
  std::vector<NvSet> instance_sets, meta_sets;
  std::string agent() const;  // "ocf:heartbeat:IPaddr2", "systemd:httpd"
};

struct Group {
  std::string id;
  Attributes meta;
  std::vector<NvSet> instance_sets;  // parameters its members inherit
  std::vector<std::string> members;  // primitive ids, in order
};

// A <clone> (or legacy <master>) of one primitive; its meta attributes are
// inherited by the primitive, as a group's are.
struct Clone {
  std::string id;
  std::string tag;    // clone | master
  std::string child;  // the primitive's id
  Attributes meta;
  bool promotable = false;  // <master>, or promotable=true
};

struct ResourceRef {
  enum class Kind { primitive, group, other, clone };
  Kind kind;
  std::string id;
  std::string tag;  // element name (for "other": clone, bundle, master...)
};

struct ResourceSet {
  std::string id;
  std::vector<std::string> resources;
  Attributes attrs;  // sequential, require-all, action, role, score...
};

struct LocationConstraint {
  std::string id, rsc, rsc_pattern, node, role, resource_discovery;
  std::optional<Score> score;  // node/score short form
  std::vector<Rule> rules;
  std::vector<ResourceSet> sets;
  Attributes attrs;
};

struct ColocationConstraint {
  std::string id, rsc, with_rsc, rsc_role, with_rsc_role, node_attribute;
  Score score = 0;
  std::optional<bool> influence;
  std::vector<ResourceSet> sets;
  Attributes attrs;
};

struct OrderConstraint {
  std::string id, first, then;
  std::string first_action = "start", then_action;  // then_action defaults to first_action
  std::string kind = "Mandatory";                   // Mandatory | Optional | Serialize
  std::optional<bool> symmetrical;
  std::optional<Score> score;  // deprecated form
  std::vector<ResourceSet> sets;
  Attributes attrs;
};

// An <rsc_ticket>: its resource (or the resources of its sets) may run only
// while the ticket is granted and not in standby (tickets.h).
struct TicketConstraint {
  std::string id, rsc, rsc_role, ticket, loss_policy;
  std::vector<ResourceSet> sets;
  Attributes attrs;
};

// A <ticket_state> of the status section's <tickets>.
struct TicketState {
  std::string id;
  bool granted = false, standby = false;
  Attributes attrs;  // every attribute as written (last-granted...)
};

struct Node {
  std::string id, uname, type;
  std::optional<Score> score;
  Attributes attrs;  // permanent node attributes (standby, maintenance, user ones)
  std::vector<NvSet> attr_sets;  // its instance_attributes as written (rule-driven ones included)
  Attributes utilization;
};

struct LrmOp {
  std::string id, operation_key, operation, on_node, transition_key, transition_magic, exit_reason, op_digest;
  // The other parameter digests the controller records (empty when absent):
  // op-restart-digest over the op-force-restart names, op-secure-digest
  // without the op-secure-params names, and the feature set they were made with.
  std::string restart_digest, force_restart, secure_digest, secure_params, crm_feature_set;
  int64_t interval_ms = 0;
  int call_id = 0;
  int rc_code = 0;
  int op_status = 0;
  int64_t last_rc_change = 0;
  int64_t exec_time = 0;
  int64_t queue_time = 0;
};

struct LrmResource {
  std::string id, cls, provider, type;
  std::vector<LrmOp> ops;
};

struct NodeState {
  std::string id, uname, in_ccm, crmd, join, expected, shutdown;
  Attributes transient_attrs;  // fail-count-*, last-failure-*, standby...
  std::vector<LrmResource> resources;
};

struct Cib {
  CibVersion version;
  std::string validate_with, crm_feature_set, dc_uuid, execution_date;
  bool have_quorum = true;
  bool no_quorum_panic = false;  // no-quorum-panic: suicide even if quorum was never had
  Attributes properties;  // cib-bootstrap-options (first set wins per name)
  std::vector<Node> nodes;
  std::vector<ResourceRef> resources;  // top level, in CIB order
  std::vector<Primitive> primitives;   // all primitives, group members included, CIB order
  std::vector<Group> groups;
  std::vector<Clone> clones;
  std::vector<LocationConstraint> locations;
  std::vector<ColocationConstraint> colocations;
  std::vector<OrderConstraint> orders;
  std::vector<TicketConstraint> tickets;
  std::vector<TicketState> ticket_states;
  // Template and tag ids -> the resource ids they stand for, in CIB order
  // (cib_references.h).
  std::map<std::string, std::vector<std::string>> references;
  Attributes rsc_defaults, op_defaults;
  std::vector<NvSet> rsc_default_sets, op_default_sets;  // as written, rule-driven ones included
  std::vector<NodeState> node_states;
  std::vector<std::string> unsupported;  // "clone 'web-clone'", "bundle 'b1'"...
  // Ids of the resources inside unsupported elements (a clone and the
  // primitive it wraps): their history is theirs, not an orphan's.
  std::vector<std::string> unmodelled_resource_ids;

  const Primitive* find_primitive(std::string_view id) const;
  const Group* find_group(std::string_view id) const;
  const Clone* find_clone(std::string_view id) const;
  const Node* find_node(std::string_view uname) const;
  const NodeState* find_node_state(std::string_view uname) const;
  // The property value, or `fallback` (Pacemaker's default) when unset.
  std::string property(std::string_view name, std::string_view fallback = "") const;

 private:
  mutable LazyIndex primitive_index_, group_index_, node_index_, node_state_index_;
};

Cib read_cib(const CibDocument& doc);

// The history entry of resource `rsc` on node `uname`, or null: where the
// agent of a resource no longer configured (an orphan) is still written.
const LrmResource* find_lrm_resource(const Cib& cib, std::string_view uname, std::string_view rsc);

// Parsers for the pieces, exposed for editors and tests.
NvSet read_nvset(const Element* e);
Rule read_rule(const Element* e);
Op read_op(const Element* e);
bool is_true(std::string_view value);  // Pacemaker's crm_is_true: true/on/yes/y/1

}  // namespace hactl::core
