// OCF 1.0 meta-data of the built-in agents, written for hactl. Parameter names
// and action timeouts match what users of resource-agents already configure, so
// a CIB written for the on-disk scripts works unchanged with the built-ins.
#include "agents/builtin_agents.h"

namespace hactl::agents {

const std::string_view kIpaddr2Metadata = R"(<?xml version="1.0"?>
<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">
<resource-agent name="IPaddr2" version="hactl-builtin">
<version>1.0</version>
<longdesc lang="en">
Built-in floating IPv4 address (hactl). Start adds the address to an interface
and announces it with gratuitous ARP, both request and reply forms, repeated
so that peers and switches learn the new owner at once. Stop removes it.
Monitor checks that the address is still configured.
</longdesc>
<shortdesc lang="en">Floating IPv4 address (built into hactl)</shortdesc>
<parameters>
<parameter name="ip" unique="1" required="1">
<longdesc lang="en">The IPv4 address to manage, in dotted-quad form.</longdesc>
<shortdesc lang="en">IPv4 address</shortdesc>
<content type="string" default="" />
</parameter>
<parameter name="cidr_netmask">
<longdesc lang="en">Prefix length of the address (e.g. 24). When empty, the prefix
of the route that covers the address is used, else 32.</longdesc>
<shortdesc lang="en">Prefix length</shortdesc>
<content type="string" default="" />
</parameter>
<parameter name="nic">
<longdesc lang="en">Interface to put the address on. When empty, the interface of
the route to the address is used.</longdesc>
<shortdesc lang="en">Network interface</shortdesc>
<content type="string" default="" />
</parameter>
<parameter name="broadcast">
<longdesc lang="en">Broadcast address; "+" computes it from the prefix, empty or
"-" sets none.</longdesc>
<shortdesc lang="en">Broadcast address</shortdesc>
<content type="string" default="" />
</parameter>
<parameter name="iflabel">
<longdesc lang="en">Interface label for the address (shown by ifconfig as nic:label).</longdesc>
<shortdesc lang="en">Interface label</shortdesc>
<content type="string" default="" />
</parameter>
<parameter name="label">
<longdesc lang="en">Same as iflabel (hactl alias); iflabel wins when both are set.</longdesc>
<shortdesc lang="en">Interface label (alias)</shortdesc>
<content type="string" default="" />
</parameter>
<parameter name="arp_count">
<longdesc lang="en">How many gratuitous ARP rounds to send after start (each
round is one request and one reply).</longdesc>
<shortdesc lang="en">Gratuitous ARP rounds</shortdesc>
<content type="integer" default="5" />
</parameter>
<parameter name="arp_interval">
<longdesc lang="en">Milliseconds between gratuitous ARP rounds.</longdesc>
<shortdesc lang="en">Gratuitous ARP interval (ms)</shortdesc>
<content type="integer" default="200" />
</parameter>
</parameters>
<actions>
<action name="start" timeout="20s" />
<action name="stop" timeout="20s" />
<action name="monitor" depth="0" timeout="20s" interval="10s" />
<action name="meta-data" timeout="5s" />
<action name="validate-all" timeout="20s" />
</actions>
</resource-agent>
)";

