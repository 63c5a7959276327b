#!/usr/bin/env bash
# Benchmarks tinyhttpd against nginx (2 workers) and lighttpd on 127.0.0.1 with wrk:
# 1 KiB and 100 KiB files, keep-alive and "Connection: close". Prints req/s per server
# (median of RUNS runs), our ratio to the best peer, and each server's idle RSS (all of
# its processes, after start-up, before any request). Ends every process it started.
#
#   server/bench/bench.sh [path/to/tinyhttpd]     (default: target/native/.../linux-amd64/tinyhttpd)
#   env: RUNS=3 DURATION=10s THREADS=2 CONNS=64
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$here/target/native/tinystatic/server/linux-amd64/tinyhttpd}
RUNS=${RUNS:-3} DURATION=${DURATION:-10s} THREADS=${THREADS:-2} CONNS=${CONNS:-64}
for tool in wrk nginx lighttpd; do
  command -v $tool >/dev/null || [ -x /usr/sbin/$tool ] || { echo "missing $tool (apt-get install wrk nginx-light lighttpd)"; exit 1; }
done
[ -x "$bin" ] || { echo "no binary at $bin (run: make -C server, or mvn package)"; exit 1; }
export PATH=$PATH:/usr/sbin

work=$(mktemp -d /tmp/tinystatic-bench.XXXXXX)
chmod 755 "$work"   # nginx workers may run as another user
pids=()
cleanup() {
  for p in "${pids[@]}"; do
    for c in $(pgrep -P "$p" 2>/dev/null); do kill "$c" 2>/dev/null || true; done
    kill "$p" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

mkdir -p "$work/site" "$work/nginx" "$work/lighttpd"
head -c 1024 /dev/urandom > "$work/site/1k.bin"
head -c 102400 /dev/urandom > "$work/site/100k.bin"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
p_tiny=$(free_port); p_nginx=$(free_port); p_lighttpd=$(free_port)

cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on; tcp_nopush on; tcp_nodelay on;
  keepalive_requests 1000000;
  client_body_temp_path $work/nginx/body; proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi; uwsgi_temp_path $work/nginx/uwsgi; scgi_temp_path $work/nginx/scgi;
  default_type application/octet-stream;
  server { listen 127.0.0.1:$p_nginx; root $work/site; }
}
CONF
cat > "$work/lighttpd/lighttpd.conf" <<CONF
server.document-root = "$work/site"
server.bind = "127.0.0.1"
server.port = $p_lighttpd
server.errorlog = "$work/lighttpd/error.log"
server.max-keep-alive-requests = 1000000
server.max-keep-alive-idle = 60
server.event-handler = "linux-sysepoll"
mimetype.assign = ( "" => "application/octet-stream" )
CONF

"$bin" -p "$p_tiny" -d "$work/site" > "$work/tiny.log" 2>&1 & pids+=($!)
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" 2> "$work/nginx/stderr" & pids+=($!)
lighttpd -D -f "$work/lighttpd/lighttpd.conf" 2> "$work/lighttpd/stderr" & pids+=($!)

wait_port() { for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.05; done; echo "port $1 not up"; exit 1; }
wait_port "$p_tiny"; wait_port "$p_nginx"; wait_port "$p_lighttpd"
sleep 1.5   # every process of every server fully started

rss() {   # KiB, the process and its children
  local total=0 p
  for p in "$1" $(pgrep -P "$1"); do total=$((total + $(awk '/VmRSS/ {print $2}' /proc/$p/status))); done
  echo $total
}
declare -A RSS=([tinyhttpd]=$(rss ${pids[0]}) [nginx]=$(rss ${pids[1]}) [lighttpd]=$(rss ${pids[2]}))
declare -A PORT=([tinyhttpd]=$p_tiny [nginx]=$p_nginx [lighttpd]=$p_lighttpd)

median() { tr ' ' '\n' | sort -n | awk 'NF {a[++n]=$1} END {print a[int((n+1)/2)]}'; }
once() {   # server file mode -> req/s of one wrk run
  local s=$1 f=$2 hdr=()
  [ "$3" = close ] && hdr=(-H "Connection: close")
  wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" "${hdr[@]}" "http://127.0.0.1:${PORT[$s]}/$f" > "$work/wrk.out"
  if grep -q "Non-2xx\|Socket errors" "$work/wrk.out"; then   # a fast error is no result
    echo "$s /$f ($3): $(grep 'Non-2xx\|Socket errors' "$work/wrk.out")" >&2
  fi
  awk '/Requests\/sec/ {printf "%d\n", $2}' "$work/wrk.out"
}

echo "wrk -t$THREADS -c$CONNS -d$DURATION, median of $RUNS runs (the servers take turns), $(nproc) CPUs, $(uname -r)"
printf "| %-27s | %9s | %9s | %9s | %5s |\n" scenario tinyhttpd lighttpd nginx ratio
printf "|%s|%s|%s|%s|%s|\n" ----------------------------- ----------- ----------- ----------- -------
for row in "1k.bin keep 1 KiB, keep-alive" "100k.bin keep 100 KiB, keep-alive" \
           "1k.bin close 1 KiB, Connection: close" "100k.bin close 100 KiB, Connection: close"; do
  read -r f mode label <<< "$row"
  declare -A got=()
  for i in $(seq "$RUNS"); do
    for s in tinyhttpd lighttpd nginx; do got[$s]+="$(once "$s" "$f" "$mode") "; done
  done
  t=$(median <<< "${got[tinyhttpd]}"); l=$(median <<< "${got[lighttpd]}"); n=$(median <<< "${got[nginx]}")
  best=$(( l > n ? l : n ))
  printf "| %-27s | %9d | %9d | %9d | %5.2f |\n" "$label" "$t" "$l" "$n" "$(echo "$t / $best" | bc -l)"
  unset got
done
printf "| %-27s | %9s | %9s | %9s |       |\n" "idle RSS (KiB, all procs)" "${RSS[tinyhttpd]}" "${RSS[lighttpd]}" "${RSS[nginx]}"
echo "RSS after the runs (KiB): tinyhttpd $(rss ${pids[0]}), lighttpd $(rss ${pids[2]}), nginx $(rss ${pids[1]})"
