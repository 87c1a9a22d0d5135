#!/usr/bin/env bash
# Network and process faults in the namespace lab, with invariant checks and the
# time to recover from each:
#
#   2 nodes, the tutorial's cluster (VIP + Apache, no-quorum-policy=ignore):
#     packet loss 20% on httpd1, delay 50 ms on both nodes, a partition of httpd1
#     (its switch port down, both directions), httpd1 frozen (SIGSTOP) for 2 s.
#   3 nodes, Dummy only (no-quorum-policy=stop):
#     a partition of the node running the resource (the minority must stop it),
#     an agent that hangs in stop (op_sleep longer than the stop timeout),
#     a flapping monitor (the Dummy's state removed again and again).
#
#   test/lab/faults.sh HACTL_BINARY
#
# Exit 0 pass, 1 fail, 77 skipped (not root, no namespaces or tc, no node agent).
# Every figure is printed as "figure: NAME VALUE" (docs/RELIABILITY.md quotes them).
# FAULTS_ONLY=partition3 runs only the 3-node partition scenario (for reproducing it alone).
set -u
here=$(cd "$(dirname "$0")" && pwd)
HACTL=${1:-${HACTL:-}}
[ -n "$HACTL" ] && [ -x "$HACTL" ] || { echo "FAIL: usage: faults.sh HACTL_BINARY (got '${HACTL}')"; exit 1; }
HACTL=$(cd "$(dirname "$HACTL")" && pwd)/$(basename "$HACTL")
# shellcheck source=lab.sh
source "$here/lab.sh"
# shellcheck source=hactl_cluster.sh
source "$here/hactl_cluster.sh"

lab_require
command -v tc >/dev/null 2>&1 || lab_skip "'tc' (iproute2) is not installed"
if ! hactl_agent_available "$HACTL"; then
  echo "SKIP: node agent not available ('hactl cluster start' is not in this build)"
  exit 77
fi

STEP=
FROZEN=()       # pids this script stopped (SIGCONT on exit whatever happens)
say() { printf '\n== %s\n' "$*"; STEP=$*; }
mark() { echo "${EPOCHREALTIME/./}"; }
ms_since() { echo $((($(mark) - $1) / 1000)); }
figure() { echo "figure: $*"; }

diagnose() {
  local n lf
  for n in "${LAB_NODES[@]}"; do
    [ -n "${LAB_INIT[$n]:-}" ] || { echo "--- $n: powered off"; continue; }
    echo "--- $n: hactl status"; h "$n" status 2>&1 | sed 's/^/    /'
    lf=$(lab_node_root "$n")/var/log/hactl/hactl.log
    [ -f "$lf" ] && { echo "--- $n: last lines of its log"; tail -n 25 "$lf" | sed 's/^/    /'; }
  done
}
fail() { echo "FAIL [$STEP]: $*"; diagnose; exit 1; }
run() {
  local n=$1 out rc; shift
  out=$(h "$n" "$@" 2>&1); rc=$?
  [ $rc -eq 0 ] || { printf '%s\n' "$out"; fail "'hactl $*' on $n exited $rc"; }
}

# Faults are undone whatever happens: qdiscs deleted, switch ports up, stopped pids continued.
undo_faults() {
  local n p
  for p in "${FROZEN[@]}"; do kill -CONT "$p" 2>/dev/null; done
  FROZEN=()
  [ "$LAB_UP" = 1 ] || return 0
  for n in "${LAB_NODES[@]}"; do
    ip netns exec "hlab-$n-$LAB_ID" tc qdisc del dev eth0 root 2>/dev/null
    ip -n "$LAB_SW" link set "v-$n" up 2>/dev/null
  done
}
finish() { undo_faults; lab_down; }

netem() {  # NODE ARGS...   (on the node's eth0, outgoing)
  local n=$1; shift
  ip netns exec "hlab-$n-$LAB_ID" tc qdisc add dev eth0 root netem "$@" || fail "tc netem $* on $n"
}
netem_off() { ip netns exec "hlab-$1-$LAB_ID" tc qdisc del dev eth0 root 2>/dev/null; }
cut() { ip -n "$LAB_SW" link set "v-$1" down || fail "cannot cut $1"; }
heal() { ip -n "$LAB_SW" link set "v-$1" up || fail "cannot heal $1"; }

