#!/usr/bin/env bash
# Proves that synthesized stacks run the release's tracking-server image: each named stack's cdk.tf.json
# must contain the digest (config/ passes MLFLOW_IMAGE_DIGEST to the chart as image.digest).
# Usage: scripts/ci/check-image-pin.sh <image-digest> <stack>...
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
die() { printf 'check-image-pin: ERROR: %s\n' "$*" >&2; exit 2; }

[[ $# -ge 2 ]] || die "usage: scripts/ci/check-image-pin.sh <image-digest> <stack>..."
digest="$1"; shift
[[ "${digest}" =~ ^sha256:[0-9a-f]{64}$ ]] || die "image digest '${digest}' is not sha256:<64 hex>"
# shellcheck source=../lib/stack-name.sh
source "${REPO_ROOT}/scripts/lib/stack-name.sh"
for stack in "$@"; do
  require_stack_name "${stack}"
  file="${REPO_ROOT}/cdktf.out/stacks/${stack}/cdk.tf.json"
  [[ -f "${file}" ]] || die "${file} is missing"
  grep -qF "${digest}" "${file}" ||
    die "${stack} does not pin the image ${digest}: synthesize with MLFLOW_IMAGE_DIGEST=${digest} (read by config/)"
done
printf 'check-image-pin: %s pin the image %s\n' "$*" "${digest}" >&2
