#!/usr/bin/env bash
# The tutorial, for real, in the namespace lab: two web servers httpd1 and httpd2
# (Apache each, a page naming the server), a floating IP that must always answer,
# httpd1 preferred, stonith off, quorum ignored, migration-threshold=1; then every
# failure the tutorial tries, while a client requests the VIP every 50 ms.
#
#   test/lab/tutorial.sh HACTL_BINARY
#
# Exit 0 pass, 1 fail, 77 skipped (not root, no namespaces, or no node agent yet).
# LAB_KEEP=1 keeps the lab's files (logs, probe log, node roots) for a look afterwards.
set -u
here=$(cd "$(dirname "$0")" && pwd)
HACTL=${1:-${HACTL:-}}
[ -n "$HACTL" ] && [ -x "$HACTL" ] || { echo "FAIL: usage: tutorial.sh HACTL_BINARY (got '${HACTL}')"; exit 1; }
HACTL=$(cd "$(dirname "$HACTL")" && pwd)/$(basename "$HACTL")
# shellcheck source=lab.sh
source "$here/lab.sh"
# shellcheck source=hactl_cluster.sh
source "$here/hactl_cluster.sh"

lab_require
if ! hactl_agent_available "$HACTL"; then
  echo "SKIP: node agent not available ('hactl cluster start' is not in this build)"
  exit 77
fi

VIP_WATCH_PID=
VIP_WATCH_STOP=
STEP=

say() { printf '\n== %s\n' "$*"; STEP=$*; }

diagnose() {
  local n
  for n in "${LAB_NODES[@]}"; do
    [ -n "${LAB_INIT[$n]:-}" ] || { echo "--- $n: powered off"; continue; }
    echo "--- $n: hactl status"; h "$n" status 2>&1 | sed 's/^/    /'
    echo "--- $n: addresses on eth0: $(ip -n "hlab-$n-$LAB_ID" -4 -o addr show dev eth0 2>/dev/null | awk '{print $4}' | tr '\n' ' ')"
    echo "--- $n: apache processes: $(on "$n" pgrep -x apache2 | tr '\n' ' ')"
    local lf
    lf=$(lab_node_root "$n")/var/log/hactl/hactl.log
    [ -f "$lf" ] && { echo "--- $n: last lines of $lf"; tail -n 30 "$lf" | sed 's/^/    /'; }
  done
}

fail() {
  echo "FAIL [$STEP]: $*"
  diagnose
  exit 1
}

# Runs a hactl command on a node; a non-zero exit fails the test.
run() {  # NODE ARGS...
  local n=$1 out rc; shift
  echo "[$n]# hactl $*"
  out=$(h "$n" "$@" 2>&1); rc=$?
  [ -z "$out" ] || sed 's/^/    /' <<<"$out"
  [ $rc -eq 0 ] || fail "'hactl $*' on $n exited $rc"
}

