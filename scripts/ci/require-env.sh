#!/usr/bin/env bash
# Fails, naming each one, when any of the given environment variables is empty.
# Usage: scripts/ci/require-env.sh NAME...
# The workflows fill them from repository and environment variables; docs/promotion.md lists them.
set -euo pipefail
missing=()
for name in "$@"; do
  [[ -n "${!name:-}" ]] || missing+=("${name}")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  printf 'require-env: ERROR: not set: %s (GitHub repository or environment variables, see docs/promotion.md)\n' "${missing[*]}" >&2
  exit 2
fi
