#!/usr/bin/env bash
# Plans one stack (<kind>-<env>) against its real state: `cdktf diff` on the synthesized cdktf.out, never
# re-synthesizing, so what is diffed is what the pipeline deploys. The plan stays in cdktf.out/stacks/<stack>/plan.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
die() { printf 'diff: ERROR: %s\n' "$*" >&2; exit 2; }
[[ $# -eq 1 ]] || die "usage: scripts/diff.sh <stack>  (a stack of cdktf.out: <kind>-<env>, e.g. infra-dev)"
# shellcheck source=lib/stack-name.sh
source "${REPO_ROOT}/scripts/lib/stack-name.sh"
require_stack_name "$1"
cd "${REPO_ROOT}"
# stacks.mjs names a stack that was not synthesized and refuses TF_STATE_* settings that disagree with its backend.
state="$(node scripts/ci/stacks.mjs state "$1")" || exit 2
printf 'diff: %s: %s\n' "$1" "${state}" >&2
cdktf="${REPO_ROOT}/node_modules/.bin/cdktf"
[[ -x "${cdktf}" ]] || die "cdktf CLI not found in node_modules: run 'npm ci'"
command -v terraform >/dev/null || die "terraform is not on PATH: cdktf diff runs terraform plan (version: TERRAFORM_VERSION in scripts/versions.env)"
flags=(--skip-synth)
# Plain text in CI logs and in the pull-request comment.
[[ -n "${CI:-}${NO_COLOR:-}" ]] && flags+=(--no-color)
export CHECKPOINT_DISABLE=1 CDKTF_DISABLE_TELEMETRY=true
exec "${cdktf}" diff "$1" "${flags[@]}"
