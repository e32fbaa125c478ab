#!/usr/bin/env bash
# Plans one stack against its real state: `cdktf diff <stack>` on the already synthesized cdktf.out.
# Usage: scripts/diff.sh <stack>        e.g. infra-dev, mlflow-prod   (npm run diff -- <stack>)
# The stacks are those in cdktf.out/manifest.json (`node scripts/ci/stacks.mjs stacks` lists them).
# Run `npm run synth` first (or download the pipeline's cdktf-out artifact): diff never re-synthesizes, so
# what is diffed is exactly what the pipeline deploys. Leaves the plan in cdktf.out/stacks/<stack>/plan.
# Needs terraform on PATH and, for the azurerm backend, ARM_* credentials (docs/promotion.md).
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
die() { printf 'diff: ERROR: %s\n' "$*" >&2; exit 2; }

[[ $# -eq 1 ]] || die "usage: scripts/diff.sh <stack>  (a stack of cdktf.out: <kind>-<env>, e.g. infra-dev)"
stack="$1"
# shellcheck source=lib/stack-name.sh
source "${REPO_ROOT}/scripts/lib/stack-name.sh"
require_stack_name "${stack}"

cd "${REPO_ROOT}"
# The state it plans against, from what was synthesized (stacks.mjs names a stack that was not, or a missing
# cdk.tf.json); TF_STATE_* settings that say otherwise stop here.
state="$(node "${REPO_ROOT}/scripts/ci/stacks.mjs" state "${stack}")" || exit 2
printf 'diff: %s: %s\n' "${stack}" "${state}" >&2
cdktf="${REPO_ROOT}/node_modules/.bin/cdktf"
[[ -x "${cdktf}" ]] || die "cdktf CLI not found in node_modules: run 'npm ci'"
command -v terraform >/dev/null || die "terraform is not on PATH: cdktf diff runs terraform plan (version: TERRAFORM_VERSION in scripts/versions.env)"

flags=(--skip-synth)
# Plain text in CI logs and in the pull-request comment.
[[ -n "${CI:-}" || -n "${NO_COLOR:-}" ]] && flags+=(--no-color)
export CHECKPOINT_DISABLE=1 CDKTF_DISABLE_TELEMETRY=true
exec "${cdktf}" diff "${stack}" "${flags[@]}"
