#!/usr/bin/env bash
# `npm run cluster`: a local control plane for trying the chart by hand (helm, kubectl), until Ctrl-C.
# Pods are admitted but never run (no kubelet). Everything, certificates and etcd data included, goes on exit.
set -euo pipefail
# shellcheck source=control-plane.sh
source "$(cd "$(dirname "$0")" && pwd)/control-plane.sh"
dir="$(mktemp -d "${TMPDIR:-/tmp}/mlflow-cluster.XXXXXX")"
trap 'control_plane_stop "${dir}"; echo "cluster: stopped" >&2' EXIT
trap 'exit 130' INT TERM
control_plane_start "${dir}"
cat <<EOF2

In another shell:
  export KUBECONFIG=${dir}/kubeconfig
  export PATH="${CLUSTER_REPO}/.tools/bin:\$PATH"
  kubectl get namespaces
Logs: ${dir}/*.log
Ctrl-C stops the control plane and deletes its data.
EOF2
while alive "${dir}" kube-apiserver && alive "${dir}" etcd; do sleep 1; done
echo "cluster: the control plane exited unexpectedly" >&2
log_tail "${dir}" kube-apiserver
exit 1
