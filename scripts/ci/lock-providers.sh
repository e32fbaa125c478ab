#!/usr/bin/env bash
# Writes .terraform.lock.hcl into every synthesized stack (linux_amd64), once, in the build job.
# The lock files travel inside the cdktf-out artifact, so every environment installs the same provider
# binaries, checked against the same hashes (cdktf keeps a lock file that already matches).
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
die() { printf 'lock-providers: ERROR: %s\n' "$*" >&2; exit 2; }

command -v terraform >/dev/null || die "terraform is not on PATH"
shopt -s nullglob
stacks=("${REPO_ROOT}"/cdktf.out/stacks/*/)
[[ ${#stacks[@]} -gt 0 ]] || die "no stacks in cdktf.out/stacks: run 'npm run synth' first"
for dir in "${stacks[@]}"; do
  printf 'lock-providers: %s\n' "$(basename "${dir}")" >&2
  terraform -chdir="${dir}" providers lock -platform=linux_amd64 >&2
done
