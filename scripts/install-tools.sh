#!/usr/bin/env bash
# Installs every pinned tool the tests need (helm, schema validators, scanners, services).
# Usage: scripts/install-tools.sh [group...]   groups are the files in scripts/install/ (default: all).
#        scripts/install-tools.sh --path         only prints the line that puts the tools on PATH:
#                                                eval "$(npm run --silent tools -- --path)"
set -euo pipefail
shopt -s nullglob
here="$(cd "$(dirname "$0")" && pwd)"
# Quoted for the shell that evaluates it, whatever the checkout's path holds; $PATH is that shell's.
# shellcheck disable=SC2016
path_line="$(printf 'export PATH=%q:"$PATH"' "$(dirname "${here}")/.tools/bin")"
if [[ "${1:-}" == "--path" ]]; then
  echo "${path_line}"
  exit 0
fi
groups=("$@")
if [[ ${#groups[@]} -eq 0 ]]; then
  for f in "${here}"/install/*.sh; do groups+=("$(basename "${f}" .sh)"); done
fi
for g in "${groups[@]}"; do
  [[ -f "${here}/install/${g}.sh" ]] || { echo "unknown tool group: ${g}" >&2; exit 2; }
  bash "${here}/install/${g}.sh"
done
echo "tools: installed into .tools/bin; to run them by name as the docs do, put them on PATH:"
echo "  ${path_line}"
