#!/usr/bin/env bash
# Prints one output value from a `cdktf deploy --outputs-file` file.
# Usage: scripts/ci/stack-output.sh <outputs-file> <output-name>
# cdktf nests outputs under the stack name and the construct path, so the name is looked up at any depth.
set -euo pipefail
die() { printf 'stack-output: ERROR: %s\n' "$*" >&2; exit 2; }

[[ $# -eq 2 ]] || die "usage: scripts/ci/stack-output.sh <outputs-file> <output-name>"
file="$1" name="$2"
[[ -f "${file}" ]] || die "outputs file ${file} does not exist (written by scripts/deploy.sh)"
value="$(jq -r --arg n "${name}" '[.. | objects | select(has($n)) | .[$n] | strings] | first // empty' "${file}")" ||
  die "${file} is not JSON"
[[ -n "${value}" ]] || die "output '${name}' not found in ${file}: it must be a non-sensitive string output of the stack"
printf '%s\n' "${value}"
