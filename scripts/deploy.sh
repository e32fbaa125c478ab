#!/usr/bin/env bash
# Deploys an environment's stacks (all, or only <kind>-<env>) from the synthesized cdktf.out in dependency order,
# never re-synthesizing: the pipeline deploys the artifact of the commit it promotes, infra before the image push
# and mlflow after it. Non-sensitive outputs go to ${OUTPUTS_DIR:-.gen/outputs}/<env>/<stack>.json.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
die() { printf 'deploy: ERROR: %s\n' "$*" >&2; exit 2; }
log() { printf 'deploy: %s\n' "$*" >&2; }
approval=""
[[ "${1:-}" == --auto-approve ]] && { approval=--auto-approve; shift; }
[[ $# -ge 1 && $# -le 2 ]] || die "usage: scripts/deploy.sh [--auto-approve] <env> [all|<kind>]"
env="$1" part="${2:-all}"
[[ "${env}" =~ ^[a-z][a-z0-9]{1,9}$ ]] || die "environment '${env}' is not an environment name: expected 2-10 lower-case letters and digits, starting with a letter (config/environments/)"
[[ "${part}" =~ ^[a-z]+$ ]] || die "part '${part}' is not all or a stack kind such as infra"

cd "${REPO_ROOT}"
# stacks.mjs names what is wrong with cdktf.out and refuses TF_STATE_* settings that disagree with a stack's backend.
stack_list="$(node scripts/ci/stacks.mjs stacks "${env}")" || exit 2
mapfile -t stacks <<<"${stack_list}"
if [[ "${part}" != all ]]; then
  [[ " ${stacks[*]} " == *" ${part}-${env} "* ]] || die "part '${part}' is unknown: expected all or one of ${stacks[*]%-"${env}"}"
  stacks=("${part}-${env}")
fi
for stack in "${stacks[@]}"; do
  state="$(node scripts/ci/stacks.mjs state "${stack}")" || exit 2
  log "${stack}: ${state}"
done
cdktf="${REPO_ROOT}/node_modules/.bin/cdktf"
[[ -x "${cdktf}" ]] || die "cdktf CLI not found in node_modules: run 'npm ci'"
command -v terraform >/dev/null || die "terraform is not on PATH (version: TERRAFORM_VERSION in scripts/versions.env)"

flags=(--skip-synth --ignore-missing-stack-dependencies)
[[ -z "${approval}" && "${CI:-}" == true ]] && approval="CI=true"
if [[ -n "${approval}" ]]; then
  flags+=(--auto-approve)
  log "approving every plan without asking (${approval})"
elif [[ -t 0 ]]; then
  printf 'deploy: deploy %s with the state above? Type the environment name (%s) to go on: ' "${stacks[*]}" "${env}" >&2
  read -r answer || answer=""
  [[ "${answer}" == "${env}" ]] || { log "not confirmed: nothing was deployed"; exit 1; }
  log "confirmed; cdktf shows each plan and asks again before it changes anything"
else
  die "no terminal to confirm at: pass --auto-approve to deploy without asking (CI=true does the same in the pipeline)"
fi
[[ -n "${CI:-}${NO_COLOR:-}" ]] && flags+=(--no-color)
export CHECKPOINT_DISABLE=1 CDKTF_DISABLE_TELEMETRY=true

# One deploy per outputs folder (terraform's lock guards the state, not this folder); macOS has no flock(1).
outputs_dir="${OUTPUTS_DIR:-.gen/outputs}/${env}"
mkdir -p "${outputs_dir}"
exec 9>"${outputs_dir}/.deploy.lock"
if ! command -v flock >/dev/null; then
  log "flock not found; not guarding ${outputs_dir} against a second deploy (terraform still locks the state)"
elif ! flock -n 9; then
  die "another deploy of ${env} is writing ${outputs_dir} (it holds ${outputs_dir}/.deploy.lock)"
fi
# Old outputs go before a stack deploys and new ones appear whole: a failed deploy leaves none, not stale ones.
trap 'rm -f "${outputs_dir}"/*.json.partial' EXIT
for stack in "${stacks[@]}"; do
  log "deploying ${stack}"
  outputs="${outputs_dir}/${stack}.json"
  rm -f "${outputs}"
  "${cdktf}" deploy "${stack}" "${flags[@]}" --outputs-file "${outputs}.partial"
  mv "${outputs}.partial" "${outputs}"
  log "${stack} deployed; outputs in ${outputs}"
done
