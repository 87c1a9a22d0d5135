#!/bin/sh
# The agent's event loop under load: a loopback cluster of NODES agents (own
# roots, 127.0.99.x), COUNT built-in Dummy resources pushed in one cib-push,
# a CPU hog (`yes`) running beside them. Meanwhile every agent's IPC socket is
# pinged every 50 ms. Prints the worst ping latency, the time from the push
# until every resource runs (a state file on some node), the most resources
# seen on two nodes at once (sampled from the state files, not from status),
# the membership "suspect"/"dead" events logged meanwhile (false node
# deaths: no agent is killed here), and how many status versions the DC
# committed (status deltas to the members; the store written behind the
# loop), and the most memory (VmRSS) each agent used meanwhile.
# Then (KILL_DC=1, the default, with NODES >= 3) the coordinator n1 dies as a
# machine dies: kill -9 of its agent and its resources gone with it (their
# state files removed); printed: the time until every resource runs again on
# the survivors.
# Usage: bench/loaded_loop/run.sh [path/to/hactl] [COUNT] [NODES] [HOG: 1|0]
set -eu
HACTL=${1:-build/cmd/hactl}
HACTL=$(cd "$(dirname "$HACTL")" && pwd)/$(basename "$HACTL")
COUNT=${2:-300}
NODES=${3:-3}
HOG=${4:-1}
LIMIT_S=${LIMIT_S:-180}
DIR=$(mktemp -d)
[ -n "${KEEP:-}" ] && echo "dir $DIR" >&2
PORT=$((30000 + $$ % 20000))
PIDS=""
cleanup() { for p in $PIDS; do kill -9 "$p" 2>/dev/null || true; done; [ -n "${KEEP:-}" ] && echo "kept $DIR" || rm -rf "$DIR"; }
trap cleanup EXIT INT TERM
ms() { date +%s%3N; }
on() { n=$1; shift; HACTL_ROOT="$DIR/r$n" "$HACTL" "$@"; }

spec=""
for n in $(seq 1 "$NODES"); do spec="$spec n$n addr=127.0.99.$n:$PORT"; done
# shellcheck disable=SC2086
on 1 cluster setup Bench $spec >/dev/null 2>&1
for n in $(seq 2 "$NODES"); do mkdir -p "$DIR/r$n/etc" && cp -a "$DIR/r1/etc/hactl" "$DIR/r$n/etc/"; done
AGENTS=""
for n in $(seq 1 "$NODES"); do
  on "$n" cluster start --node="n$n" 2>/dev/null
  AGENTS="$AGENTS $(cat "$DIR/r$n/run/hactl/hactl.pid")"
done
PIDS="$AGENTS"
on 1 property set stonith-enabled=false no-quorum-policy=ignore

# The resources, written offline into a copy of the live CIB, pushed at once.
on 1 cluster cib > "$DIR/push.xml"
i=1
while [ "$i" -le "$COUNT" ]; do
  echo "resource create D$i ocf:pacemaker:Dummy op monitor interval=10s"
  i=$((i + 1))
done > "$DIR/cmds"
while read -r line; do
  # shellcheck disable=SC2086
  HACTL_ROOT="$DIR/r1" "$HACTL" -f "$DIR/push.xml" $line >/dev/null
done < "$DIR/cmds"
sleep 2  # membership and the first transition settle before the load starts

if [ "$HOG" = 1 ]; then
  yes > /dev/null &
  PIDS="$PIDS $!"
fi
socks=""
for n in $(seq 1 "$NODES"); do socks="$socks $DIR/r$n/run/hactl/hactl.sock"; done
# shellcheck disable=SC2086
python3 - "$DIR/stop" "$DIR/pings" $socks <<'PY' &
import json, os, socket, sys, time
stop, out, socks = sys.argv[1], sys.argv[2], sys.argv[3:]
worst = {s: 0.0 for s in socks}
while not os.path.exists(stop):
    for s in socks:
        t0 = time.monotonic()
        try:
            c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            c.settimeout(30)
            c.connect(s)
            c.sendall(b'{"op":"ping"}\n')
            c.shutdown(socket.SHUT_WR)
            while c.recv(65536):
                pass
            c.close()
        except OSError:
            pass
        worst[s] = max(worst[s], (time.monotonic() - t0) * 1000)
    time.sleep(0.05)
