#!/usr/bin/env bash
# Sourced: a local control plane on loopback (etcd, kube-apiserver with Pod Security admission on as by default,
# kube-controller-manager so Deployments make ReplicaSets and Pods that admission judges). No kubelet or scheduler:
# pods are admitted but never run. Binaries from `npm run tools` (group cluster); one private folder per run.
#   control_plane_start DIR   starts everything, writes DIR/kubeconfig, returns when the API is ready
#   control_plane_stop DIR    stops what control_plane_start started (safe to call twice) and removes DIR

CLUSTER_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=certs.sh
source "${CLUSTER_REPO}/scripts/cluster/certs.sh"
# Bounded wait for the API server (seconds); override for a very loaded machine.
CLUSTER_READY_TIMEOUT="${CLUSTER_READY_TIMEOUT:-90}"

# A loopback TCP port that is free now (the kernel picks it; the process binds it right after).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# launch DIR NAME BINARY ARGS...: a background process whose output goes to DIR/NAME.log and pid to DIR/NAME.pid.
launch() {
  local dir="$1" name="$2"; shift 2
  "$@" >"${dir}/${name}.log" 2>&1 &
  echo $! >"${dir}/${name}.pid"
}

alive() { [[ -f "$1/$2.pid" ]] && kill -0 "$(cat "$1/$2.pid")" 2>/dev/null; }

log_tail() { echo "--- last lines of $2.log ---" >&2; tail -n "${3:-25}" "$1/$2.log" >&2 2>/dev/null || true; }

# wait_until DIR NAME SECONDS COMMAND...: polls COMMAND until it succeeds; fails early when NAME exited.
wait_until() {
  local dir="$1" name="$2" seconds="$3" deadline=$((SECONDS + $3)); shift 3
  until "$@" >/dev/null 2>&1; do
    if ! alive "${dir}" "${name}"; then echo "cluster: ${name} exited during start-up" >&2; log_tail "${dir}" "${name}"; return 1; fi
    if ((SECONDS >= deadline)); then echo "cluster: ${name} not ready within ${seconds}s" >&2; log_tail "${dir}" "${name}"; return 1; fi
    sleep 0.5
  done
}

control_plane_start() {
  local dir="$1" started=${SECONDS} bin="${CLUSTER_REPO}/.tools/bin" name etcd_client etcd_peer api_port
  for name in etcd kube-apiserver kube-controller-manager kubectl; do
    [[ -x "${bin}/${name}" ]] || { echo "cluster: ${name} is not installed: run npm run tools (or scripts/install-tools.sh cluster)" >&2; return 127; }
  done
  mkdir -p "${dir}" && chmod 700 "${dir}"
  cluster_certs "${dir}" || return 1
  local kubectl=("${bin}/kubectl" --kubeconfig "${dir}/kubeconfig")

  etcd_client="$(free_port)" etcd_peer="$(free_port)" api_port="$(free_port)"
  launch "${dir}" etcd "${bin}/etcd" --name local --data-dir "${dir}/etcd" \
    --listen-client-urls "http://127.0.0.1:${etcd_client}" --advertise-client-urls "http://127.0.0.1:${etcd_client}" \
    --listen-peer-urls "http://127.0.0.1:${etcd_peer}" --initial-advertise-peer-urls "http://127.0.0.1:${etcd_peer}" \
    --initial-cluster "local=http://127.0.0.1:${etcd_peer}" --listen-metrics-urls "" \
    --quota-backend-bytes 1073741824 --unsafe-no-fsync --log-level warn
  wait_until "${dir}" etcd 30 curl -fsS "http://127.0.0.1:${etcd_client}/health" || return 1

  # The service range is virtual (no kube-proxy here); it only gives Services their cluster IPs. Privileged pods are
  # allowed as on AKS, so that Pod Security admission, not the API server's own policy, is what refuses them.
  launch "${dir}" kube-apiserver "${bin}/kube-apiserver" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "${api_port}" \
    --etcd-servers "http://127.0.0.1:${etcd_client}" \
    --tls-cert-file "${dir}/apiserver.crt" --tls-private-key-file "${dir}/apiserver.key" --client-ca-file "${dir}/ca.crt" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "${dir}/sa.pub" --service-account-signing-key-file "${dir}/sa.key" \
    --service-cluster-ip-range 10.96.0.0/16 --authorization-mode RBAC --allow-privileged=true \
    --endpoint-reconciler-type none --profiling=false --v 1
  (umask 077; cat >"${dir}/kubeconfig" <<EOF
{apiVersion: v1, kind: Config, current-context: local,
 clusters: [{name: local, cluster: {server: "https://127.0.0.1:${api_port}", certificate-authority: "${dir}/ca.crt"}}],
 users: [{name: local-admin, user: {client-certificate: "${dir}/admin.crt", client-key: "${dir}/admin.key"}}],
 contexts: [{name: local, context: {cluster: local, user: local-admin}}]}
EOF
  )
  wait_until "${dir}" kube-apiserver "${CLUSTER_READY_TIMEOUT}" "${kubectl[@]}" get --raw /readyz || return 1

  launch "${dir}" kube-controller-manager "${bin}/kube-controller-manager" --kubeconfig "${dir}/kubeconfig" \
    --authentication-kubeconfig "${dir}/kubeconfig" --authorization-kubeconfig "${dir}/kubeconfig" \
    --bind-address 127.0.0.1 --secure-port 0 --leader-elect=false \
    --service-account-private-key-file "${dir}/sa.key" --root-ca-file "${dir}/ca.crt" --v 1
  # Ready once it has made the default namespace's service account.
  wait_until "${dir}" kube-controller-manager 60 "${kubectl[@]}" get serviceaccount default -n default || return 1
  echo "cluster: control plane v$(sed -n 's/^KUBERNETES_VERSION=//p' "${CLUSTER_REPO}/scripts/versions.env") ready on https://127.0.0.1:${api_port} in $((SECONDS - started))s" >&2
}

control_plane_stop() {
  local dir="$1" name pid
  for name in kube-controller-manager kube-apiserver etcd; do
    pid="$(cat "${dir}/${name}.pid" 2>/dev/null)" || continue
    kill "${pid}" 2>/dev/null || continue
    for _ in {1..40}; do kill -0 "${pid}" 2>/dev/null || break; sleep 0.25; done
    kill -9 "${pid}" 2>/dev/null || true
  done
  rm -rf "${dir}"
}
