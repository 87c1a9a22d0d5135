#!/usr/bin/env bash
# Checks of the namespace lab itself (no hactl needed): the outage tool on a
# known log, then a live lab: isolation from the root namespace, per-node
# Apache, a VIP moved by hand while the probe runs, power-off/on, teardown.
# Exit 0 pass, 1 fail, 77 skipped (not root / no namespaces).
set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lab.sh
source "$here/lab.sh"
fail() { echo "FAIL: $*"; exit 1; }
expect_eq() { [ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"; echo "ok: $1"; }

# --- probe-gap.sh on a fixed log ---
t=$(mktemp -d)
printf '%s\n' "1000000 1010000 200 httpd1" "1050000 1060000 200 httpd1" "1100000 1300000 000 -" \
  "1300000 1500000 000 -" "1500000 1510000 200 httpd2" "1550000 1560000 200 httpd2" > "$t/a.log"
expect_eq "gap over a failover" "$(bash "$here/probe-gap.sh" "$t/a.log")" \
  "outage_s=0.450 from_us=1060000 to_us=1510000 requests=6 ok=4 failed=2 served=httpd1:2,httpd2:2"
expect_eq "gap in a window" "$(bash "$here/probe-gap.sh" --since 1500000 "$t/a.log" | cut -d' ' -f1)" "outage_s=0.050"
printf '%s\n' "1000000 1010000 200 httpd1" "1050000 1250000 000 -" "1250000 1450000 000 -" > "$t/b.log"
expect_eq "trailing failures" "$(bash "$here/probe-gap.sh" "$t/b.log" | grep -o 'outage_s=[^ ]*\|unrecovered=1' | tr '\n' ' ')" \
  "outage_s=0.440 unrecovered=1 "
printf '%s\n' "1 2 000 -" > "$t/c.log"
bash "$here/probe-gap.sh" "$t/c.log" >/dev/null && fail "a log without any success must exit non-zero"
echo "ok: a log without any success exits non-zero"
rm -rf "$t"

# --- the live lab ---
lab_require
lab_up httpd1 httpd2
root_addrs_before=$(ip -4 -o addr show | grep -c "$LAB_NET\." || true)
expect_eq "no lab address in the root namespace" "$root_addrs_before" 0
expect_eq "no lab route in the root namespace" "$(ip -4 route show | grep -c "$LAB_NET\." || true)" 0
expect_eq "hostname of httpd1" "$(on httpd1 hostname)" httpd1
expect_eq "pid 1 of httpd2 is its INIT" "$(on httpd2 cat /proc/1/cmdline | tr '\0' ' ' | grep -c node-init.sh)" 1
expect_eq "IPv6 off in the client namespace" "$(on client cat /proc/sys/net/ipv6/conf/all/disable_ipv6)" 1
apache_start httpd1 || fail "apache on httpd1 did not start"
apache_start httpd2 || fail "apache on httpd2 did not start"
wait_for 5 on client curl -sf -o /dev/null "http://${LAB_ADDR[httpd2]}/" || fail "httpd2 does not answer"
expect_eq "page of httpd1 names it" "$(on client curl -s "http://${LAB_ADDR[httpd1]}/" | grep -o '<title>[^<]*' )" "<title>httpd1"
expect_eq "server-status from the node itself" "$(on httpd1 curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1/server-status)" 200
expect_eq "server-status from the client is refused" \
  "$(on client curl -s -o /dev/null -w '%{http_code}' "http://${LAB_ADDR[httpd1]}/server-status")" 403
expect_eq "each node has its own Apache pid file" \
  "$(on httpd1 cat /run/apache2/apache2.pid | grep -c . ) $(on httpd2 cat /run/apache2/apache2.pid | grep -c .)" "1 1"

# A VIP on httpd1, the probe running, httpd1 powered off, the VIP added on httpd2 by hand.
ip -n "hlab-httpd1-$LAB_ID" addr add "$LAB_VIP/24" dev eth0
expect_eq "VIP holder" "$(vip_holders)" httpd1
wait_for 5 eval '[ "$(fetch_page)" = "200 httpd1" ]' || fail "VIP does not answer from httpd1: $(fetch_page)"
apache_pids=$(pgrep -x apache2 | while read -r p; do
  [ "$(readlink "/proc/$p/ns/pid")" = "$(readlink "/proc/${LAB_INIT[httpd1]}/ns/pid")" ] && echo "$p"; done)
[ -n "$apache_pids" ] || fail "no Apache process found in httpd1's pid namespace"
probe_start "$LAB_DIR/probe.log" 30
sleep 1
power_off httpd1
for p in $apache_pids; do kill -0 "$p" 2>/dev/null && fail "Apache pid $p of httpd1 survived the power-off"; done
echo "ok: every process of httpd1 ended with the power-off"
expect_eq "VIP holder after power-off" "$(vip_holders)" ""
sleep 0.5
ip -n "hlab-httpd2-$LAB_ID" addr add "$LAB_VIP/24" dev eth0
ip -n "hlab-client-$LAB_ID" neigh flush all
wait_for 5 eval '[ "$(tail -n 1 "$LAB_DIR/probe.log" | cut -d" " -f3,4)" = "200 httpd2" ]' || fail "probe never got httpd2"
sleep 0.3
probe_stop
gap=$(probe_gap "$LAB_DIR/probe.log")
echo "probe: $gap"
[[ $gap =~ outage_s=([0-9]+)\.([0-9]+) ]] || fail "no outage figure"
ms=$((10#${BASH_REMATCH[1]} * 1000 + 10#${BASH_REMATCH[2]}))
((ms >= 450 && ms < 2500)) || fail "outage $ms ms, expected the ~0.5 s the VIP was nowhere"
[[ $gap == *httpd1:* && $gap == *httpd2:* && $gap != *unrecovered* ]] || fail "probe should have seen both servers"
echo "ok: the probe measured the outage ($ms ms) and saw both servers"

power_on httpd1
apache_start httpd1 || fail "apache on httpd1 did not start after power-on"
wait_for 5 on client curl -sf -o /dev/null "http://${LAB_ADDR[httpd1]}/" || fail "httpd1 does not answer after power-on"
expect_eq "httpd1 lost its VIP with the power-off" "$(vip_holders)" httpd2
echo "ok: httpd1 serves again after power-on"

id=$LAB_ID inits="${LAB_INIT[*]}"
lab_down
expect_eq "namespaces deleted" "$(ip netns list | grep -c -- "-$id\b" || true)" 0
for p in $inits; do kill -0 "$p" 2>/dev/null && fail "INIT $p survived teardown"; done
echo "ok: teardown ended every node"
echo "PASS: lab harness"
