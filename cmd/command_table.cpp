#include "cmd/command_table.h"

namespace hactl::cmd {

namespace {

int run_simulate_placeholder(Invocation&, Args) { return 0; }  // handed to crm_simulate before the table

std::vector<CommandGroup> make_table() {
  return {
      {"cluster", run_cluster, "set up, start and stop the cluster; the whole CIB",
       {
           {"setup", "CLUSTER_NAME NODE [addr=ADDR[:PORT]] [NODE [addr=ADDR[:PORT]]]...",
            "Writes this node's cluster configuration (cluster.conf), a new key and a CIB listing the nodes. "
            "Addresses not given are looked up in /etc/hosts. Copy /etc/hactl to every node, then start them.",
            "--force: replace a cluster already set up on this node\n"
            "(-f FILE is refused: a CIB file has no key or membership)",
            "cluster setup ClusterWeb httpd1 addr=10.0.0.11 httpd2 addr=10.0.0.12"},
           {"start", "[--all | NODE...]", "Starts this node's agent (a named node must be this one; start the others there).",
            "--all: a note on starting every node\n--node=NAME: the name of this node, when its address does not tell",
            "cluster start"},
           {"stop", "[--all | NODE...]",
            "Stops the named nodes (this node when none is named): each moves its resources away, then its agent exits. "
            "--all stops every resource and every agent.",
            "--all: the whole cluster", "cluster stop httpd2"},
           {"kill", "", "Kills this node's agent at once (SIGKILL), as when the node fails; for tests.", "", "cluster kill"},
           {"status", "[--full]", "The cluster's status as this node's agent sees it.", "--full: node ids and more",
            "cluster status"},
           {"destroy", "[--force]", "Stops the agent and removes this node's cluster configuration, key and CIB.",
            "--force, --yes: do not ask", "cluster destroy --force"},
           {"cib", "[FILE] [scope=SCOPE | --config]", "Prints the CIB (or a section of it), or writes it to FILE.",
            "--config: only the configuration section", "cluster cib cib.xml"},
           {"cib-push", "FILE [scope=SCOPE | --config]",
            "Replaces the CIB (or a section of it) with FILE's, after checking it as crm_verify would.",
            "--config: only the configuration section\n--force: push an older or another cluster's CIB",
            "cluster cib-push cib.xml --config"},
           {"verify", "[-V] [FILE]", "Checks the CIB as crm_verify does.", "", "cluster verify"},
           {"enable|disable", "", "Refers to systemd: 'systemctl enable hactl'.", "", "cluster enable"},
           {"standby|unstandby", "NODE... | --all", "The old spelling of 'node standby|unstandby'.", "", "node standby httpd1"},
       }},
      {"property", run_property, "cluster options (crm_config)",
       {
           {"config|show|list", "[NAME]...", "Lists the cluster properties that are set.", "--all, --defaults: every property",
            "property config"},
           {"set", "NAME=VALUE...", "Sets cluster properties (an empty value unsets).", "--force: a name hactl does not know",
            "property set stonith-enabled=false"},
           {"unset", "NAME...", "Removes cluster properties.", "", "property unset no-quorum-policy"},
           {"defaults", "", "Lists every property with its default.", "", "property defaults"},
           {"describe", "[NAME]...", "Describes the properties and their values.", "", "property describe no-quorum-policy"},
       },
       {"", "", "Without a command: property config.", "", "property"}},
      {"resource", run_resource, "create, change, move and inspect resources",
       {
           {"create", "RESOURCE_ID [STANDARD:[PROVIDER:]]TYPE [NAME=VALUE]... [op ACTION NAME=VALUE...]... [meta NAME=VALUE...] [--group GROUP [--before|--after RESOURCE]]",
            "Creates a primitive resource. Its parameters are checked against the agent's meta-data; the agent's "
            "operations are added unless --no-default-ops.",
            "--group G: add it to group G (created if needed)\n--before R, --after R: its place in the group\n"
            "--disabled: do not start it\n--no-default-ops: only the operations given\n"
            "--force: an unknown agent or parameter\n--wait[=SECONDS]: wait for it to start",
            "resource create WebSite ocf:heartbeat:apache configfile=/etc/apache2/apache2.conf op monitor interval=1min"},
           {"delete|remove", "RESOURCE_ID...", "Deletes resources and the constraints that refer to them.",
            "--force: also forget its operation history at once", "resource delete WebSite"},
           {"update", "RESOURCE_ID [NAME=VALUE]... [op ACTION NAME=VALUE...]... [meta NAME=VALUE...]",
            "Changes a resource's parameters, operations or meta attributes.", "--force: an unknown parameter",
            "resource update WebSite statusurl=http://localhost/server-status"},
           {"meta", "RESOURCE_ID NAME=VALUE...", "Sets meta attributes (an empty value removes).", "",
            "resource meta WebSite resource-stickiness=100"},
           {"enable", "RESOURCE_ID...", "Lets resources run (removes target-role=Stopped).", "--wait[=SECONDS]",
            "resource enable WebSite"},
           {"disable", "RESOURCE_ID...", "Stops resources (target-role=Stopped).", "--wait[=SECONDS]", "resource disable WebSite"},
           {"restart", "RESOURCE_ID [NODE]", "Stops and starts a resource on the running cluster.", "--wait[=SECONDS]",
            "resource restart WebSite"},
           {"op", "add RESOURCE_ID ACTION [NAME=VALUE]... | remove RESOURCE_ID ACTION [NAME=VALUE]... | remove OP_ID | defaults [update NAME=VALUE...]",
            "Adds or removes operations, or shows and sets operation defaults.", "--force: a duplicate operation",
            "resource op add WebSite monitor interval=30s"},
           {"defaults", "[config | update NAME=VALUE...]", "Shows or sets resource defaults (rsc_defaults).", "",
            "resource defaults update resource-stickiness=100"},
           {"group", "add GROUP_ID RESOURCE_ID... [before|after RESOURCE_ID] | remove GROUP_ID [RESOURCE_ID]...",
            "Adds resources to a group (in order) or takes them out.", "--before R, --after R: where in the group",
            "resource group add WebGroup VirtualIP WebSite"},
           {"ungroup", "GROUP_ID [RESOURCE_ID]...", "Takes resources out of a group (all: the group goes).", "",
            "resource ungroup WebGroup"},
           {"clone", "RESOURCE_ID [CLONE_ID] [NAME=VALUE]...", "Makes a resource or group a clone.", "",
            "resource clone WebSite clone-max=2"},
           {"promotable", "RESOURCE_ID [CLONE_ID] [NAME=VALUE]...", "Makes a resource or group a promotable clone.", "",
            "resource promotable Database"},
           {"unclone", "CLONE_ID | RESOURCE_ID", "Turns a clone back into its resource or group.", "",
            "resource unclone WebSite-clone"},
           {"master", "[MASTER_ID] RESOURCE_ID [NAME=VALUE]...", "pcs 0.9's form of 'resource promotable' (prints a note).", "",
            "resource master WebDataClone WebData master-max=1"},
           {"move", "RESOURCE_ID [NODE] [lifetime=LIFETIME]",
            "Moves a resource away from where it runs (or to NODE). The constraint that moves it is removed once "
            "the move has happened (on a CIB file it stays, as with pcs -f).",
            "--wait[=SECONDS]", "resource move WebSite httpd2"},
           {"move-with-constraint", "RESOURCE_ID [NODE] [lifetime=LIFETIME]",
            "Moves a resource and keeps the constraint that moved it ('resource clear' removes it).",
            "--wait[=SECONDS]", "resource move-with-constraint WebSite httpd2"},
           {"ban", "RESOURCE_ID [NODE] [lifetime=LIFETIME]", "Keeps a resource off a node (the one it runs on when none is named).",
            "--wait[=SECONDS]", "resource ban WebSite httpd1"},
           {"clear|unmove", "RESOURCE_ID [NODE]", "Removes the constraints move and ban created.", "", "resource clear WebSite"},
           {"config", "[RESOURCE_ID]...", "Shows the resources' configuration.", "--output-as json", "resource config WebSite"},
           {"status", "[RESOURCE_ID]", "Where the resources run.", "", "resource status"},
           {"cleanup", "[RESOURCE_ID] [node=NODE]", "Forgets failures (and their history), so the resource is probed again.",
            "", "resource cleanup WebSite"},
           {"refresh", "[RESOURCE_ID] [node=NODE]", "Forgets the whole operation history, so every state is probed again.",
            "", "resource refresh WebSite"},
           {"failcount", "show [RESOURCE_ID] [node=NODE] | reset [RESOURCE_ID] [node=NODE]", "Shows fail counts.", "",
            "resource failcount show WebSite"},
           {"why", "RESOURCE_ID", "Explains where the scheduler places a resource, and why.", "", "resource why WebSite"},
           {"debug-start", "RESOURCE_ID [--full]", "Runs the agent's start here, outside the cluster, and shows its output.",
            "--full: the agent's trace", "resource debug-start WebSite"},
           {"debug-stop", "RESOURCE_ID [--full]", "Runs the agent's stop here and shows its output.", "", "resource debug-stop WebSite"},
           {"debug-monitor", "RESOURCE_ID [--full]", "Runs the agent's monitor here and shows its output.", "",
            "resource debug-monitor WebSite"},
           {"debug-promote", "RESOURCE_ID [--full]", "Runs the agent's promote here and shows its output.", "",
            "resource debug-promote Database"},
           {"debug-demote", "RESOURCE_ID [--full]", "Runs the agent's demote here and shows its output.", "",
            "resource debug-demote Database"},
           {"debug-validate", "RESOURCE_ID [--full]", "Runs the agent's validate-all here and shows its output.", "",
            "resource debug-validate WebSite"},
           {"standards", "", "Lists the resource agent standards.", "", "resource standards"},
           {"providers", "", "Lists the OCF providers.", "", "resource providers"},
           {"agents|list", "[STANDARD[:PROVIDER]]", "Lists the installed agents.", "", "resource agents ocf:heartbeat"},
           {"describe", "[STANDARD:[PROVIDER:]]TYPE", "Shows an agent's parameters and operations.", "",
            "resource describe ocf:heartbeat:IPaddr2"},
           {"show", "[RESOURCE_ID]...", "The old spelling of 'resource status' and 'resource config'.", "--full", "resource status"},
       },
       {"", "", "Without a command: resource status.", "", "resource"}, true},
      {"constraint", run_constraint, "location, colocation and order constraints",
       {
           {"config|list|show", "", "Lists every constraint.", "--full: with ids", "constraint config"},
           {"location", "RESOURCE prefers|avoids NODE[=SCORE]... | RESOURCE rule [id=ID] [role=ROLE] [score=SCORE|score-attribute=NAME] EXPRESSION | add ID RESOURCE NODE SCORE | remove ID | [config]",
            "Where a resource may run.", "--force: a node not in the configuration",
            "constraint location WebSite rule score=-INFINITY pingd lt 1 or not_defined pingd"},
           {"colocation", "add [ROLE] SOURCE with [ROLE] TARGET [SCORE] [NAME=VALUE]... | set RESOURCE... [OPTIONS] [set ...] [setoptions ...] | remove SOURCE TARGET | [config]",
            "Which resources run together.", "", "constraint colocation add WebSite with VirtualIP INFINITY"},
           {"order", "[ACTION] RESOURCE then [ACTION] RESOURCE [NAME=VALUE]... | set RESOURCE... [OPTIONS] [set ...] [setoptions ...] | remove RESOURCE... | [config]",
            "In which order resources start (and stop in reverse).", "", "constraint order VirtualIP then WebSite"},
           {"ref", "RESOURCE...", "Lists the constraints that refer to resources.", "", "constraint ref WebSite"},
           {"rule", "add CONSTRAINT_ID [id=ID] [role=ROLE] [score=SCORE|score-attribute=NAME] EXPRESSION | remove RULE_ID",
            "Adds a rule to a location constraint, or removes one.", "",
            "constraint rule add location-WebSite score=5 '#uname' eq httpd2"},
           {"remove|delete", "CONSTRAINT_ID...", "Removes constraints.", "", "constraint remove cli-ban-WebSite-on-httpd1"},
       },
       {"", "", "Without a command: constraint config.", "", "constraint"}, true},
      {"node", run_node, "node standby, maintenance and attributes",
       {
           {"standby", "NODE... | --all", "Moves every resource off the nodes and keeps them off.", "--wait[=SECONDS]",
            "node standby httpd1"},
           {"unstandby", "NODE... | --all", "Lets the nodes run resources again.", "--wait[=SECONDS]", "node unstandby httpd1"},
           {"maintenance", "NODE... | --all", "Stops managing the resources on the nodes.", "", "node maintenance httpd1"},
           {"unmaintenance", "NODE... | --all", "Manages the nodes' resources again.", "", "node unmaintenance httpd1"},
           {"attribute", "[NODE [NAME=VALUE]...]", "Shows or sets node attributes.", "", "node attribute httpd1 rack=1"},
       },
       {}, true},
      {"stonith", run_stonith, "fencing devices",
       {
           {"create", "STONITH_ID STONITH_DEVICE_TYPE [NAME=VALUE]... [op ACTION NAME=VALUE...]... [meta NAME=VALUE...]",
            "Creates a fencing device (a resource of class stonith).", "--force: an unknown agent or parameter",
            "stonith create ipmi-fencing fence_ipmilan pcmk_host_list=\"pcmk-1 pcmk-2\" ip=10.0.0.1 username=admin password=secret"},
           {"config", "", "Shows the fencing devices' configuration.", "", "stonith config"},
           {"status", "", "Lists the fencing devices.", "", "stonith status"},
           {"list", "", "Lists the installed fence agents.", "", "stonith list"},
           {"fence", "NODE", "Fences a node now (on the running cluster).", "", "stonith fence httpd2"},
       },
       {"", "", "Without a command: stonith status.", "", "stonith"}},
      {"status", run_status, "the cluster's status, like pcs status",
       {
           {"status|cluster", "", "The whole status (the same as plain 'status').", "--full: node ids, migration summary",
            "status"},
           {"resources", "", "Only the resources.", "", "status resources"},
       },
       {"", "[--full]", "Prints the cluster's status: nodes, resources, failed actions.", "--full: node ids, migration summary",
        "status --full"}},
      {"config", run_config, "the whole configuration",
       {},
       {"", "", "Prints the whole configuration: cluster, resources, constraints, properties.", "", "config"}},
      {"simulate", run_simulate_placeholder, "the scheduler on a CIB file (crm_simulate's options)",
       {},
       {"", "[-x FILE | -L] [-S] [-s] [-u NODE] [-d NODE] [-O FILE]...",
        "Runs the scheduler as crm_simulate does, with crm_simulate's options.", "see crm_simulate --help",
        "simulate -x cib.xml -S"}},
  };
}

std::vector<std::string> split_names(std::string_view names) {
  std::vector<std::string> out;
  for (size_t s = 0, e; s <= names.size(); s = e + 1) {
    e = names.find('|', s);
    if (e == std::string_view::npos) e = names.size();
    if (e > s) out.emplace_back(names.substr(s, e - s));
  }
  return out;
}

}  // namespace

const std::vector<CommandGroup>& command_groups() {
  static const std::vector<CommandGroup> table = make_table();
  return table;
}

std::vector<std::string> names_of(const CommandHelp& c) { return split_names(c.names); }

const CommandGroup* find_group(std::string_view name) {
  for (const auto& g : command_groups())
    if (g.name == name) return &g;
  return nullptr;
}

const CommandHelp* find_command(const CommandGroup& g, std::string_view name) {
  for (const auto& c : g.commands)
    for (const auto& n : names_of(c))
      if (n == name) return &c;
  return nullptr;
}

}  // namespace hactl::cmd
