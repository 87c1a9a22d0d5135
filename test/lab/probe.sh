# The client probe: requests URL every INTERVAL ms with a TIMEOUT ms limit and
# appends one line per request to LOG:
#   START_US END_US HTTP_CODE NODE
# (microseconds since the epoch; HTTP_CODE 000 = no answer; NODE = the <title>
# of the page, i.e. which server answered, or "-"). Bounded in time and count;
# also stops when STOP_FILE appears.
set -u
url= log= max_s=120 max_n=0 interval_ms=50 timeout_ms=200 stop=
while [ $# -gt 0 ]; do
  case $1 in
    --url) url=$2 ;;
    --log) log=$2 ;;
    --max-seconds) max_s=$2 ;;
    --max-requests) max_n=$2 ;;
    --interval-ms) interval_ms=$2 ;;
    --timeout-ms) timeout_ms=$2 ;;
    --stop-file) stop=$2 ;;
    *) echo "probe: unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done
[ -n "$url" ] && [ -n "$log" ] || { echo "usage: probe.sh --url URL --log LOG [--max-seconds S] [--max-requests N] [--interval-ms MS] [--timeout-ms MS] [--stop-file F]" >&2; exit 2; }
((max_n > 0)) || max_n=$((max_s * 1000 / interval_ms + 1))
timeout_s=$(printf '%d.%03d' $((timeout_ms / 1000)) $((timeout_ms % 1000)))
exec {tick}<> <(:)   # read -t on this fd is a sleep without a process
t0=${EPOCHREALTIME/./}
deadline=$((t0 + max_s * 1000000))
next=$t0
for ((i = 0; i < max_n; i++)); do
  start=${EPOCHREALTIME/./}
  ((start < deadline)) || break
  [ -n "$stop" ] && [ -e "$stop" ] && break
  out=$(curl -s --noproxy '*' --connect-timeout "$timeout_s" -m "$timeout_s" -w '\n%{http_code}' "$url" 2>/dev/null)
  end=${EPOCHREALTIME/./}
  code=${out##*$'\n'}
  [[ $code =~ ^[0-9]{3}$ ]] || code=000
  node=-
  [[ $out =~ \<title\>([^<]*)\</title\> ]] && node=${BASH_REMATCH[1]}
  printf '%s %s %s %s\n' "$start" "$end" "$code" "$node" >> "$log"
  next=$((next + interval_ms * 1000))
  now=${EPOCHREALTIME/./}
  if ((next > now)); then
    wait_us=$((next - now))
    read -r -t "$(printf '%d.%06d' $((wait_us / 1000000)) $((wait_us % 1000000)))" -u "$tick" 2>/dev/null
  else
    next=$now
  fi
done
exit 0
