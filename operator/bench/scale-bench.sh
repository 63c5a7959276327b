#!/usr/bin/env bash
# Scale: SITES sites with replicas 0, created before the operator starts; the operator (the real
# jar, -Xmx256m, server-side apply as in production) runs against a real API server. Prints the
# time from the operator's start until every site is Ready (and sites/s), the writes it made (from
# the API server's apiserver_request_total, by resource and verb), its live heap after a full GC,
# its writes while idle, and its writes after a restart.
#   /work/locks/with-cluster.sh operator/bench/scale-bench.sh [SITES] [IDLE_SECONDS] [JAR]
# IDLE_SECONDS 0 skips the idle and restart phases (for timing runs side by side).
# JAVA_OPTS: the operator's JVM options (default: the chart's javaToolOptions; set it, even empty,
# to replace them, e.g. '-XX:TieredStopAtLevel=1 -XX:StartFlightRecording=filename=op.jfr').
# STRATEGY sets the sites' spec.rollout.strategy (Atomic, the default, or Rolling); OPERATOR_ENV
# adds the operator's environment (e.g. OPERATOR_ENV='TINYSTATIC_RECONCILE_THREADS=8'). NAMESPACE
# (default scale) lets runs share one cluster, side by side.
# Needs KUBECONFIG (with-cluster.sh sets it), kubectl, jcmd, python3, and the jar:
#   mvn -B -q -DskipTests package   (writes operator/target/tinystatic.jar)
set -euo pipefail
cd "$(dirname "$0")/../.."
sites=${1:-1000}
idle=${2:-60}
jar=${3:-operator/target/tinystatic.jar}
ns=${NAMESPACE:-scale}
java_opts=${JAVA_OPTS-$(sed -n 's/^javaToolOptions: "\(.*\)"$/\1/p' deploy/helm/tinystatic/values.yaml)}
work=$(mktemp -d)
operator_pid=
stop_operator() {
  if [ -n "$operator_pid" ]; then
    kill "$operator_pid" 2>/dev/null || true
    wait "$operator_pid" 2>/dev/null || true
    operator_pid=
  fi
}
trap 'stop_operator; rm -rf "$work"' EXIT

metrics() { kubectl get --raw /metrics > "$1"; }
# Events the operator recorded so far (the controller manager records its own in the namespace).
operator_events() {
  kubectl get events -n "$ns" -o json | python3 -c '
import json, sys
items = json.load(sys.stdin)["items"]
print(sum(1 for e in items if e.get("reportingComponent") == "tinystatic-operator"))'
}
# Waits on one watch (kubectl get -w) until every site is Ready, or the operator is gone. Polling
# with a full list instead costs about 1 CPU-s of kubectl and python and 0.2 of the API server per
# poll for 1,000 sites: the observer took about half of this 2-core machine from what it measured.
wait_until_all_ready() {
  python3 - "$sites" "$ns" "$operator_pid" <<'PY'
import os, select, subprocess, sys
sites, ns, operator = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
# one line per site, "NAME STATUS-OF-READY": the watch's first answer is the list, then a site each
SITES = ('{{define "site"}}{{.metadata.name}} {{with .status}}{{range .conditions}}'
         '{{if eq .type "Ready"}}{{.status}}{{end}}{{end}}{{end}}\n{{end}}'
         '{{if .items}}{{range .items}}{{template "site" .}}{{end}}{{else}}{{template "site" .}}{{end}}')
watch = subprocess.Popen(
    ["kubectl", "get", "tinystaticsites", "-n", ns, "-w", "-o", "go-template=" + SITES],
    stdout=subprocess.PIPE)
ready, pending = {}, b""
try:
    while True:
        if select.select([watch.stdout], [], [], 1.0)[0]:
            chunk = os.read(watch.stdout.fileno(), 65536)
            if not chunk:
                sys.exit("the watch of the sites ended (kubectl exit status %s)" % watch.wait())
            *lines, pending = (pending + chunk).split(b"\n")
            for line in lines:
                name, _, status = line.decode().strip().partition(" ")
                ready[name] = status == "True"
            if len(ready) >= sites and all(ready.values()):
                sys.exit(0)
        try:  # the operator is our shell's child: dead, it stays a zombie until the shell waits
            if open(f"/proc/{operator}/stat").read().rpartition(")")[2].split()[0] == "Z":
                sys.exit("the operator exited")
        except OSError:
            sys.exit("the operator exited")
finally:
    watch.kill()
PY
}
reconciled() {
  curl -fs "http://127.0.0.1:$health/metrics" | awk '/^operator_sdk_reconciliations_success_total/ {n += $2} END {print n + 0}'
}
# CPU seconds (user + system) of a process, and of the control plane's, to see who was busy.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$1/stat"; }
control_plane_cpu() {
  for name in kube-apiserver etcd kube-controller; do # process names, cut to 15 characters
    pid=$(pgrep -o -x "$name" || true)
    if [ -n "$pid" ]; then printf '%s %s s, ' "$name" "$(cpu_seconds "$pid")"; fi
  done
}
start_operator() {
  env TINYSTATIC_HEALTH_PORT=$health TINYSTATIC_LOG_LEVEL=WARN TINYSTATIC_WATCH_NAMESPACES=$ns \
    ${OPERATOR_ENV:-} java $java_opts -Xmx256m -jar "$jar" operator >> "$work/operator.log" 2>&1 &
  operator_pid=$!
}

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores); strategy ${STRATEGY:-Atomic}; JVM: $java_opts -Xmx256m; ${OPERATOR_ENV:-}"
kubectl apply -f crds/ > /dev/null
kubectl wait --for condition=established crd/tinystaticsites.tinystatic.dev > /dev/null
kubectl create namespace "$ns" > /dev/null
python3 - "$sites" "$ns" "${STRATEGY:-Atomic}" > "$work/sites.yaml" <<'PY'
import sys
sites, ns, strategy = int(sys.argv[1]), sys.argv[2], sys.argv[3]
for i in range(sites):
    print(f"""---
apiVersion: tinystatic.dev/v1alpha1
kind: TinyStaticSite
metadata: {{ name: site-{i:04d}, namespace: {ns} }}
spec:
  replicas: 0
  delivery: ConfigMap
  rollout: {{ strategy: {strategy} }}
  files: {{ index.html: "<h1>site {i}</h1>" }}""")
