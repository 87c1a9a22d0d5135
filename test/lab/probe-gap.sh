# The client-visible outage from a probe log (lines "START_US END_US CODE NODE"):
# the longest time between the ends of two consecutive successful (HTTP 200)
# answers. Prints one line:
#   outage_s=S from_us=T to_us=T requests=N ok=N failed=N served=NODE:N,... [unrecovered=1]
# unrecovered=1: the log ends with failures lasting longer than the longest gap
# (then outage_s is measured to the last request). Exit 1 if no request succeeded.
# --since US / --until US: only the requests started in that window (e.g. one failure
# of a longer run).
set -u
since=0 until=0
while [ $# -gt 1 ]; do
  case $1 in
    --since) since=$2 ;;
    --until) until=$2 ;;
    *) break ;;
  esac
  shift 2
done
[ $# -eq 1 ] && [ -f "$1" ] || { echo "usage: probe-gap.sh [--since US] [--until US] LOG" >&2; exit 2; }
awk -v since="$since" -v until="$until" '
  NF >= 4 && $1 >= since + 0 && (until + 0 == 0 || $1 <= until + 0) {
    n++
    if ($3 != "200") { failed++; lastend = $2; next }
    good++; served[$4]++
    if (last != "" && $2 - last > best) { best = $2 - last; from = last; to = $2 }
    last = $2; lastend = $2
  }
  END {
    if (good == 0) { printf "outage_s=inf requests=%d ok=0 failed=%d\n", n, failed; exit 1 }
    unrec = 0
    if (lastend - last > best) { best = lastend - last; from = last; to = lastend; unrec = 1 }
    s = ""
    for (k in served) s = s (s == "" ? "" : ",") k ":" served[k]
    printf "outage_s=%.3f from_us=%.0f to_us=%.0f requests=%d ok=%d failed=%d served=%s%s\n",
           best / 1e6, from, to, n, good, failed, s, unrec ? " unrecovered=1" : ""
  }' "$1"
