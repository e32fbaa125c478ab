#!/usr/bin/env bash
# Checks the CI/CD pipeline:
#   1. actionlint on every workflow (with ShellCheck on each `run:` script, and the local composite actions)
#   2. every action pinned to a full release version (vX.Y.Z) or a commit SHA
#   3. runner placement: plans, deploys and image pushes on the environment's runner group, every other job on
#      a pinned GitHub-hosted image (scripts/ci/runner-placement.mjs)
#   4. ShellCheck on the pipeline's scripts
#   5. the behaviour tests of scripts/ci (node --test): diff summary, shell scripts, image push, runner
#      placement
# Fails loudly when a tool is missing: install them with `npm run tools` (group actionlint).
# Prints one line per check (the behaviour tests: node's spec report) and closes with "workflows: N passed, N failed".
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "${REPO_ROOT}"
TOOLS_BIN="${REPO_ROOT}/.tools/bin"
export PATH="${TOOLS_BIN}:${PATH}"

die() { printf 'test-workflows: ERROR: %s\n' "$*" >&2; exit 1; }
for tool in actionlint shellcheck crane; do
  command -v "${tool}" >/dev/null ||
    die "${tool} is not installed: run 'npm run tools' (or 'bash scripts/install-tools.sh actionlint')"
done

passed=0 failed=0
pass() { passed=$((passed + 1)); printf 'PASS  %s\n' "$*"; }
fail() { failed=$((failed + 1)); printf 'FAIL  %s\n' "$*"; }

shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
actions=(.github/actions/*/action.yml .github/actions/*/action.yaml)
[[ ${#workflows[@]} -gt 0 ]] || die "no workflow files in .github/workflows"

# 1. actionlint, one workflow at a time so each result is named.
for wf in "${workflows[@]}"; do
  if report="$(actionlint -shellcheck "$(command -v shellcheck)" -no-color "${wf}" 2>&1)"; then
    pass "actionlint ${wf}"
  else
    fail "actionlint ${wf}"
    printf '%s\n' "${report}" | sed 's/^/      /'
  fi
done

# 2. Pins: `uses:` must name a full version or a 40-hex commit; local actions and reusable workflows are exempt.
pin_pattern='^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@(v[0-9]+\.[0-9]+\.[0-9]+|[0-9a-f]{40})$'
for file in "${workflows[@]}" "${actions[@]}"; do
  bad=()
  while IFS= read -r ref; do
    [[ "${ref}" == ./* ]] && continue
    [[ "${ref}" =~ ${pin_pattern} ]] || bad+=("${ref}")
  done < <(sed -nE 's/^[[:space:]-]*uses:[[:space:]]*["'\'']?([^"'\''[:space:]#]+).*/\1/p' "${file}")
  if [[ ${#bad[@]} -eq 0 ]]; then
    pass "pinned actions ${file}"
  else
    fail "pinned actions ${file}: not pinned to vX.Y.Z or a commit SHA: ${bad[*]}"
  fi
done

# 3. Where each job runs: runner-placement.mjs prints a PASS or FAIL line per job, counted here.
placement_status=0
placement="$(node scripts/ci/runner-placement.mjs "${workflows[@]}" 2>&1)" || placement_status=$?
printf '%s\n' "${placement}"
placement_ok="$(grep -c '^PASS  ' <<<"${placement}" || true)"
placement_bad="$(grep -c '^FAIL  ' <<<"${placement}" || true)"
passed=$((passed + placement_ok)) failed=$((failed + placement_bad))
# A crash, or a check that judged nothing, must not pass silently.
if [[ $((placement_ok + placement_bad)) -eq 0 || ("${placement_status}" -ne 0 && "${placement_bad}" -eq 0) ]]; then
  fail "runner placement: the check judged ${placement_ok} jobs and exited ${placement_status}"
fi

# 4. ShellCheck on the scripts this pipeline runs.
scripts=(scripts/diff.sh scripts/deploy.sh scripts/test-workflows.sh
  scripts/install/actionlint.sh scripts/ci/*.sh)
for script in "${scripts[@]}"; do
  if report="$(shellcheck -x -P SCRIPTDIR "${script}" 2>&1)"; then
    pass "shellcheck ${script}"
  else
    fail "shellcheck ${script}"
    printf '%s\n' "${report}" | sed 's/^/      /'
  fi
done

# 5. Behaviour tests of the pipeline scripts: node's spec report for people, its TAP summary for the counts.
tests=(scripts/ci/tests/*.test.mjs)
[[ ${#tests[@]} -gt 0 ]] || die "no tests in scripts/ci/tests"
tap="$(mktemp)"
trap 'rm -f "${tap}"' EXIT
node_status=0
node --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="${tap}" "${tests[@]}" || node_status=$?
node_pass="$(sed -nE 's/^# pass ([0-9]+)$/\1/p' "${tap}" | tail -n1)"
node_fail="$(sed -nE 's/^# fail ([0-9]+)$/\1/p' "${tap}" | tail -n1)"
[[ -n "${node_pass}" && -n "${node_fail}" ]] || die "node --test printed no summary (exit ${node_status})"
passed=$((passed + node_pass)) failed=$((failed + node_fail))
# A crash outside any test must not pass silently.
[[ "${node_status}" -eq 0 || "${node_fail}" -gt 0 ]] || fail "node --test exited ${node_status}"

printf 'workflows: %d passed, %d failed\n' "${passed}" "${failed}"
[[ "${failed}" -eq 0 ]]