PY
created=$(date +%s.%N)
kubectl create -f "$work/sites.yaml" > /dev/null
echo "created $sites sites (replicas 0) in $(python3 -c "print(f'{$(date +%s.%N) - $created:.1f}')") s"

health=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
metrics "$work/m0"
events0=$(operator_events)
cpu0=$(control_plane_cpu)
start=$(date +%s.%N)
start_operator
wait_until_all_ready || { echo "operator log:"; tail -20 "$work/operator.log"; exit 1; }
elapsed=$(python3 -c "print(f'{$(date +%s.%N) - $start:.1f}')")
echo "all $sites sites Ready $elapsed s after the operator started ($(python3 -c "print(f'{$sites / $elapsed:.1f}')") sites/s)"
echo "CPU used: operator $(cpu_seconds "$operator_pid") s; control plane before: ${cpu0}after: $(control_plane_cpu)"
echo "reconciliations until then: $(reconciled)"
sleep 5 # let follow-up events settle into the count
metrics "$work/m1"
echo "writes from the operator's start until all Ready (+5 s):"
python3 operator/bench/writes.py "$work/m0" "$work/m1" "$sites" $(($(operator_events) - events0))

# The class histogram collects first and counts live objects only (GC.heap_info's "used" after a
# GC.run also counted what the operator allocated in between: up to 48 MiB more).
histogram=$(jcmd "$operator_pid" GC.class_histogram)
live=$(echo "$histogram" | awk '$1 == "Total" {print $3}')
echo "live heap (objects after a full GC): $((live / 1048576)) MiB (-Xmx256m)"
echo "largest classes on the heap:"
echo "$histogram" | sed -n '4,11p'

if [ "$idle" -gt 0 ]; then
events1=$(operator_events)
metrics "$work/m2"
sleep "$idle"
metrics "$work/m3"
echo "writes in $idle s idle:"
python3 operator/bench/writes.py "$work/m2" "$work/m3" 0 $(($(operator_events) - events1))

stop_operator
events2=$(operator_events)
metrics "$work/m4"
start_operator
until [ "$(reconciled)" -ge "$sites" ] 2>/dev/null; do
  kill -0 "$operator_pid" 2>/dev/null || { echo "the operator died:"; tail -20 "$work/operator.log"; exit 1; }
  sleep 0.5
done
sleep 5
metrics "$work/m5"
echo "writes after a restart ($(reconciled) reconciliations):"
python3 operator/bench/writes.py "$work/m4" "$work/m5" 0 $(($(operator_events) - events2))
fi
echo "operator log, warnings and errors (first 5):"
python3 - "$work/operator.log" <<'PY'
import json, sys
shown = 0
for line in open(sys.argv[1]):
    try:
        entry = json.loads(line)
    except ValueError:
        continue
    if entry.get("level") in ("WARN", "ERROR") and shown < 5:
        print("  " + entry["level"], entry.get("loggerName", ""), entry.get("formattedMessage", "")[:400])
        shown += 1
PY
