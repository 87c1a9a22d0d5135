#!/usr/bin/env bash
# A throwaway demo cluster on this machine: the tutorial's two web servers
# httpd1 and httpd2 in network namespaces, a floating IP and Apache managed by
# hactl, a client requesting the page every 50 ms — then httpd1 is powered off
# and the client keeps being served by httpd2. Everything is torn down at the end.
# Usage: demo.sh HACTL_BINARY   (root; exit 77 when namespaces are not available)
set -u
here=$(cd "$(dirname "$0")" && pwd)
HACTL=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
source "$here/lab.sh"
source "$here/hactl_cluster.sh"
lab_require

show() { echo; echo "[$1]# hactl ${*:2}"; h "$@" 2>&1 | sed 's/^/    /'; }
runs_on() { [ "$(vip_holders)" = "$1" ] && [ "$(fetch_page | cut -d' ' -f2)" = "$1" ]; }

lab_up httpd1 httpd2
trap 'probe_stop; lab_down' EXIT

echo "== the tutorial's configuration, command by command (monitors every 1 s)"
hactl_tutorial_cluster 1s || { echo "configuration failed"; exit 1; }
started_on() { [ "$(hactl_rsc_nodes httpd1 IPClusterWeb)" = "$1" ] && [ "$(hactl_rsc_nodes httpd1 WebSite)" = "$1" ]; }
wait_for 30 runs_on httpd1 && wait_for 10 started_on httpd1 || { echo "the pair did not start on httpd1"; show httpd1 status; exit 1; }
show httpd1 status
echo; echo "client: $(fetch_page) (HTTP code, server that answered on 10.213.0.150)"

echo; echo "== power off httpd1 while the client requests the page every 50 ms"
probe_start "$LAB_DIR/probe.log" 60
sleep 1
power_off httpd1
wait_for 30 runs_on httpd2 || { echo "no failover"; show httpd2 status; exit 1; }
sleep 1
probe_stop
show httpd2 status
echo
echo "client: $(fetch_page)"
echo "client-visible outage: $(probe_gap "$LAB_DIR/probe.log")"
