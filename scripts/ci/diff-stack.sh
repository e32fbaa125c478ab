#!/usr/bin/env bash
# Diffs one stack for the pull-request comment into <results-dir>: <stack>.log, <stack>.plan.txt (terraform's own
# rendering; both scrubbed in place by diff-summary.mjs, as the comment is) and, last and whole, <stack>.json, which the
# comment takes as a finished result.
# The stack's previous result is removed first, so an interrupted run leaves none rather than an old one; a lock
# refuses a second run of the stack into the same folder.
# Usage: scripts/ci/diff-stack.sh <stack> <results-dir>. Exit 0 when diffed or waiting for a platform stack, 1 when the diff failed.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
STACKS_DIR="${REPO_ROOT}/cdktf.out/stacks"
die() { printf 'diff-stack: ERROR: %s\n' "$*" >&2; exit 2; }

[[ $# -eq 2 ]] || die "usage: scripts/ci/diff-stack.sh <stack> <results-dir>"
stack="$1" out="$2"
# shellcheck source=../lib/stack-name.sh
source "${REPO_ROOT}/scripts/lib/stack-name.sh"
require_stack_name "${stack}" # before anything is written: the name becomes file names in <results-dir>
[[ -n "${out}" ]] || die "results-dir is empty: name the folder the result goes to"
mkdir -p "${out}"
exec 9>"${out}/.${stack}.lock"
flock -n 9 || die "another diff of ${stack} is writing ${out} (it holds ${out}/.${stack}.lock)"
rm -f "${out}/${stack}.json" "${out}/${stack}.log" "${out}/${stack}.plan.txt"
tmp="$(mktemp -d "${out}/.${stack}.XXXXXX")"
trap 'rm -rf "${tmp}"' EXIT
summary=(node "${REPO_ROOT}/scripts/ci/diff-summary.mjs" stack --stack "${stack}" --out "${out}")

# A stack that reads the outputs of others (mlflow-<env> those of infra-<env>, infra-<env> those of network-<env>)
# has nothing to diff while one of them has no outputs in its state. terraform reads that state from the backend
# synthesized; when it cannot, the diff below reports the error, as diff.sh does for a stack missing from cdktf.out.
mapfile -t dependencies < <(cd "${REPO_ROOT}" && node scripts/ci/stacks.mjs dependencies "${stack}" 2>/dev/null)
for dependency in "${dependencies[@]}"; do
  if terraform -chdir="${STACKS_DIR}/${dependency}" init -input=false -no-color >/dev/null &&
    outputs="$(terraform -chdir="${STACKS_DIR}/${dependency}" output -json)" && [[ "$(jq length <<<"${outputs}")" == 0 ]]; then
    "${summary[@]}" --platform missing --platform-stack "${dependency}" >/dev/null
    printf 'diff-stack: %s: platform stack %s not deployed yet, nothing to diff\n' "${stack}" "${dependency}" >&2
    exit 0
  fi
done
# Messages about outputs not deployed yet name the stack it reads from.
[[ ${#dependencies[@]} -eq 0 ]] || summary+=(--platform-stack "${dependencies[0]}")

rc=0
bash "${REPO_ROOT}/scripts/diff.sh" "${stack}" 2>&1 | tee "${out}/${stack}.log" || rc="${PIPESTATUS[0]}"
args=(--exit-code "${rc}" --log "${out}/${stack}.log")
if [[ "${rc}" -eq 0 ]]; then
  # The JSON plan carries sensitive values in clear: read it for addresses and actions; the EXIT trap deletes it.
  terraform -chdir="${STACKS_DIR}/${stack}" show -json plan >"${tmp}/plan.json"
  terraform -chdir="${STACKS_DIR}/${stack}" show -no-color plan >"${out}/${stack}.plan.txt"
  args+=(--plan-json "${tmp}/plan.json" --plan-text "${out}/${stack}.plan.txt")
fi
status="$("${summary[@]}" "${args[@]}")"
printf 'diff-stack: %s: %s\n' "${stack}" "${status}" >&2
[[ "${status}" != failed ]]
