#!/usr/bin/env bash
# Times the same ten configuration commands with `hactl -f` and with `pcs -f`
# (and crm_verify / crm_mon on the resulting file), each on a fresh copy of the
# same CIB, and prints the median wall time and peak RSS per command and the ratio.
# Usage: bench/cli_latency/run.sh [RUNS]   (default 5; needs pcs and GNU time for pcs figures)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
hactl=${HACTL:-$top/build/cmd/hactl}
runs=${1:-5}
[ -x "$hactl" ] || { echo "build hactl first (.ci/build)" >&2; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export HACTL_ROOT="$work/root"

commands=(
  "property set stonith-enabled=false"
  "property set no-quorum-policy=ignore"
  "resource defaults update migration-threshold=1"
  "resource create IPClusterWeb ocf:heartbeat:IPaddr2 ip=192.168.5.150 cidr_netmask=32 op monitor interval=10s"
  "constraint location IPClusterWeb prefers httpd1=INFINITY"
  "resource create WebSite ocf:heartbeat:apache configfile=/etc/httpd/conf/httpd.conf statusurl=http://localhost/server-status op monitor interval=1min"
  "constraint colocation add IPClusterWeb with WebSite INFINITY"
  "constraint order IPClusterWeb then WebSite"
  "constraint"
  "resource config"
)

# measure CMD... -> "milliseconds max_rss_kb": wall time from the nanosecond
# clock (GNU time only has 10 ms resolution), peak RSS from a second run under GNU time.
measure() {
  local s e m=0
  s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N)
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%M' -o "$work/t" "$@" >/dev/null 2>&1 || true
    m=$(tail -1 "$work/t")
  fi
  echo "$(( (e - s) / 1000 )) $m"
}
ms_of() { awk '{printf "%.1f", $1/1000}'; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# Builds the state before command i on a fresh file with the given tool.
prepare() { # tool file i
  local tool=$1 file=$2 i=$3
  rm -f "$file"; cibadmin --empty > "$file" 2>/dev/null || : > "$file"
  for ((j = 0; j < i; j++)); do
    if [ "$tool" = pcs ]; then pcs -f "$file" ${commands[j]} >/dev/null 2>&1 || true
    else "$hactl" -f "$file" ${commands[j]} >/dev/null 2>&1 || true; fi
  done
}

have_pcs=0; command -v pcs >/dev/null && have_pcs=1
printf '%-62s %12s %10s %12s %10s %8s\n' command "hactl ms" "hactl MB" "pcs ms" "pcs MB" ratio
all_h=(); all_p=(); rss_h=(); rss_p=()
for i in "${!commands[@]}"; do
  c=${commands[i]}
  prepare hactl "$work/h.xml" "$i"; cp "$work/h.xml" "$work/h0.xml"
  th=(); mh=()
  for ((r = 0; r < runs; r++)); do
    cp "$work/h0.xml" "$work/h.xml"
    read -r t m < <(cp "$work/h0.xml" "$work/h.xml"; measure "$hactl" -f "$work/h.xml" $c); th+=("$t"); mh+=("$m")
  done
  h_ms=$(printf '%s\n' "${th[@]}" | median | ms_of); h_mb=$(printf '%s\n' "${mh[@]}" | median | awk '{printf "%.1f",$1/1024}')
  p_ms=-; p_mb=-; ratio=-
  if [ $have_pcs = 1 ]; then
    prepare pcs "$work/p.xml" "$i"; cp "$work/p.xml" "$work/p0.xml"
    tp=(); mp=()
    for ((r = 0; r < runs; r++)); do
      cp "$work/p0.xml" "$work/p.xml"
      read -r t m < <(cp "$work/p0.xml" "$work/p.xml"; measure pcs -f "$work/p.xml" $c); tp+=("$t"); mp+=("$m")
    done
    p_ms=$(printf '%s\n' "${tp[@]}" | median | ms_of); p_mb=$(printf '%s\n' "${mp[@]}" | median | awk '{printf "%.1f",$1/1024}')
    ratio=$(awk -v p="$p_ms" -v h="$h_ms" 'BEGIN{ printf "%.0fx", p/h }')
    all_p+=("$p_ms")
  fi
  all_h+=("$h_ms")
  printf '%-62s %12s %10s %12s %10s %8s\n' "${c:0:62}" "$h_ms" "$h_mb" "$p_ms" "$p_mb" "$ratio"
done
echo
H=$(printf '%s\n' "${all_h[@]}" | median)
echo "median per command: hactl ${H} ms"
if [ $have_pcs = 1 ]; then
  P=$(printf '%s\n' "${all_p[@]}" | median)
  echo "median per command: pcs ${P} ms   -> hactl is $(awk -v p="$P" -v h="$H" 'BEGIN{ if (h>0) printf "%.0f", p/h; else print "inf" }')x faster (target: 100x)"
fi
if command -v crm_verify >/dev/null; then
  tv=(); th=(); tm=()
  for ((r = 0; r < runs; r++)); do
    read -r t m < <(measure crm_verify -x "$work/h.xml"); tv+=("$t")
    read -r t m < <(measure "$hactl" -f "$work/h.xml" cluster verify); th+=("$t")
    read -r t m < <(CIB_file="$work/h.xml" measure crm_mon -1); tm+=("$t")
  done
  echo "crm_verify -x: $(printf '%s\n' "${tv[@]}" | median | ms_of) ms   hactl cluster verify: $(printf '%s\n' "${th[@]}" | median | ms_of) ms   crm_mon -1 (CIB_file): $(printf '%s\n' "${tm[@]}" | median | ms_of) ms"
fi
