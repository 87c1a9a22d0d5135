# shellcheck shell=bash
# hactl in the namespace lab (source after lab.sh; HACTL = path of the binary).
# Every command runs on a lab node through `on`, so HACTL_ROOT is that node's root.

# The node agent exists when `cluster start --help` is accepted, or when
# `cluster start` in an empty scratch root (no cluster.conf: nothing can start)
# does not answer that this build has no node agent.
hactl_agent_available() {
  local bin=${1:-$HACTL} t out
  [ -n "$bin" ] && [ -x "$bin" ] || return 1
  "$bin" cluster start --help >/dev/null 2>&1 && return 0
  t=$(mktemp -d)
  out=$(HACTL_ROOT=$t timeout 10 "$bin" cluster start 2>&1 </dev/null)
  rm -rf "$t"
  ! grep -q "node agent, which this build does not include" <<<"$out"
}

h() { local n=$1; shift; on "$n" "$HACTL" "$@"; }

# `cluster setup` writes /etc/hactl on the node where it runs; the tutorial then
# copies it to the other nodes (as Corosync's authkey and corosync.conf are).
hactl_copy_conf() {  # FROM TO...
  local from=$1 to; shift
  for to in "$@"; do
    mkdir -p "$(lab_node_root "$to")/etc"
    cp -a "$(lab_node_root "$from")/etc/hactl" "$(lab_node_root "$to")/etc/"
  done
}

hactl_agent_up() { [ -S "$(lab_node_root "$1")/run/hactl/hactl.sock" ] && h "$1" cluster status >/dev/null 2>&1; }

# Nodes the agent on NODE reports online (from `status --output-as json` when it
# has a node list there, else from the text "Online: [ ... ]").
hactl_online_nodes() {
  local out
  out=$(h "$1" status 2>/dev/null) || return 1
  sed -n 's/.*Online: \[ \(.*\) \].*/\1/p' <<<"$out" | head -n 1
}

# Nodes where RSC runs according to the agent on NODE (space separated, sorted).
hactl_rsc_nodes() {  # NODE RSC
  h "$1" resource status --output-as json 2>/dev/null | python3 -c '
import json, sys
want = sys.argv[1]
for r in json.load(sys.stdin).get("resources", []):
    if r.get("id") == want and r.get("role") == "Started":
        print(" ".join(sorted(r.get("nodes") or [])))
        break
else:
    print("")' "$2"
}

# cluster start --all from httpd1, as the tutorial does; a node whose agent is
# still not running afterwards (when --all cannot reach a node with no agent yet)
# is started locally, and that is said. Returns 77 when this build says it has no
# node agent.
hactl_start_all() {
  local out rc
  out=$(h httpd1 cluster start --all 2>&1); rc=$?
  [ -z "$out" ] || printf '%s\n' "$out" >&2
  if [ $rc -ne 0 ]; then
    grep -q "node agent, which this build does not include" <<<"$out" && return 77
    return 1
  fi
  local n
  for n in "${LAB_NODES[@]}"; do
    wait_for 1 hactl_agent_up "$n" && continue
    echo "NOTE: cluster start --all did not start the agent on $n; starting it there" >&2
    h "$n" cluster start || return 1
  done
}

# The tutorial's cluster, configured by its commands. MONITOR = monitor interval of both resources.
hactl_tutorial_cluster() {
  local mon=${1:-1s}
  h httpd1 cluster setup ClusterWeb httpd1 addr="${LAB_ADDR[httpd1]}" httpd2 addr="${LAB_ADDR[httpd2]}" || return 1
  hactl_copy_conf httpd1 httpd2
  hactl_start_all || return 1
  h httpd1 property set stonith-enabled=false &&
  h httpd1 property set no-quorum-policy=ignore &&
  h httpd1 resource defaults update migration-threshold=1 &&
  h httpd1 resource create IPClusterWeb ocf:heartbeat:IPaddr2 ip="$LAB_VIP" cidr_netmask=24 op monitor interval="$mon" &&
  h httpd1 constraint location IPClusterWeb prefers httpd1=50 &&
  h httpd1 resource create WebSite ocf:heartbeat:apache configfile=/etc/apache2/apache2.conf \
    statusurl=http://127.0.0.1/server-status op monitor interval="$mon" &&
  h httpd1 constraint colocation add IPClusterWeb with WebSite INFINITY &&
  h httpd1 constraint order IPClusterWeb then WebSite
}
