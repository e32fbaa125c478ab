#!/usr/bin/env bash
# Prints the tracking-server image digest of the newest build of main (its `release` artifact), or nothing
# when there is none yet. Pull-request diffs synthesize with it, so an mlflow diff shows the pull request's
# own changes instead of an image change on every pull request.
# Needs gh with GH_TOKEN (permission actions: read) and GITHUB_REPOSITORY.
set -euo pipefail
die() { printf 'main-image-digest: ERROR: %s\n' "$*" >&2; exit 2; }
: "${GITHUB_REPOSITORY:?GITHUB_REPOSITORY must name owner/repo}"

run_id="$(gh api "repos/${GITHUB_REPOSITORY}/actions/artifacts?name=release&per_page=50" \
  --jq '[.artifacts[] | select(.expired == false and .workflow_run.head_branch == "main")][0].workflow_run.id // empty')"
[[ -n "${run_id}" ]] || exit 0
dir="$(mktemp -d)"
trap 'rm -rf "${dir}"' EXIT
gh run download "${run_id}" --repo "${GITHUB_REPOSITORY}" --name release --dir "${dir}"
digest="$(jq -r '.image_digest' "${dir}/release.json")"
[[ "${digest}" =~ ^sha256:[0-9a-f]{64}$ ]] || die "release.json of run ${run_id} has no valid image_digest"
printf '%s\n' "${digest}"
