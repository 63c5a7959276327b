#!/usr/bin/env bash
# Image delivery budgets: bake + push of a 100 KiB site, the no-change path, and the size of a
# one-page site image. Starts Debian's docker-registry on a free 127.0.0.1 port for the run and
# stops it (by PID) at the end. Usage: operator/bench/bake-bench.sh [WARMUP] [RUNS]
# Needs: mvn -B install -DskipTests (once), and the docker-registry package.
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
trap 'kill "$registry_pid" 2>/dev/null; wait "$registry_pid" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
mvn -B -q -o -pl operator test-compile org.codehaus.mojo:exec-maven-plugin:3.5.1:java \
  -Dexec.classpathScope=test -Dexec.mainClass=dev.tinystatic.bench.BakeBenchmark \
  -Dexec.args="127.0.0.1:$port ${1:-10} ${2:-30}" 2>&1 | grep -v '^\s*$'