# Every process of the node but its INIT (the node's pid namespace, seen from here).
node_pids() {
  local init=${LAB_INIT[$1]} ns p out=()
  ns=$(readlink "/proc/$init/ns/pid") || return 1
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    [ "$p" = "$init" ] && continue
    [ "$(readlink "/proc/$p/ns/pid" 2>/dev/null)" = "$ns" ] && out+=("$p")
  done
  echo "${out[*]}"
}

# ---- invariants -------------------------------------------------------------
# 2-node: the VIP on one node at most and Apache on one node at most.
double_web() {
  local a=0 n
  [ "$(wc -w <<<"$(vip_holders)")" -gt 1 ] && return 0
  for n in "${LAB_NODES[@]}"; do apache_running "$n" && a=$((a + 1)); done
  [ $a -gt 1 ]
}
# Samples for SECS seconds; fails when the resources are active twice.
watch_single_web() {  # SECS WHAT
  local end=$((${EPOCHREALTIME/./} + $1 * 1000000))
  while ((${EPOCHREALTIME/./} < end)); do
    double_web && fail "$2: active on two nodes (VIP on '$(vip_holders)') without a partition"
    sleep 0.1
  done
}
web_on() {  # NODE: VIP and Apache there only, the page through the VIP comes from it, both nodes online
  local n=$1 o
  o=$([ "$n" = httpd1 ] && echo httpd2 || echo httpd1)
  [ "$(vip_holders)" = "$n" ] && apache_running "$n" && ! apache_running "$o" && [ "$(fetch_page)" = "200 $n" ] &&
    online_all
}
online_all() {
  local n want
  want="${LAB_NODES[*]}"
  for n in "${LAB_NODES[@]}"; do [ "$(hactl_online_nodes "$n")" = "$want" ] || return 1; done
}
# Dummy resource R: the nodes that hold its state file.
dummy_holders() {
  local r=$1 n out=()
  for n in "${LAB_NODES[@]}"; do [ -e "$(lab_node_root "$n")/run/hactl/Dummy-$r.state" ] && out+=("$n"); done
  echo "${out[*]}"
}
dummy_single() { [ "$(wc -w <<<"$(dummy_holders "$1")")" = 1 ]; }
dummy_on() { [ "$(dummy_holders "$1")" = "$2" ]; }

ONLY=${FAULTS_ONLY:-}
[ -z "$ONLY" ] || [ "$ONLY" = partition3 ] || { echo "FAIL: unknown FAULTS_ONLY '$ONLY' (known: partition3)"; exit 1; }
FT=

# ============================================================================
# Part 1: the tutorial's two nodes.
if [ -z "$ONLY" ]; then
lab_up httpd1 httpd2
trap finish EXIT

say "2 nodes: the tutorial's cluster"
hactl_tutorial_cluster 1s; rc=$?
[ $rc -eq 77 ] && { echo "SKIP: node agent not available"; exit 77; }
[ $rc -eq 0 ] || fail "setting up the tutorial's cluster"
FT=$(sed -n 's/^failure_timeout_ms *= *//p' "$(lab_node_root httpd1)/etc/hactl/cluster.conf")
echo "failure_timeout_ms = ${FT:-?} (cluster.conf)"
figure failure_timeout_ms "${FT:-?}"
wait_for 30 web_on httpd1 || fail "the resources never ran on httpd1"
echo "ok: VIP and Apache on httpd1"

# netem is a kernel module (sch_netem) that some kernels lack: then loss and delay are
# not run, and that is said (they are not counted as passed).
HAVE_NETEM=no
if ip netns exec "hlab-httpd1-$LAB_ID" tc qdisc add dev eth0 root netem delay 0ms 2>/dev/null; then
  HAVE_NETEM=yes; netem_off httpd1
fi
if [ $HAVE_NETEM = no ]; then
  say "2 nodes: packet loss and delay"
  echo "NOT RUN: this kernel has no netem qdisc (sch_netem); loss and delay were not injected"
  figure loss20_recover_ms not-run
  figure delay50_failovers not-run
else
say "2 nodes: 20% packet loss on httpd1 for 8 s"
netem httpd1 loss 20%
watch_single_web 8 "packet loss"
moved=no; [ "$(vip_holders)" = httpd1 ] || moved=yes
netem_off httpd1
t=$(mark)
wait_for 20 web_on httpd1 || fail "not back on httpd1 after the loss ended (VIP on '$(vip_holders)')"
echo "ok: never active twice; resources moved during the loss: $moved; settled on httpd1 $(ms_since "$t") ms after"
figure loss20_recover_ms "$(ms_since "$t")"
figure loss20_moved "$moved"

