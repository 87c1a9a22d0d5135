#!/usr/bin/env bash
# Real node agents on loopback: time from `cluster start` on every node to an
# agreed DC, resident memory of an idle agent, and kill -9 detection time
# (median and p99 over RUNS kills), printed beside Corosync/Pacemaker's figures.
# The simulated-network figures (10/100/500 nodes, bytes per node per second)
# come from the net benches: see bench/README.md.
# Usage: bench/membership/run.sh [RUNS] [NODES]    (defaults 20, 3)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
hactl=${HACTL:-$top/build/cmd/hactl}
runs=${1:-20}
nodes=${2:-3}
[ -x "$hactl" ] || { echo "build hactl first (.ci/build)" >&2; exit 1; }
work=$(mktemp -d)
port=$((30000 + $$ % 20000))
subnet=$((100 + $$ % 100))
pids=()
cleanup() {
  for r in "$work"/r*; do
    [ -f "$r/run/hactl/hactl.pid" ] && kill -9 "$(cat "$r/run/hactl/hactl.pid")" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
ms() { echo $(( $(date +%s%N) / 1000000 )); }
on() { local i=$1; shift; HACTL_ROOT="$work/r$i" "$hactl" "$@"; }

spec=""
for ((i = 1; i <= nodes; i++)); do spec+=" n$i addr=127.0.$subnet.$i:$port"; done
on 1 cluster setup Bench $spec >/dev/null 2>&1
for ((i = 2; i <= nodes; i++)); do mkdir -p "$work/r$i/etc"; cp -a "$work/r1/etc/hactl" "$work/r$i/etc/"; done
timeout_ms=$(awk -F' = ' '/failure_timeout_ms/ {print $2}' "$work/r1/etc/hactl/cluster.conf")

# Start every node at once; done when every node names the same DC with quorum.
t0=$(ms)
for ((i = 1; i <= nodes; i++)); do on $i cluster start --node=n$i >/dev/null 2>&1 & done
wait
agreed=""
for _ in $(seq 1 500); do
  dcs=$(for ((i = 1; i <= nodes; i++)); do on $i --output-as json cluster status 2>/dev/null | awk -F'"' '/"dc"/ {print $4}'; done | sort -u)
  quorate=$(for ((i = 1; i <= nodes; i++)); do on $i --output-as json cluster status 2>/dev/null | grep -c '"quorate": true' || true; done | paste -sd+ | bc)
  if [ "$(echo "$dcs" | wc -l)" = 1 ] && [ -n "$dcs" ] && [ "$quorate" = "$nodes" ]; then agreed=$(( $(ms) - t0 )); break; fi
  sleep 0.01
done
sleep 2
# Membership traffic of an idle node over 10 s (UDP payload bytes sent).
bytes_of() { on 1 --output-as json cluster status 2>/dev/null | tr -d ' \n' | sed -n 's/.*"bytes_sent":\([0-9]*\).*/\1/p'; }
b0=$(bytes_of); sleep 10; b1=$(bytes_of)
bps=$(( (b1 - b0) / 10 ))
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$(cat "$work/r1/run/hactl/hactl.pid")/status")

# Detection: kill -9 the last node, time until node 1 reports it lost; restart it.
times=()
for ((r = 0; r < runs; r++)); do
  victim=$nodes
  pid=$(cat "$work/r$victim/run/hactl/hactl.pid")
  t=$(ms); kill -9 "$pid"
  for _ in $(seq 1 1000); do
    on 1 --output-as json cluster status 2>/dev/null | grep -q "\"name\": \"n$victim\", \"state\": \"lost\"" && break
    on 1 --output-as json cluster status 2>/dev/null | tr -d ' \n' | grep -q "\"name\":\"n$victim\",\"state\":\"lost\"" && break
    sleep 0.005
  done
  times+=($(( $(ms) - t )))
  rm -f "$work/r$victim/run/hactl/hactl.pid"
  on $victim cluster start --node=n$victim >/dev/null 2>&1
  for _ in $(seq 1 300); do
    on 1 --output-as json cluster status 2>/dev/null | tr -d ' \n' | grep -q "\"name\":\"n$victim\",\"state\":\"member\"" && break
    sleep 0.01
  done
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
median=$(echo "$sorted" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
p99=$(echo "$sorted" | awk '{a[NR]=$1} END {i=int(NR*0.99); if (i<1) i=1; print a[i]}')
max=$(echo "$sorted" | tail -1)

printf '%-44s %14s %24s\n' "figure ($nodes agents on loopback)" hactl "Corosync+Pacemaker"
printf '%-44s %11s ms %24s\n' "cluster start -> agreed DC with quorum" "${agreed:-timeout}" "22600 ms (dc-deadtime)"
printf '%-44s %9s B/s %24s\n' "membership traffic sent per node (idle)" "$bps" ""
printf '%-44s %11s MB %24s\n' "idle agent resident memory" "$(awk -v k="$rss_kb" 'BEGIN{printf "%.1f", k/1024}')" "216 MB (8 daemons)"
printf '%-44s %11s ms %24s\n' "kill -9 -> peer declared lost (median)" "$median" "~6400 ms (token 3000)"
printf '%-44s %11s ms %24s\n' "kill -9 -> peer declared lost (p99, max)" "$p99, $max" ""
echo "failure_timeout_ms=$timeout_ms, $runs kills; detection includes the 5 ms polling of 'cluster status'"