# The VIP must never be on both nodes: a watcher samples every 30 ms for the whole run.
# The nodes are read one after the other, so under load a move (stop on one,
# then start on the other) can fall between two reads and look like both:
# each sample reads the first holder again after the others, and only a VIP
# still there, after the second node was seen holding it, counts as double.
vip_watch_start() {
  VIP_WATCH_STOP=$LAB_DIR/vipwatch.stop
  local log=$LAB_DIR/vipwatch.log
  : > "$log"
  (
    end=$((SECONDS + 580))
    while ((SECONDS < end)) && [ ! -e "$VIP_WATCH_STOP" ]; do
      held=()
      for n in "${LAB_NODES[@]}"; do
        ip -n "hlab-$n-$LAB_ID" -4 -o addr show dev eth0 2>/dev/null | grep -q " $LAB_VIP/" && held+=("$n")
      done
      if [ ${#held[@]} -gt 1 ] &&
         ip -n "hlab-${held[0]}-$LAB_ID" -4 -o addr show dev eth0 2>/dev/null | grep -q " $LAB_VIP/"; then
        echo "$(date +%T.%3N) VIP on ${held[*]}" >> "$log"
      fi
      sleep 0.03
    done
  ) &
  VIP_WATCH_PID=$!
}
vip_watch_check() {
  [ -s "$LAB_DIR/vipwatch.log" ] && fail "the VIP was on both nodes at once: $(head -n 3 "$LAB_DIR/vipwatch.log" | tr '\n' ';')"
  return 0
}
vip_watch_stop() {
  [ -n "$VIP_WATCH_PID" ] || return 0
  touch "$VIP_WATCH_STOP"
  wait "$VIP_WATCH_PID" 2>/dev/null
  VIP_WATCH_PID=
}
finish() { vip_watch_stop; lab_down; }

other_of() { [ "$1" = httpd1 ] && echo httpd2 || echo httpd1; }
first_live() { local n; for n in "${LAB_NODES[@]}"; do [ -n "${LAB_INIT[$n]:-}" ] && { echo "$n"; return; }; done; }

# Everything says the resources run on NODE: the VIP is on NODE only, Apache runs on
# NODE only, the agent reports both resources Started on NODE, and the client gets
# NODE's page through the VIP.
placement_is() {
  local n=$1 o
  o=$(other_of "$n")
  [ "$(vip_holders)" = "$n" ] || return 1
  apache_running "$n" || return 1
  if [ -n "${LAB_INIT[$o]:-}" ]; then apache_running "$o" && return 1; fi
  [ "$(hactl_rsc_nodes "$(first_live)" IPClusterWeb)" = "$n" ] || return 1
  [ "$(hactl_rsc_nodes "$(first_live)" WebSite)" = "$n" ] || return 1
  [ "$(fetch_page)" = "200 $n" ]
}
expect_placement() {
  wait_for 20 placement_is "$1" >/dev/null ||
    fail "resources should run on $1 (VIP on: '$(vip_holders)', agent: IPClusterWeb on '$(hactl_rsc_nodes "$(first_live)" IPClusterWeb)', WebSite on '$(hactl_rsc_nodes "$(first_live)" WebSite)', page: '$(fetch_page)')"
  echo "ok: IPClusterWeb and WebSite on $1, page from $1 through $LAB_VIP"
}

status_matches() { h "$1" status 2>/dev/null | grep -Eq "$2"; }
expect_status() {  # NODE REGEX WHAT
  wait_for 10 status_matches "$1" "$2" || fail "status on $1 should show $3 (/$2/)"
  echo "ok: status on $1 shows $3"
}
status_lacks() { ! status_matches "$@"; }
expect_status_not() {  # NODE REGEX WHAT
  wait_for 10 status_lacks "$1" "$2" || fail "status on $1 should not show $3 (/$2/)"
  echo "ok: status on $1 does not show $3"
}
online_is() { [ "$(hactl_online_nodes "$1")" = "$2" ]; }
expect_online() {  # NODE "httpd1 httpd2"
  wait_for 10 online_is "$1" "$2" || fail "status on $1 should list Online: [ $2 ] (got '$(hactl_online_nodes "$1")')"
  echo "ok: status on $1 lists Online: [ $2 ]"
}

# The client-visible outage around a failure, from the whole-run probe log.
mark() { echo "${EPOCHREALTIME/./}"; }
report_outage() {  # WHAT SINCE_US
  local g
  g=$(probe_gap --since "$(($2 - 500000))" "$LAB_DIR/probe.log")
  echo "client: $1: ${g%% from_us*} (${g##*requests=})" | sed 's/requests=/requests /'
}

lab_up httpd1 httpd2
trap finish EXIT

say "cluster setup and start"
run httpd1 cluster setup ClusterWeb httpd1 addr="${LAB_ADDR[httpd1]}" httpd2 addr="${LAB_ADDR[httpd2]}"
hactl_copy_conf httpd1 httpd2
echo "copied /etc/hactl from httpd1 to httpd2"
t_start=$(mark)
hactl_start_all; rc=$?
if [ $rc -eq 77 ]; then
  echo "SKIP: node agent not available ('hactl cluster start' says this build has none)"
  exit 77
fi
[ $rc -eq 0 ] || fail "cluster start --all failed"
expect_online httpd1 "httpd1 httpd2"
expect_online httpd2 "httpd1 httpd2"
echo "both nodes online $(( ($(mark) - t_start) / 1000 )) ms after cluster start"

say "properties, defaults, resources and constraints"
run httpd1 property set stonith-enabled=false
run httpd1 property set no-quorum-policy=ignore
run httpd1 resource defaults update migration-threshold=1
run httpd1 resource create IPClusterWeb ocf:heartbeat:IPaddr2 ip="$LAB_VIP" cidr_netmask=24 op monitor interval=10s
# A finite preference, as in Clusters from Scratch: with INFINITY, `resource move`
# below could not win against it (Pacemaker's crm_simulate agrees), and with
# resource-stickiness 0 the resources go back to httpd1 whenever it can run them.
run httpd1 constraint location IPClusterWeb prefers httpd1=50
run httpd1 resource create WebSite ocf:heartbeat:apache configfile=/etc/apache2/apache2.conf \
  statusurl=http://127.0.0.1/server-status op monitor interval=1s
run httpd1 constraint colocation add IPClusterWeb with WebSite INFINITY
run httpd1 constraint order IPClusterWeb then WebSite
run httpd2 constraint
expect_placement httpd1
echo "serving $(( ($(mark) - t_start) / 1000 )) ms after cluster start"
expect_status httpd2 "IPClusterWeb.*Started httpd1" "IPClusterWeb Started httpd1"
expect_status httpd2 "WebSite.*Started httpd1" "WebSite Started httpd1"
expect_status_not httpd1 "Failed Resource Actions" "failed actions"
run httpd2 status

vip_watch_start
probe_start "$LAB_DIR/probe.log" 540

say "power-off of httpd1"
t=$(mark)
power_off httpd1
expect_placement httpd2
expect_status httpd2 "OFFLINE: \[ httpd1 \]" "httpd1 OFFLINE"
expect_online httpd2 "httpd2"
report_outage "httpd1 powered off" "$t"

say "power-on of httpd1"
power_on httpd1
t=$(mark)
run httpd1 cluster start
expect_online httpd2 "httpd1 httpd2"
expect_placement httpd1
report_outage "httpd1 back" "$t"

say "Apache killed on httpd1, then cleanup"
t=$(mark)
apache_kill httpd1
expect_placement httpd2
expect_status httpd1 "Failed Resource Actions" "Failed Resource Actions"
expect_status httpd1 "WebSite.*monitor|monitor.*WebSite" "the failed WebSite monitor"
report_outage "Apache killed on httpd1" "$t"
run httpd1 resource failcount show WebSite
t=$(mark)
run httpd1 resource cleanup WebSite
expect_placement httpd1
expect_status_not httpd1 "Failed Resource Actions" "failed actions"
report_outage "after cleanup, back to httpd1" "$t"

say "node standby / unstandby"
t=$(mark)
run httpd1 node standby httpd1
expect_placement httpd2
expect_status httpd2 "httpd1.*standby|standby.*httpd1" "httpd1 in standby"
report_outage "httpd1 standby" "$t"
t=$(mark)
run httpd1 node unstandby httpd1
expect_placement httpd1
expect_status_not httpd2 "httpd1.*standby|standby.*httpd1" "httpd1 in standby"
report_outage "httpd1 unstandby" "$t"

say "resource move / clear"
t=$(mark)
# move-with-constraint: the constraint stays until `clear` (plain `move` removes it once moved, as pcs 0.11 does).
run httpd1 resource move-with-constraint WebSite httpd2
expect_placement httpd2
report_outage "WebSite moved to httpd2" "$t"
t=$(mark)
run httpd1 resource clear WebSite
expect_placement httpd1
report_outage "WebSite cleared" "$t"

say "cluster stop / start"
run httpd1 cluster stop --all
wait_for 20 eval '[ -z "$(vip_holders)" ] && ! apache_running httpd1 && ! apache_running httpd2' ||
  fail "after cluster stop --all the VIP and Apache should be gone (VIP on '$(vip_holders)')"
[ "$(fetch_page)" = "000 -" ] || fail "the VIP still answers after cluster stop --all: $(fetch_page)"
echo "ok: nothing runs and the VIP does not answer"
t=$(mark)
hactl_start_all || fail "cluster start --all failed"
expect_online httpd1 "httpd1 httpd2"
expect_placement httpd1
echo "serving again $(( ($(mark) - t) / 1000 )) ms after cluster start"

probe_stop
vip_watch_stop
vip_watch_check
echo "ok: the VIP was never on both nodes ($(wc -l < "$LAB_DIR/probe.log") client requests during the failures)"
run httpd1 cluster stop --all
echo "PASS: tutorial scenario"
