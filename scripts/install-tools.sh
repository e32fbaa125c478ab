#!/usr/bin/env bash
# Installs the pinned tools into .tools/. Usage: install-tools.sh [GROUP...]  (scripts/install/GROUP.sh; default: all)
# or install-tools.sh --path: prints only the line that puts them on PATH, for eval "$(npm run --silent tools -- --path)".
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# %q quotes the checkout's path for the shell that evaluates the line; $PATH is that shell's.
# shellcheck disable=SC2016
path_line="$(printf 'export PATH=%q:"$PATH"' "$(dirname "${here}")/.tools/bin")"
[[ "${1:-}" != "--path" ]] || { echo "${path_line}"; exit 0; }
groups=("$@")
[[ $# -gt 0 ]] || mapfile -t groups < <(basename -s .sh "${here}"/install/*.sh)
for g in "${groups[@]}"; do
  [[ -f "${here}/install/${g}.sh" ]] || { echo "unknown tool group: ${g}" >&2; exit 2; }
  bash "${here}/install/${g}.sh"
done
echo "tools: installed into .tools/bin; to run them by name as the docs do, put them on PATH:"
echo "  ${path_line}"
