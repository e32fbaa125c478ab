#!/usr/bin/env bash
# Diffs one stack for the pull-request comment and records the result in <results-dir>/<stack>.json
# (plus <stack>.plan.txt, the plan as terraform prints it, sensitive values masked, and <stack>.log).
# <stack>.json is written last and whole: the comment takes it as a finished result. A run first removes the
# stack's previous result, so an interrupted run leaves none rather than an old one; two runs of one stack
# into one folder are refused by a lock.
# Usage: scripts/ci/diff-stack.sh <stack> <results-dir>
# Exit 0 when the stack could be diffed or is waiting for its platform stack; 1 when the diff failed.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
die() { printf 'diff-stack: ERROR: %s\n' "$*" >&2; exit 2; }

[[ $# -eq 2 ]] || die "usage: scripts/ci/diff-stack.sh <stack> <results-dir>"
stack="$1" out="$2"
# Checked before anything is written: the name becomes file names in <results-dir>.
# shellcheck source=../lib/stack-name.sh
source "${REPO_ROOT}/scripts/lib/stack-name.sh"
require_stack_name "${stack}"
[[ -n "${out}" ]] || die "results-dir is empty: name the folder the result goes to"
mkdir -p "${out}"
exec 9>"${out}/.${stack}.lock"
flock -n 9 || die "another diff of ${stack} is writing ${out} (it holds ${out}/.${stack}.lock)"
rm -f "${out}/${stack}.json" "${out}/${stack}.log" "${out}/${stack}.plan.txt"
tmp="$(mktemp -d "${out}/.${stack}.XXXXXX")"
trap 'rm -rf "${tmp}"' EXIT
summary=(node "${REPO_ROOT}/scripts/ci/diff-summary.mjs" stack --stack "${stack}" --out "${out}")

# A stack that reads the outputs of others (mlflow-<env> those of infra-<env>, infra-<env> those of
# network-<env>) has nothing to diff while one of them has no state yet.
# A stack missing from cdktf.out has none here; diff.sh below says what is wrong with it.
mapfile -t dependencies < <(cd "${REPO_ROOT}" && node scripts/ci/stacks.mjs dependencies "${stack}" 2>/dev/null)
# A dependency is deployed once its state holds outputs. terraform reads that state from the backend the stack
# was synthesized with; when it cannot, the diff below runs and reports the error.
no_outputs() {
  local dir="${REPO_ROOT}/cdktf.out/stacks/$1" outputs
  terraform -chdir="${dir}" init -input=false -no-color >/dev/null && outputs="$(terraform -chdir="${dir}" output -json)" &&
    [[ "$(jq length <<<"${outputs}")" == 0 ]]
}
for dependency in "${dependencies[@]}"; do
  if no_outputs "${dependency}"; then
    "${summary[@]}" --platform missing --platform-stack "${dependency}" >/dev/null
    printf 'diff-stack: %s: platform stack %s not deployed yet, nothing to diff\n' "${stack}" "${dependency}" >&2
    exit 0
  fi
done
# Messages about outputs not deployed yet name the stack it reads from.
[[ ${#dependencies[@]} -eq 0 ]] || summary+=(--platform-stack "${dependencies[0]}")

rc=0
bash "${REPO_ROOT}/scripts/diff.sh" "${stack}" 2>&1 | tee "${tmp}/log" || rc="${PIPESTATUS[0]}"
mv "${tmp}/log" "${out}/${stack}.log"
args=(--exit-code "${rc}" --log "${out}/${stack}.log")
if [[ "${rc}" -eq 0 ]]; then
  # The JSON plan carries sensitive values in clear: read it for addresses and actions; the EXIT trap deletes it.
  terraform -chdir="${REPO_ROOT}/cdktf.out/stacks/${stack}" show -json plan >"${tmp}/plan.json"
  terraform -chdir="${REPO_ROOT}/cdktf.out/stacks/${stack}" show -no-color plan >"${tmp}/plan.txt"
  mv "${tmp}/plan.txt" "${out}/${stack}.plan.txt"
  args+=(--plan-json "${tmp}/plan.json" --plan-text "${out}/${stack}.plan.txt")
fi
status="$("${summary[@]}" "${args[@]}")"
printf 'diff-stack: %s: %s\n' "${stack}" "${status}" >&2
[[ "${status}" != failed ]]
