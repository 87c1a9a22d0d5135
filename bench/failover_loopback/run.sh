#!/bin/sh
# Failover on loopback: two real node agents (own roots, 127.0.N.x), one Dummy
# resource preferring n1; kill -9 n1's agent (and drop its resources, as a
# power-off would) and time until the resource has started on n2. Five runs,
# median printed beside the configured failure timeout.
# Usage: bench/failover_loopback/run.sh [path/to/hactl]
set -eu
HACTL=${1:-build/cmd/hactl}
HACTL=$(cd "$(dirname "$HACTL")" && pwd)/$(basename "$HACTL")
RUNS=5
DIR=$(mktemp -d)
PORT=$((30000 + $$ % 20000))
PIDS=""
cleanup() { for p in $PIDS; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$DIR"; }
trap cleanup EXIT INT TERM
ms() { date +%s%3N; }
on() { n=$1; shift; HACTL_ROOT="$DIR/r$n" "$HACTL" "$@"; }
agent_pid() { cat "$DIR/r$1/run/hactl/hactl.pid"; }
wait_file() {  # file, timeout ms
  deadline=$(( $(ms) + $2 ))
  while [ ! -e "$1" ]; do [ "$(ms)" -lt "$deadline" ] || return 1; sleep 0.01; done
}

on 1 cluster setup Bench n1 addr=127.0.99.1:$PORT n2 addr=127.0.99.2:$PORT >/dev/null 2>&1
mkdir -p "$DIR/r2/etc" && cp -a "$DIR/r1/etc/hactl" "$DIR/r2/etc/"
TIMEOUT=$(sed -n 's/^ *failure_timeout_ms *[=:] *\([0-9]*\).*/\1/p' "$DIR/r1/etc/hactl/cluster.conf" | head -1)
for n in 1 2; do on $n cluster start --node=n$n 2>/dev/null; PIDS="$PIDS $(agent_pid $n)"; done
on 1 property set stonith-enabled=false no-quorum-policy=ignore
on 1 resource create R ocf:pacemaker:Dummy op monitor interval=1s
on 1 constraint location R prefers n1=50 >/dev/null

times=""
for i in $(seq 1 $RUNS); do
  wait_file "$DIR/r1/run/hactl/Dummy-R.state" 20000 || { echo "R did not start on n1" >&2; exit 1; }
  on 2 status >/dev/null
  sleep 1  # let monitors and membership settle before the next kill
  p=$(agent_pid 1)
  t0=$(ms)
  kill -9 "$p"
  rm -f "$DIR"/r1/run/hactl/Dummy-*.state "$DIR/r1/run/hactl/hactl.pid"
  wait_file "$DIR/r2/run/hactl/Dummy-R.state" 20000 || { echo "no failover" >&2; exit 1; }
  t=$(( $(ms) - t0 ))
  times="$times $t"
  echo "run $i: ${t} ms"
  on 1 cluster start --node=n1 2>/dev/null; PIDS="$PIDS $(agent_pid 1)"
  # Without stickiness R returns to n1; wait until it left n2.
  deadline=$(( $(ms) + 20000 ))
  while [ -e "$DIR/r2/run/hactl/Dummy-R.state" ]; do [ "$(ms)" -lt "$deadline" ] || break; sleep 0.01; done
done
median=$(printf '%s\n' $times | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
echo "failover (kill -9 -> started on survivor), median of $RUNS: ${median} ms; configured failure timeout: ${TIMEOUT:-?} ms"