const std::string_view kApacheMetadata = R"(<?xml version="1.0"?>
<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">
<resource-agent name="apache" version="hactl-builtin">
<version>1.0</version>
<longdesc lang="en">
Built-in Apache HTTP server manager (hactl). Start runs the server with the
given configuration file and waits until the status URL answers; monitor
fetches the status URL (plain HTTP to a numeric address); stop sends SIGTERM to
the process in the pid file, then SIGKILL if it is still there when the stop
timeout is nearly over.
</longdesc>
<shortdesc lang="en">Apache web server (built into hactl)</shortdesc>
<parameters>
<parameter name="configfile" unique="1">
<longdesc lang="en">The server's configuration file.</longdesc>
<shortdesc lang="en">Configuration file</shortdesc>
<content type="string" default="/etc/apache2/apache2.conf" />
</parameter>
<parameter name="httpd">
<longdesc lang="en">The server binary; by default apache2 (Debian) or httpd (Red Hat)
is looked for in the usual sbin directories.</longdesc>
<shortdesc lang="en">Server binary</shortdesc>
<content type="string" default="" />
</parameter>
<parameter name="statusurl">
<longdesc lang="en">URL fetched by monitor and at start; http:// with a numeric
IPv4 address only (no name lookups on a cluster node).</longdesc>
<shortdesc lang="en">Status URL</shortdesc>
<content type="string" default="http://127.0.0.1/server-status" />
</parameter>
<parameter name="testregex">
<longdesc lang="en">Regular expression the status page body must match (extended
syntax). By default the page must contain "&lt;/html&gt;" case-insensitively.</longdesc>
<shortdesc lang="en">Body test regex</shortdesc>
<content type="string" default="" />
</parameter>
<parameter name="options">
<longdesc lang="en">Extra command line options for the server, split on blanks.</longdesc>
<shortdesc lang="en">Extra server options</shortdesc>
<content type="string" default="" />
</parameter>
<parameter name="pidfile">
<longdesc lang="en">Pid file; by default the PidFile directive of the configuration file.</longdesc>
<shortdesc lang="en">Pid file</shortdesc>
<content type="string" default="" />
</parameter>
</parameters>
<actions>
<action name="start" timeout="40s" />
<action name="stop" timeout="60s" />
<action name="monitor" depth="0" timeout="20s" interval="10s" />
<action name="meta-data" timeout="5s" />
<action name="validate-all" timeout="5s" />
</actions>
</resource-agent>
)";

const std::string_view kDummyMetadata = R"(<?xml version="1.0"?>
<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">
<resource-agent name="Dummy" version="hactl-builtin">
<version>1.0</version>
<longdesc lang="en">
Built-in test resource (hactl). It is "running" while its state file exists.
Actions can be slowed down and made to fail, to exercise timeouts and recovery.
</longdesc>
<shortdesc lang="en">Test resource with a state file (built into hactl)</shortdesc>
<parameters>
<parameter name="state" unique="1">
<longdesc lang="en">State file; by default /run/hactl/Dummy-INSTANCE.state.</longdesc>
<shortdesc lang="en">State file</shortdesc>
<content type="string" default="" />
</parameter>
<parameter name="fake">
<longdesc lang="en">A parameter that does nothing; change it to see a reload or restart.</longdesc>
<shortdesc lang="en">Fake parameter</shortdesc>
<content type="string" default="dummy" />
</parameter>
<parameter name="op_sleep">
<longdesc lang="en">Seconds (fractions allowed) every action sleeps before doing its work.</longdesc>
<shortdesc lang="en">Action delay</shortdesc>
<content type="string" default="0" />
</parameter>
<parameter name="fail_action">
<longdesc lang="en">Name of an action (start, stop, monitor) that fails with fail_rc.</longdesc>
<shortdesc lang="en">Action to fail</shortdesc>
<content type="string" default="" />
</parameter>
<parameter name="fail_rc">
<longdesc lang="en">OCF exit code returned by fail_action.</longdesc>
<shortdesc lang="en">Exit code of the failing action</shortdesc>
<content type="integer" default="1" />
</parameter>
</parameters>
<actions>
<action name="start" timeout="20s" />
<action name="stop" timeout="20s" />
<action name="monitor" timeout="20s" interval="10s" depth="0" />
<action name="reload" timeout="20s" />
<action name="migrate_to" timeout="20s" />
<action name="migrate_from" timeout="20s" />
<action name="meta-data" timeout="5s" />
<action name="validate-all" timeout="20s" />
</actions>
</resource-agent>
)";

}  // namespace hactl::agents
