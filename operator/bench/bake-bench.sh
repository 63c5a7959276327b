#!/usr/bin/env bash
# Image delivery budgets: bake + push of a 100 KiB site, the no-change path, the size of a
# one-page site image per platform, and NEW_SITES new sites baked with the server layers uploaded
# and mounted, side by side. Starts Debian's docker-registry on a free 127.0.0.1 port for the run
# and stops it (by PID) at the end.
#   operator/bench/bake-bench.sh [WARMUP] [RUNS] [NEW_SITES]
# Needs: the docker-registry package; builds with `mvn -o -DskipTests package` (no install).
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/config.yml" <<CONFIG
version: 0.1
log: { level: error, accesslog: { disabled: true } }
storage: { filesystem: { rootdirectory: $work/storage }, delete: { enabled: true } }
http: { addr: 127.0.0.1:$port }
CONFIG
docker-registry serve "$work/config.yml" > "$work/registry.log" 2>&1 &
registry_pid=$!
trap 'kill "$registry_pid" 2>/dev/null; wait "$registry_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
mvn -B -q -o -DskipTests package 2>&1 | grep -v '^\s*$' | grep -v '^tinyhttpd\|^make\|^  linux/\|^tinystatic server image' || true
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
java -cp operator/target/tinystatic.jar:operator/target/test-classes \
  -Dlogback.configurationFile=operator/src/test/resources/logback-test.xml \
  dev.tinystatic.bench.BakeBenchmark "127.0.0.1:$port" "${1:-10}" "${2:-30}" "${3:-200}"
