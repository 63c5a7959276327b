#!/usr/bin/env bash
# What visitors see while a site rolls out new content, on a real cluster (see
# RolloutBenchmark): a 2-replica site under load from a client balancing over the ready
# EndpointSlice addresses (refreshed every second, a new connection per request), edited 3 times,
# once per strategy (default Rolling then Atomic, side by side in one run). Prints requests,
# failures and the order of the versions seen.
#
#   operator/bench/rollout-bench.sh [EDITS] [CLIENTS] [SECONDS_BETWEEN_EDITS] [STRATEGIES]
#   on this machine's real cluster: /work/locks/with-cluster.sh operator/bench/rollout-bench.sh
#   env: KUBECONFIG (default /opt/real-k8s/admin.kubeconfig, from ../shared/real-k8s),
#        BENCH_REGISTRY (default 127.0.0.1:35000: plain HTTP, where the nodes pull the server
#        image from; started here, with throw-away storage, when nothing answers there).
# Pod addresses must be reachable from this machine (true on the real-k8s node).
set -euo pipefail
cd "$(dirname "$0")/../.."
export KUBECONFIG=${KUBECONFIG:-/opt/real-k8s/admin.kubeconfig}
export BENCH_REGISTRY=${BENCH_REGISTRY:-127.0.0.1:35000}
work=$(mktemp -d /tmp/rollout-bench.XXXXXX)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"' EXIT INT TERM
if ! curl -fsS --max-time 2 "http://$BENCH_REGISTRY/v2/" >/dev/null 2>&1; then
  mkdir -p "$work/registry"
  printf 'version: 0.1\nlog: { level: warn }\nstorage: { filesystem: { rootdirectory: %s } }\nhttp: { addr: %s }\n' \
    "$work/registry" "$BENCH_REGISTRY" > "$work/registry.yml"
  docker-registry serve "$work/registry.yml" > "$work/registry.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 50); do curl -fsS "http://$BENCH_REGISTRY/v2/" >/dev/null 2>&1 && break; sleep 0.1; done
fi
mvn -B -q -pl operator -am test-compile dependency:build-classpath -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile="$work/classpath" > "$work/build.log" 2>&1 \
  || { tail -30 "$work/build.log"; exit 1; }
(cd operator && java -cp "target/test-classes:target/classes:$(cat "$work/classpath")" \
  -Dlogback.configurationFile=src/test/resources/logback-test.xml \
  dev.tinystatic.bench.RolloutBenchmark "$@")
