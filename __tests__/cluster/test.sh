#!/usr/bin/env bash
# `npm run test:cluster`: the chart installed, upgraded, rolled back and removed with each environment's synthesized
# values on a local control plane (__tests__/cluster/live-api.test.ts). Starts the control plane, runs the tests,
# stops it on every exit. Closing line: "cluster: N passed, M failed".
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "${here}/../.." && pwd)"
# shellcheck source=../../scripts/cluster/control-plane.sh
source "${repo}/scripts/cluster/control-plane.sh"
cd "${CLUSTER_REPO}"
# The tests read the synthesized stacks; synthesize when they are missing (a second synth reuses its bundle).
[[ -d cdktf.out/stacks ]] || npm run --silent synth >/dev/null

dir="$(mktemp -d "${TMPDIR:-/tmp}/mlflow-cluster.XXXXXX")"
trap 'control_plane_stop "${dir}"' EXIT
trap 'exit 130' INT TERM
started=${SECONDS}
if ! control_plane_start "${dir}"; then
  echo "cluster: 0 passed, 1 failed"
  exit 1
fi
export KUBECONFIG="${dir}/kubeconfig"
status=0
node --import tsx --test --test-concurrency=1 --test-reporter="${here}/summary-reporter.mjs" \
  "${here}/live-api.test.ts" || status=$?
if [[ ${status} -ne 0 ]]; then log_tail "${dir}" kube-apiserver 15; log_tail "${dir}" kube-controller-manager 15; fi
echo "cluster: wall time $((SECONDS - started))s (control plane start-up included)" >&2
exit "${status}"