say "2 nodes: 50 ms delay on both nodes for 6 s"
netem httpd1 delay 50ms
netem httpd2 delay 50ms
watch_single_web 6 "delay"
[ "$(vip_holders)" = httpd1 ] || fail "a 100 ms round trip moved the resources (VIP on '$(vip_holders)')"
online_all || fail "a 100 ms round trip made a node OFFLINE"
netem_off httpd1; netem_off httpd2
echo "ok: never active twice, no failover, both nodes online throughout the end check"
figure delay50_failovers 0
fi

say "2 nodes: httpd1 cut from the switch for 8 s"
t=$(mark)
cut httpd1
wait_for 15 eval '[ "$(vip_holders)" = "httpd1 httpd2" ] && apache_running httpd2' ||
  fail "httpd2 did not take over during the partition (VIP on '$(vip_holders)')"
took=$(ms_since "$t")
echo "ok: httpd2 took over ${took} ms after the cut (each side runs the resources: no quorum policy, no fencing)"
figure partition2_takeover_ms "$took"
sleep 5
heal httpd1
t=$(mark)
wait_for 20 web_on httpd1 || fail "after healing, not back to one copy on httpd1 (VIP on '$(vip_holders)')"
echo "ok: one copy again, on httpd1, $(ms_since "$t") ms after healing"
figure partition2_heal_ms "$(ms_since "$t")"
watch_single_web 2 "after healing"

