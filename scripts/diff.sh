#!/usr/bin/env bash
# Plans one stack against its real state: `cdktf diff <stack>` on the already synthesized cdktf.out.
# Usage: scripts/diff.sh <stack>        e.g. infra-dev, mlflow-prod   (npm run diff -- <stack>)
# Run `npm run synth` first (or download the pipeline's cdktf-out artifact): diff never re-synthesizes, so
# what is diffed is exactly what the pipeline deploys. Leaves the plan in cdktf.out/stacks/<stack>/plan.
# Needs terraform on PATH and, for the azurerm backend, ARM_* credentials (docs/promotion.md).
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
die() { printf 'diff: ERROR: %s\n' "$*" >&2; exit 2; }

[[ $# -eq 1 ]] || die "usage: scripts/diff.sh <stack>  (one of infra-<env>, mlflow-<env>; env = dev|staging|prod)"
stack="$1"
[[ "${stack}" =~ ^(infra|mlflow)-(dev|staging|prod)$ ]] ||
  die "stack '${stack}' is not a stack of this project: expected infra-<env> or mlflow-<env> with env dev, staging or prod"

cd "${REPO_ROOT}"
[[ -f "cdktf.out/stacks/${stack}/cdk.tf.json" ]] ||
  die "cdktf.out/stacks/${stack}/cdk.tf.json is missing: run 'npm run synth' first (diff never re-synthesizes)"
cdktf="${REPO_ROOT}/node_modules/.bin/cdktf"
[[ -x "${cdktf}" ]] || die "cdktf CLI not found in node_modules: run 'npm ci'"
command -v terraform >/dev/null || die "terraform is not on PATH: cdktf diff runs terraform plan (version: TERRAFORM_VERSION in scripts/versions.env)"

flags=(--skip-synth)
# Plain text in CI logs and in the pull-request comment.
[[ -n "${CI:-}" || -n "${NO_COLOR:-}" ]] && flags+=(--no-color)
export CHECKPOINT_DISABLE=1 CDKTF_DISABLE_TELEMETRY=true
exec "${cdktf}" diff "${stack}" "${flags[@]}"
