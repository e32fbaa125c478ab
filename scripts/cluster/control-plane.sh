#!/usr/bin/env bash
# A local Kubernetes control plane on loopback, for the live-API tests and for trying the chart by hand:
# etcd, kube-apiserver (Pod Security admission on, as by default) and kube-controller-manager (so Deployments make
# ReplicaSets and Pods that admission judges). No kubelet and no scheduler: pods are admitted but never run.
# Sourced; binaries come from `npm run tools` (group cluster). Everything lives in one private folder per run.
#
#   control_plane_start DIR   starts everything, writes DIR/kubeconfig, returns when the API is ready
#   control_plane_stop DIR    stops what control_plane_start started (safe to call twice) and removes DIR

CLUSTER_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=certs.sh
source "${CLUSTER_REPO}/scripts/cluster/certs.sh"
# Bounded wait for the API server (seconds); override for a very loaded machine.
CLUSTER_READY_TIMEOUT="${CLUSTER_READY_TIMEOUT:-90}"

cluster_bin() {
  local path="${CLUSTER_REPO}/.tools/bin/$1"
  [[ -x "${path}" ]] || { echo "cluster: $1 is not installed: run npm run tools (or scripts/install-tools.sh cluster)" >&2; return 127; }
  printf '%s' "${path}"
}

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
  local dir="$1" name="$2" seconds="$3"; shift 3
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if ! alive "${dir}" "${name}"; then echo "cluster: ${name} exited during start-up" >&2; log_tail "${dir}" "${name}"; return 1; fi
    if ((SECONDS >= deadline)); then echo "cluster: ${name} not ready within ${seconds}s" >&2; log_tail "${dir}" "${name}"; return 1; fi
    sleep 0.5
  done
}

write_kubeconfig() {
  local dir="$1" port="$2"
  (umask 077; cat >"${dir}/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: local
    cluster:
      server: https://127.0.0.1:${port}
      certificate-authority: ${dir}/ca.crt
users:
  - name: local-admin
    user:
      client-certificate: ${dir}/admin.crt
      client-key: ${dir}/admin.key
contexts:
  - name: local
    context: {cluster: local, user: local-admin}
current-context: local
EOF
  )
}

control_plane_start() {
  local dir="$1" etcd apiserver kcm kubectl started=${SECONDS}
  etcd="$(cluster_bin etcd)" && apiserver="$(cluster_bin kube-apiserver)" && kcm="$(cluster_bin kube-controller-manager)" &&
    kubectl="$(cluster_bin kubectl)" || return 127
  mkdir -p "${dir}" && chmod 700 "${dir}"
  cluster_certs "${dir}" || return 1

  local etcd_client etcd_peer api_port
  etcd_client="$(free_port)" etcd_peer="$(free_port)" api_port="$(free_port)"
  launch "${dir}" etcd "${etcd}" --name local --data-dir "${dir}/etcd" \
    --listen-client-urls "http://127.0.0.1:${etcd_client}" --advertise-client-urls "http://127.0.0.1:${etcd_client}" \
    --listen-peer-urls "http://127.0.0.1:${etcd_peer}" --initial-advertise-peer-urls "http://127.0.0.1:${etcd_peer}" \
    --initial-cluster "local=http://127.0.0.1:${etcd_peer}" --listen-metrics-urls "" \
    --quota-backend-bytes 1073741824 --unsafe-no-fsync --log-level warn
  wait_until "${dir}" etcd 30 curl -fsS "http://127.0.0.1:${etcd_client}/health" || return 1

  # The service range is virtual (no kube-proxy here); it only gives Services their cluster IPs. Privileged pods are
  # allowed as on AKS, so that Pod Security admission, not the API server's own policy, is what refuses them.
  launch "${dir}" kube-apiserver "${apiserver}" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "${api_port}" \
    --etcd-servers "http://127.0.0.1:${etcd_client}" \
    --tls-cert-file "${dir}/apiserver.crt" --tls-private-key-file "${dir}/apiserver.key" --client-ca-file "${dir}/ca.crt" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "${dir}/sa.pub" --service-account-signing-key-file "${dir}/sa.key" \
    --service-cluster-ip-range 10.96.0.0/16 --authorization-mode RBAC --allow-privileged=true \
    --endpoint-reconciler-type none --profiling=false --v 1
  write_kubeconfig "${dir}" "${api_port}"
  wait_until "${dir}" kube-apiserver "${CLUSTER_READY_TIMEOUT}" "${kubectl}" --kubeconfig "${dir}/kubeconfig" get --raw /readyz ||
    return 1

  launch "${dir}" kube-controller-manager "${kcm}" --kubeconfig "${dir}/kubeconfig" \
    --authentication-kubeconfig "${dir}/kubeconfig" --authorization-kubeconfig "${dir}/kubeconfig" \
    --bind-address 127.0.0.1 --secure-port 0 --leader-elect=false \
    --service-account-private-key-file "${dir}/sa.key" --root-ca-file "${dir}/ca.crt" --v 1
  # Ready once it has made the default namespace's service account.
  wait_until "${dir}" kube-controller-manager 60 "${kubectl}" --kubeconfig "${dir}/kubeconfig" get serviceaccount default -n default ||
    return 1
  echo "cluster: control plane v$(sed -n 's/^KUBERNETES_VERSION=//p' "${CLUSTER_REPO}/scripts/versions.env") ready on https://127.0.0.1:${api_port} in $((SECONDS - started))s" >&2
}

control_plane_stop() {
  local dir="$1" name pid
  [[ -d "${dir}" ]] || return 0
  for name in kube-controller-manager kube-apiserver etcd; do
    [[ -f "${dir}/${name}.pid" ]] || continue
    pid="$(cat "${dir}/${name}.pid")"
    kill "${pid}" 2>/dev/null || continue
    for _ in $(seq 1 40); do kill -0 "${pid}" 2>/dev/null || break; sleep 0.25; done
    kill -9 "${pid}" 2>/dev/null || true
  done
  rm -rf "${dir}"
}
