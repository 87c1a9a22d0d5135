#!/usr/bin/env bash
# Client-visible failover in the namespace lab (test/lab/lab.sh): the longest gap
# between two successful answers of http://VIP/ for a client requesting every
# 50 ms with a 200 ms timeout, for a node power-off and for a web-server kill,
# median of N fresh runs, keepalived (VRRPv3) beside hactl.
#
#   bench/failover/run.sh [--runs N] [--hactl PATH] [--only keepalived|hactl] [--logs DIR]
#
# Needs root, network namespaces, apache2, curl, iproute2, and keepalived for its
# rows (.ci/install-deps installs them). hactl rows run once `hactl cluster start`
# exists; until then the table says so.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
runs=5 only= logs= HACTL=${HACTL:-}
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --hactl) HACTL=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --logs) logs=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$HACTL" ] || for c in "$top/build/cmd/hactl" "$(command -v hactl 2>/dev/null)"; do
  [ -n "$c" ] && [ -x "$c" ] && { HACTL=$c; break; }
done
[ -z "$HACTL" ] || HACTL=$(cd "$(dirname "$HACTL")" && pwd)/$(basename "$HACTL")
[ -z "$logs" ] || { mkdir -p "$logs"; logs=$(cd "$logs" && pwd); }

# shellcheck source=../../test/lab/lab.sh
source "$top/test/lab/lab.sh"
# shellcheck source=../../test/lab/hactl_cluster.sh
source "$top/test/lab/hactl_cluster.sh"
lab_require

# shellcheck source=keepalived.sh
source "$here/keepalived.sh"

serving() { [ "$(fetch_page)" = "200 $1" ]; }
last_probe_from() { [ -s "$1" ] && [ "$(tail -n 1 "$1" | cut -d' ' -f3,4)" = "200 $2" ]; }

# One measurement: the lab is fresh, FAULT hits httpd1 at a random moment,
# the probe runs until httpd2 has answered for a second (or 20 s passed).
# Prints the probe-gap line; returns 1 when the run could not be measured.
measure() {  # SYSTEM FAULT ARG
  local system=$1 fault=$2 arg=$3 log gap
  lab_up httpd1 httpd2 2>/dev/null
  if [ "$system" = keepalived ]; then
    apache_start httpd1 && apache_start httpd2 || { lab_down; return 1; }
    ka_conf httpd1 150 "$arg"; ka_conf httpd2 100 "$arg"
    ka_start httpd1; ka_start httpd2
  else
    if ! hactl_tutorial_cluster "$arg" >"$LAB_DIR/hactl-setup.log" 2>&1; then
      tail -n 20 "$LAB_DIR/hactl-setup.log" >&2; lab_down; return 2
    fi
  fi
  if ! wait_for 30 serving httpd1; then
    echo "httpd1 never served the VIP" >&2; lab_down; return 1
  fi
  sleep 1   # settle: VRRP adverts or the cluster's monitors running
  log=$LAB_DIR/probe.log
  probe_start "$log" 40
  sleep 1
  sleep "$(printf "0.%03d" $((RANDOM % 1000)))"   # the fault lands anywhere in a monitor/check period
  case $fault in
    power) power_off httpd1 2>/dev/null ;;
    kill) apache_kill httpd1 ;;
  esac
  wait_for 20 last_probe_from "$log" httpd2
  sleep 1
  probe_stop
  gap=$(probe_gap "$log")
  [ -z "$logs" ] || cp -r "$log" "$logs/$system-$fault-$arg-$(date +%s%N).log"
  lab_down
  echo "$gap"
}

# median (min–max) of the outage_s values given on stdin, or "-" when none
summary() {
  sort -n | awk '{ v[n++] = $1 } END {
    if (n == 0) { print "-"; exit }
    m = (n % 2) ? v[int(n / 2)] : (v[n / 2 - 1] + v[n / 2]) / 2
    printf "%.2f s (%.2f-%.2f, n=%d)\n", m, v[0], v[n - 1], n }'
}

declare -A result=()
series() {  # KEY SYSTEM FAULT ARG
  local key=$1 i line vals=() s
  for ((i = 1; i <= runs; i++)); do
    line=$(measure "$2" "$3" "$4")
    if [ $? -eq 2 ]; then
      echo "  $key: the cluster could not be set up; no further runs" >&2
      break
    fi
    printf '  %-22s run %d: %s\n' "$key" "$i" "${line:-not measured}" >&2
    [[ $line =~ outage_s=([0-9.]+) ]] && [[ $line != *unrecovered* ]] && vals+=("${BASH_REMATCH[1]}")
  done
  s=$(printf '%s\n' "${vals[@]}" | grep . | summary)
  [ ${#vals[@]} -eq "$runs" ] || s="$s; $((runs - ${#vals[@]})) of $runs runs did not recover"
  result[$key]=$s
}

if [ "$only" != hactl ]; then
  if command -v keepalived >/dev/null 2>&1; then
    echo "keepalived $(keepalived --version 2>&1 | head -n 1 | awk '{print $2}'): $runs runs per row" >&2
    series ka-power-0.1 keepalived power 0.1
    series ka-power-1 keepalived power 1
    series ka-kill-0.1 keepalived kill 0.1
    series ka-kill-1 keepalived kill 1
  else
    ka_note="keepalived not installed"
  fi
fi
hactl_state=
if [ "$only" != keepalived ]; then
  if hactl_agent_available "$HACTL"; then
    echo "hactl ($HACTL): $runs runs per row" >&2
    series hactl-power hactl power 1s
    series hactl-kill hactl kill 1s
  else
    hactl_state="hactl: node agent not built yet"
  fi
fi

cell() { echo "${result[$1]:-${2:--}}"; }
echo
echo "Client-visible outage (longest gap between two HTTP 200 answers; probe every 50 ms, 200 ms timeout),"
echo "median of $runs fresh runs (min–max), this machine, this run:"
echo
fmt='| %-38s | %-30s | %-30s | %-30s |\n'
printf "$fmt" fault "keepalived VRRPv3 advert 0.1 s" "keepalived VRRPv3 advert 1 s" "hactl (defaults, monitor 1 s)"
printf '|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..40})" "$(printf -- '-%.0s' {1..32})" "$(printf -- '-%.0s' {1..32})" "$(printf -- '-%.0s' {1..32})"
printf "$fmt" "node power-off (httpd1)" "$(cell ka-power-0.1 "${ka_note:--}")" \
  "$(cell ka-power-1 "${ka_note:--}")" "$(cell hactl-power "${hactl_state:+node agent not built yet}")"
printf "$fmt" "web server killed (check/monitor 1 s)" "$(cell ka-kill-0.1 "${ka_note:--}")" \
  "$(cell ka-kill-1 "${ka_note:--}")" "$(cell hactl-kill "${hactl_state:+node agent not built yet}")"
echo
[ -z "$hactl_state" ] || echo "$hactl_state"
echo
echo "Anchors, Pacemaker 2.1.5 + Corosync 3.1.7, measured earlier on this kind of machine (not in this run;"
echo "median of 3, same probe):"
echo "  node power-off, Corosync defaults (token 3000 ms)    6.80 s"
echo "  node power-off, token 1000 ms                        2.45 s"
echo "  Apache killed, monitor interval 1 s                  1.40 s"
