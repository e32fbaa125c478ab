#!/usr/bin/env bash
# Installs every pinned tool the tests need (helm, schema validators, scanners, services).
# Usage: scripts/install-tools.sh [group...]   groups are the files in scripts/install/ (default: all).
set -euo pipefail
shopt -s nullglob
here="$(cd "$(dirname "$0")" && pwd)"
groups=("$@")
if [[ ${#groups[@]} -eq 0 ]]; then
  for f in "${here}"/install/*.sh; do groups+=("$(basename "${f}" .sh)"); done
fi
for g in "${groups[@]}"; do
  [[ -f "${here}/install/${g}.sh" ]] || { echo "unknown tool group: ${g}" >&2; exit 2; }
  bash "${here}/install/${g}.sh"
done
