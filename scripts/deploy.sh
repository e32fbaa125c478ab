#!/usr/bin/env bash
# Deploys one environment from the already synthesized cdktf.out, each stack after the stacks it depends on.
# Usage: scripts/deploy.sh [--auto-approve] <env> [all|<kind>]        (npm run deploy -- <env>)
#   <env>: an environment of config/environments/ that was synthesized (scripts/ci/stacks.mjs stacks lists its stacks).
#   all (default) = every stack of <env> in deploy order; <kind> = only <kind>-<env> (e.g. infra, mlflow). The
#   pipeline deploys the halves separately, because the tracking-server image is pushed into the registry that
#   infra-<env> creates before mlflow-<env> runs it.
# The state each stack uses is the backend it was synthesized with (cdk.tf.json `terraform.backend`), printed
# before anything runs; TF_STATE_* variables that disagree with it stop the deploy. A person at a terminal
# confirms by typing the environment's name, then approves each plan in cdktf; only CI=true or --auto-approve
# deploys without asking.
# Never re-synthesizes (--skip-synth): the pipeline deploys the cdktf.out artifact of the commit it promotes.
# Outputs (non-sensitive only) go to ${OUTPUTS_DIR:-.gen/outputs}/<env>/<stack>.json.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
die() { printf 'deploy: ERROR: %s\n' "$*" >&2; exit 2; }
log() { printf 'deploy: %s\n' "$*" >&2; }
USAGE="usage: scripts/deploy.sh [--auto-approve] <env> [all|<kind>]"

auto_approve=false
[[ "${1:-}" == --auto-approve ]] && { auto_approve=true; shift; }
[[ $# -ge 1 && $# -le 2 ]] || die "${USAGE}"
env="$1" part="${2:-all}"
[[ "${env}" =~ ^[a-z][a-z0-9]{1,9}$ ]] || die "environment '${env}' is not an environment name: expected 2-10 lower-case letters and digits, starting with a letter (config/environments/)"
[[ "${part}" =~ ^[a-z]+$ ]] || die "part '${part}' is not all or a stack kind such as infra"

cd "${REPO_ROOT}"
# The environment's stacks in deploy order, from cdktf.out/manifest.json (stacks.mjs names what is wrong).
stack_list="$(node "${REPO_ROOT}/scripts/ci/stacks.mjs" stacks "${env}")" || exit 2
mapfile -t env_stacks <<<"${stack_list}"
if [[ "${part}" == all ]]; then
  stacks=("${env_stacks[@]}")
elif [[ " ${env_stacks[*]} " == *" ${part}-${env} "* ]]; then
  stacks=("${part}-${env}")
else
  die "part '${part}' is unknown: expected all or one of ${env_stacks[*]%-"${env}"}"
fi

# The state each stack will use, from what was synthesized (stacks.mjs names a missing cdk.tf.json); TF_STATE_*
# settings that say otherwise stop here.
for stack in "${stacks[@]}"; do
  state="$(node "${REPO_ROOT}/scripts/ci/stacks.mjs" state "${stack}")" || exit 2
  log "${stack}: ${state}"
done

cdktf="${REPO_ROOT}/node_modules/.bin/cdktf"
[[ -x "${cdktf}" ]] || die "cdktf CLI not found in node_modules: run 'npm ci'"
command -v terraform >/dev/null || die "terraform is not on PATH (version: TERRAFORM_VERSION in scripts/versions.env)"

flags=(--skip-synth --ignore-missing-stack-dependencies)
if [[ "${CI:-}" == true || "${auto_approve}" == true ]]; then
  flags+=(--auto-approve)
  log "approving every plan without asking ($([[ "${auto_approve}" == true ]] && echo "--auto-approve" || echo "CI=true"))"
elif [[ -t 0 ]]; then
  printf 'deploy: deploy %s with the state above? Type the environment name (%s) to go on: ' "${stacks[*]}" "${env}" >&2
  read -r answer || answer=""
  [[ "${answer}" == "${env}" ]] || { log "not confirmed: nothing was deployed"; exit 1; }
  log "confirmed; cdktf shows each plan and asks again before it changes anything"
else
  die "no terminal to confirm at: pass --auto-approve to deploy without asking (CI=true does the same in the pipeline)"
fi
[[ -n "${CI:-}" || -n "${NO_COLOR:-}" ]] && flags+=(--no-color)
export CHECKPOINT_DISABLE=1 CDKTF_DISABLE_TELEMETRY=true

# One deploy per outputs folder at a time (terraform's state lock guards the state, not this folder). A stack's
# old outputs go before it deploys and the new ones appear whole, so a failed deploy leaves none rather than stale ones.
outputs_dir="${OUTPUTS_DIR:-.gen/outputs}/${env}"
mkdir -p "${outputs_dir}"
exec 9>"${outputs_dir}/.deploy.lock"
# macOS has no flock(1): there terraform's state lock is the only guard, and this says so.
if command -v flock >/dev/null; then
  flock -n 9 || die "another deploy of ${env} is writing ${outputs_dir} (it holds ${outputs_dir}/.deploy.lock)"
else
  echo "deploy: flock not found; not guarding ${outputs_dir} against a second deploy (terraform still locks the state)" >&2
fi
trap 'rm -f "${outputs_dir}"/*.json.partial' EXIT
for stack in "${stacks[@]}"; do
  log "deploying ${stack}"
  outputs="${outputs_dir}/${stack}.json"
  rm -f "${outputs}"
  "${cdktf}" deploy "${stack}" "${flags[@]}" --outputs-file "${outputs}.partial"
  mv "${outputs}.partial" "${outputs}"
  log "${stack} deployed; outputs in ${outputs}"
done
