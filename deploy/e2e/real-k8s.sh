#!/usr/bin/env bash
# Runs the README's test command with the end-to-end suite switched on, against a real cluster on
# this machine: the single-node Kubernetes that ../shared/real-k8s builds (start it first with
# /opt/real-k8s/start.sh --with-node). It brings what the suite needs around the cluster and ends
# every process it started:
#   - a plain-HTTP registry (Debian's docker-registry) on 127.0.0.1:35000, the address the node's
#     containerd pulls from, with throw-away storage;
#   - a forwarder on the pod bridge (10.244.0.1:35001 -> the registry), so the operator running in
#     a pod can push site images (Image delivery in the chart-install test);
#   - a Java 17 base image from Debian's JRE (deploy/e2e/jre17-base.sh: a test aid), because the
#     distroless base of the operator image cannot be pulled here; -Pimage builds on it.
#
#   deploy/e2e/real-k8s.sh [MAVEN ARGS...]        e.g. -Dtest='RealCluster*' -Dsurefire.failIfNoSpecifiedTests=false
#   env: KUBECONFIG (default /opt/real-k8s/admin.kubeconfig)
set -euo pipefail
cd "$(dirname "$0")/../.."
kubeconfig=${KUBECONFIG:-/opt/real-k8s/admin.kubeconfig}
[ -r "$kubeconfig" ] || { echo "no kubeconfig at $kubeconfig: build and start ../shared/real-k8s first" >&2; exit 1; }
for tool in docker-registry socat python3 curl; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install docker-registry socat python3 curl)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/tinystatic-e2e.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

if curl -fsS --max-time 2 http://127.0.0.1:35000/v2/ >/dev/null 2>&1; then
  echo "real-k8s.sh: using the registry already on 127.0.0.1:35000"
else
  mkdir -p "$work/registry"
  cat > "$work/registry.yml" <<EOF
version: 0.1
log: { level: warn }
storage: { filesystem: { rootdirectory: $work/registry }, delete: { enabled: true } }
http: { addr: 127.0.0.1:35000 }
EOF
  docker-registry serve "$work/registry.yml" > "$work/registry.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 50); do curl -fsS http://127.0.0.1:35000/v2/ >/dev/null 2>&1 && break; sleep 0.1; done
  curl -fsS http://127.0.0.1:35000/v2/ >/dev/null || { cat "$work/registry.log" >&2; exit 1; }
fi

in_cluster=""
if ip -4 addr show 2>/dev/null | grep -q 'inet 10.244.0.1/'; then
  socat TCP-LISTEN:35001,bind=10.244.0.1,reuseaddr,fork TCP:127.0.0.1:35000 &
  pids+=($!)
  in_cluster=10.244.0.1:35001
fi

deploy/e2e/jre17-base.sh "$work/jre17-base.tar"

export TINYSTATIC_E2E_KUBECONFIG=$kubeconfig
export TINYSTATIC_E2E_REGISTRY=127.0.0.1:35000
export TINYSTATIC_E2E_REGISTRY_INSECURE=true
export TINYSTATIC_E2E_IN_CLUSTER_REGISTRY=$in_cluster
start=$(date +%s)
mvn -B verify -Pimage -Djib.from.image="tar://$work/jre17-base.tar" "$@"
echo "real-k8s.sh: mvn verify with the end-to-end suite took $(( $(date +%s) - start )) s"