say "2 nodes: httpd1 frozen (SIGSTOP) for 2 s"
read -r -a pids <<<"$(node_pids httpd1)"
[ ${#pids[@]} -gt 0 ] || fail "no process found on httpd1"
FROZEN=("${pids[@]}")
t=$(mark)
kill -STOP "${pids[@]}"
sleep 2
kill -CONT "${pids[@]}"
FROZEN=()
took_over=no; apache_running httpd2 && took_over=yes
t2=$(mark)
wait_for 20 web_on httpd1 || fail "after the freeze, not back to one copy on httpd1 (VIP on '$(vip_holders)')"
echo "ok: ${#pids[@]} processes stopped 2 s; httpd2 took over meanwhile: $took_over; one copy on httpd1 $(ms_since "$t2") ms after SIGCONT"
figure freeze2s_recover_ms "$(ms_since "$t2")"
figure freeze2s_takeover "$took_over"
watch_single_web 2 "after the freeze"
h httpd1 cluster stop --all >/dev/null 2>&1
undo_faults
lab_down
trap - EXIT
fi

# ============================================================================
# Part 2: three nodes, Dummy only, quorum policy stop.
lab_up httpd1 httpd2 httpd3
trap finish EXIT
say "3 nodes: Dummy only, no-quorum-policy=stop"
run httpd1 cluster setup Faults httpd1 addr="${LAB_ADDR[httpd1]}" httpd2 addr="${LAB_ADDR[httpd2]}" \
  httpd3 addr="${LAB_ADDR[httpd3]}"
hactl_copy_conf httpd1 httpd2 httpd3
[ -n "$FT" ] || FT=$(sed -n 's/^failure_timeout_ms *= *//p' "$(lab_node_root httpd1)/etc/hactl/cluster.conf")
hactl_start_all || fail "cluster start --all"
run httpd1 property set stonith-enabled=false
run httpd1 property set no-quorum-policy=stop
run httpd1 resource create D ocf:pacemaker:Dummy op monitor interval=1s
run httpd1 constraint location D prefers httpd3=50
wait_for 20 eval 'online_all && dummy_on D httpd3' || fail "D never ran on httpd3 (on '$(dummy_holders D)')"
echo "ok: D on httpd3"

say "3 nodes: httpd3 (running D) cut from the switch for 6 s"
t=$(mark)
cut httpd3
stopped_ms= started_ms=
for ((i = 0; i < 300; i++)); do
  holders=$(dummy_holders D)
  [ -z "$stopped_ms" ] && [[ " $holders " != *" httpd3 "* ]] && stopped_ms=$(ms_since "$t")
  [ -z "$started_ms" ] && [[ $holders =~ httpd[12] ]] && started_ms=$(ms_since "$t")
  [ -n "$stopped_ms" ] && [ -n "$started_ms" ] && break
  sleep 0.05
done
[ -n "$stopped_ms" ] || fail "the minority httpd3 never stopped D"
[ -n "$started_ms" ] || fail "the majority never started D"
# Bound: the failure timeout, the suspicion and a DC election, then one stop (the Dummy stops at once).
bound=$((FT * 3 + 2000))
echo "ok: minority stopped D ${stopped_ms} ms after the cut (bound ${bound} ms); majority started it at ${started_ms} ms"
((stopped_ms <= bound)) || fail "the minority stopped D after ${stopped_ms} ms, more than ${bound} ms"
figure partition3_minority_stop_ms "$stopped_ms"
figure partition3_majority_start_ms "$started_ms"
end=$(($(mark) + 4000000))
while (($(mark) < end)); do
  dummy_single D || fail "D on '$(dummy_holders D)' during the partition, after the minority stopped"
  sleep 0.1
done
heal httpd3
t=$(mark)
wait_for 20 eval 'online_all && dummy_on D httpd3' || fail "after healing D is on '$(dummy_holders D)', not httpd3 only"
echo "ok: after healing, D back on httpd3 only, $(ms_since "$t") ms"
figure partition3_heal_ms "$(ms_since "$t")"
if [ "$ONLY" = partition3 ]; then
  h httpd1 cluster stop --all >/dev/null 2>&1
  echo "PASS: fault injection (partition3 only)"
  exit 0
fi

say "3 nodes: an agent that hangs in stop (op_sleep 4 s, stop timeout 1 s)"
run httpd1 resource create H ocf:pacemaker:Dummy op_sleep=4 op monitor interval=20s timeout=10s \
  op start timeout=10s op stop timeout=1s
run httpd1 constraint location H prefers httpd2=50
wait_for 20 dummy_on H httpd2 || fail "H never started on httpd2 (on '$(dummy_holders H)')"
t=$(mark)
run httpd1 resource move H httpd1
# The stop times out: H must not be started elsewhere while its stop failed (no fencing: it stays blocked).
end=$(($(mark) + 8000000))
while (($(mark) < end)); do
  [ "$(wc -w <<<"$(dummy_holders H)")" -gt 1 ] && fail "H started on '$(dummy_holders H)' while its stop had failed"
  sleep 0.1
done
h httpd1 status 2>&1 | grep -E 'H|stop' | sed 's/^/    /'
h httpd1 status 2>/dev/null | grep -q 'H_stop_0\|H stop\|stop.*H' || fail "status does not show the failed stop of H"
echo "ok: the stop timed out, H was not started elsewhere"
run httpd1 resource update H op_sleep=0
t=$(mark)
run httpd1 resource cleanup H
wait_for 30 dummy_on H httpd1 || fail "after cleanup, H is on '$(dummy_holders H)', not httpd1"
echo "ok: after cleanup H runs on httpd1 only, $(ms_since "$t") ms"
figure hung_stop_cleanup_recover_ms "$(ms_since "$t")"
run httpd1 resource delete H

say "3 nodes: a flapping monitor (D's state removed 5 times)"
worst=0 total=0
for ((k = 1; k <= 5; k++)); do
  where=$(dummy_holders D)
  [ "$(wc -w <<<"$where")" = 1 ] || fail "flap $k: D on '$where'"
  rm -f "$(lab_node_root "$where")/run/hactl/Dummy-D.state"
  t=$(mark)
  # Recovered: D running on one node again (a monitor failure, a stop, a start).
  wait_for 15 dummy_single D || fail "flap $k: D not restarted (on '$(dummy_holders D)')"
  took=$(ms_since "$t")
  echo "flap $k on $where: running again on $(dummy_holders D) after ${took} ms"
  total=$((total + took)); ((took > worst)) && worst=$took
  sleep 1.2
  dummy_single D || fail "flap $k: D on '$(dummy_holders D)'"
done
echo "ok: 5 monitor failures recovered, mean $((total / 5)) ms, worst ${worst} ms (monitor interval 1 s)"
figure flap_recover_mean_ms $((total / 5))
figure flap_recover_worst_ms "$worst"
h httpd1 status 2>&1 | sed 's/^/    /'

h httpd1 cluster stop --all >/dev/null 2>&1
echo "PASS: fault injection"
