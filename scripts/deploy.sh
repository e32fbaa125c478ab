#!/usr/bin/env bash
# Deploys one environment from the already synthesized cdktf.out: the platform stack, then the MLflow stack.
# Usage: scripts/deploy.sh <dev|staging|prod> [all|infra|mlflow]      (npm run deploy -- <env>)
#   all (default) = infra-<env> then mlflow-<env>. The pipeline runs the two halves separately, because the
#   tracking-server image is pushed into the registry that infra-<env> creates before mlflow-<env> runs it.
# Never re-synthesizes (--skip-synth): the pipeline deploys the cdktf.out artifact of the commit it promotes.
# Outputs (non-sensitive only) go to ${OUTPUTS_DIR:-.gen/outputs}/<env>/<stack>.json.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
die() { printf 'deploy: ERROR: %s\n' "$*" >&2; exit 2; }
log() { printf 'deploy: %s\n' "$*" >&2; }

[[ $# -ge 1 && $# -le 2 ]] || die "usage: scripts/deploy.sh <dev|staging|prod> [all|infra|mlflow]"
env="$1" part="${2:-all}"
[[ "${env}" =~ ^(dev|staging|prod)$ ]] || die "environment '${env}' is unknown: expected dev, staging or prod"
[[ "${part}" =~ ^(all|infra|mlflow)$ ]] || die "part '${part}' is unknown: expected all, infra or mlflow"

cd "${REPO_ROOT}"
stacks=()
[[ "${part}" != mlflow ]] && stacks+=("infra-${env}")
[[ "${part}" != infra ]] && stacks+=("mlflow-${env}")
for stack in "${stacks[@]}"; do
  [[ -f "cdktf.out/stacks/${stack}/cdk.tf.json" ]] ||
    die "cdktf.out/stacks/${stack}/cdk.tf.json is missing: run 'npm run synth' or download the pipeline's cdktf-out artifact"
done
cdktf="${REPO_ROOT}/node_modules/.bin/cdktf"
[[ -x "${cdktf}" ]] || die "cdktf CLI not found in node_modules: run 'npm ci'"
command -v terraform >/dev/null || die "terraform is not on PATH (version: TERRAFORM_VERSION in scripts/versions.env)"
if [[ -z "${TF_STATE_STORAGE_ACCOUNT:-}" ]]; then
  log "TF_STATE_STORAGE_ACCOUNT is not set: these stacks were synthesized for the local state backend"
fi

outputs_dir="${OUTPUTS_DIR:-.gen/outputs}/${env}"
mkdir -p "${outputs_dir}"
flags=(--skip-synth --auto-approve)
[[ -n "${CI:-}" || -n "${NO_COLOR:-}" ]] && flags+=(--no-color)
export CHECKPOINT_DISABLE=1 CDKTF_DISABLE_TELEMETRY=true

for stack in "${stacks[@]}"; do
  extra=()
  # mlflow-<env> depends on infra-<env>, deployed by the previous command or the previous call.
  [[ "${stack}" == mlflow-* ]] && extra+=(--ignore-missing-stack-dependencies)
  log "deploying ${stack}"
  "${cdktf}" deploy "${stack}" "${flags[@]}" "${extra[@]}" --outputs-file "${outputs_dir}/${stack}.json"
  log "${stack} deployed; outputs in ${outputs_dir}/${stack}.json"
done