with open(out, "w") as f:
    f.write(" ".join("%.0f" % worst[s] for s in socks) + "\n")
PY
PINGER=$!
PIDS="$PIDS $PINGER"

t0=$(ms)
on 1 cluster cib-push "$DIR/push.xml" --config >/dev/null
started=-1
twice_max=0
rss_max=""
sample_rss() {
  out=""
  i=1
  for p in $AGENTS; do
    kb=$(awk '/^VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
    old=$(echo "$rss_max" | cut -d' ' -f"$i")
    [ -z "$old" ] && old=0
    [ "${kb:-0}" -gt "$old" ] && old=$kb
    out="$out $old"
    i=$((i + 1))
  done
  rss_max=$(echo $out)
}
deadline=$((t0 + LIMIT_S * 1000))
while [ "$(ms)" -lt "$deadline" ]; do
  ls "$DIR"/r*/run/hactl/ 2>/dev/null | grep '^Dummy-D.*\.state$' | sort > "$DIR/seen" || true
  running=$(uniq "$DIR/seen" | wc -l)
  twice=$(uniq -d "$DIR/seen" | wc -l)
  [ "$twice" -gt "$twice_max" ] && twice_max=$twice
  sample_rss
  if [ "$running" -ge "$COUNT" ] && [ "$started" -lt 0 ]; then started=$(( $(ms) - t0 )); break; fi
  sleep 0.2
done
sleep 1  # one more second of pings after the last start
touch "$DIR/stop"
wait "$PINGER" || true
lost=$(cat "$DIR"/r*/var/log/hactl/hactl.log | grep -c 'membership.* is \(suspect\|dead\)' || true)
# Every status commit of the DC bumps num_updates (reset by a configuration change: the push).
updates=$(on 1 cluster cib 2>/dev/null | grep -o 'num_updates="[0-9]*"' | head -1 | tr -dc 0-9)
echo "nodes=$NODES resources=$COUNT cpu_hog=$HOG"
echo "worst IPC ping per node (ms): $(cat "$DIR/pings")   [issue 12 before: 3500-7100 ms]"
if [ "$started" -ge 0 ]; then echo "all started after: $started ms"; else echo "all started after: NOT within $LIMIT_S s ($running/$COUNT)"; fi
echo "most resources on two nodes at once: $twice_max"
echo "most memory per agent meanwhile (VmRSS, MB; n1 first): $(for k in $rss_max; do printf '%s ' $((k / 1024)); done)"
echo "membership suspect/dead events (false node deaths): $lost"
echo "status versions committed since the push (num_updates): ${updates:-?}"

if [ "${KILL_DC:-1}" = 1 ] && [ "$NODES" -ge 3 ] && [ "$started" -ge 0 ]; then
  dc_pid=$(echo $AGENTS | cut -d' ' -f1)
  on_dc=$(ls "$DIR/r1/run/hactl/" 2>/dev/null | grep -c '^Dummy-D.*\.state$' || true)
  t1=$(ms)
  kill -9 "$dc_pid"
  rm -f "$DIR"/r1/run/hactl/Dummy-D*.state
  recovered=-1
  deadline=$((t1 + LIMIT_S * 1000))
  while [ "$(ms)" -lt "$deadline" ]; do
    running=$(ls "$DIR"/r2/run/hactl/ "$DIR"/r3/run/hactl/ 2>/dev/null | grep '^Dummy-D.*\.state$' | sort -u | wc -l)
    if [ "$running" -ge "$COUNT" ]; then recovered=$(( $(ms) - t1 )); break; fi
    sleep 0.05
  done
  if [ "$recovered" -ge 0 ]; then
    echo "coordinator n1 killed with $on_dc resources: all $COUNT running again after $recovered ms   [issue 12 before: 22-32 s at 85 resources]"
  else
    echo "coordinator n1 killed with $on_dc resources: NOT all running again within $LIMIT_S s ($running/$COUNT)"
  fi
fi
