#!/usr/bin/env bash
# Checks the CI/CD pipeline (docs/ci.md, "Checks of the pipeline itself"): actionlint with ShellCheck per workflow,
# action pins, runner placement, ShellCheck on the pipeline's scripts, then the behaviour tests of scripts/ci.
# One PASS/FAIL line per check (node's spec report for the tests), closing with "workflows: N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${PWD}/.tools/bin:${PATH}"
die() { printf 'test-workflows: ERROR: %s\n' "$*" >&2; exit 1; }
for tool in actionlint shellcheck crane; do
  command -v "${tool}" >/dev/null || die "${tool} is not installed: run 'npm run tools' (or 'bash scripts/install-tools.sh actionlint')"
done
passed=0 failed=0
pass() { passed=$((passed + 1)); printf 'PASS  %s\n' "$*"; }
fail() { failed=$((failed + 1)); printf 'FAIL  %s\n' "$*"; }
# check NAME COMMAND...: one line, and the command's report indented under it when it fails.
check() {
  local name="$1" report; shift
  if report="$("$@" 2>&1)"; then pass "${name}"; else fail "${name}"; printf '%s\n' "${report}" | sed 's/^/      /'; fi
}
shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
[[ ${#workflows[@]} -gt 0 ]] || die "no workflow files in .github/workflows"

for wf in "${workflows[@]}"; do check "actionlint ${wf}" actionlint -shellcheck "$(command -v shellcheck)" -no-color "${wf}"; done

# Each `uses:` names a full version (vX.Y.Z) or a 40-hex commit; local actions and workflows (./) are exempt.
for file in "${workflows[@]}" .github/actions/*/action.yml .github/actions/*/action.yaml; do
  if bad="$(sed -nE 's/^[[:space:]-]*uses:[[:space:]]*["'\'']?([^"'\''[:space:]#]+).*/\1/p' "${file}" |
    grep -vE '^\./|^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@(v[0-9]+\.[0-9]+\.[0-9]+|[0-9a-f]{40})$')"; then
    fail "pinned actions ${file}: not pinned to vX.Y.Z or a commit SHA: ${bad//$'\n'/ }"
  else
    pass "pinned actions ${file}"
  fi
done

# runner-placement.mjs prints a PASS or FAIL line per job; a crash, or a check that judged nothing, also fails.
status=0
placement="$(node scripts/ci/runner-placement.mjs "${workflows[@]}" 2>&1)" || status=$?
printf '%s\n' "${placement}"
ok="$(grep -c '^PASS  ' <<<"${placement}")" || true
bad="$(grep -c '^FAIL  ' <<<"${placement}")" || true
passed=$((passed + ok)) failed=$((failed + bad))
((ok + bad > 0 && (status == 0 || bad > 0))) || fail "runner placement: the check judged ${ok} jobs and exited ${status}"

for script in scripts/diff.sh scripts/deploy.sh scripts/test-workflows.sh scripts/install/actionlint.sh scripts/ci/*.sh; do
  check "shellcheck ${script}" shellcheck -x -P SCRIPTDIR "${script}"
done

# The behaviour tests: node's spec report for people, its TAP summary for the counts.
tests=(scripts/ci/tests/*.test.mjs)
[[ ${#tests[@]} -gt 0 ]] || die "no tests in scripts/ci/tests"
tap="$(mktemp)"; trap 'rm -f "${tap}"' EXIT
status=0
node --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="${tap}" "${tests[@]}" || status=$?
read -r ok bad < <(awk '/^# pass [0-9]+$/ { p = $3 } /^# fail [0-9]+$/ { f = $3 } END { print p, f }' "${tap}")
[[ -n "${ok}" && -n "${bad}" ]] || die "node --test printed no summary (exit ${status})"
passed=$((passed + ok)) failed=$((failed + bad))
((status == 0 || bad > 0)) || fail "node --test exited ${status}" # a crash outside any test

printf 'workflows: %d passed, %d failed\n' "${passed}" "${failed}"
((failed == 0))
