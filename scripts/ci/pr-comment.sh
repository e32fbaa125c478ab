#!/usr/bin/env bash
# Posts the diff summary on a pull request, or updates the summary comment posted before (one per PR).
# Usage: scripts/ci/pr-comment.sh <pr-number> <body-file>
# The comment is recognised by the marker on the first line of the body (scripts/ci/diff-summary.mjs).
# Needs gh with GH_TOKEN (permission pull-requests: write) and GITHUB_REPOSITORY.
set -euo pipefail
die() { printf 'pr-comment: ERROR: %s\n' "$*" >&2; exit 2; }
readonly MARKER='<!-- cdktf-diff-summary -->'

[[ $# -eq 2 ]] || die "usage: scripts/ci/pr-comment.sh <pr-number> <body-file>"
pr="$1" body="$2"
[[ "${pr}" =~ ^[0-9]+$ ]] || die "pull request number '${pr}' is not a number"
[[ -s "${body}" ]] || die "comment body ${body} is missing or empty"
[[ "$(head -n1 "${body}")" == "${MARKER}" ]] || die "${body} does not start with ${MARKER}"
: "${GITHUB_REPOSITORY:?GITHUB_REPOSITORY must name owner/repo}"

existing="$(gh api --paginate "repos/${GITHUB_REPOSITORY}/issues/${pr}/comments" \
  --jq ".[] | select(.user.type == \"Bot\" and (.body | startswith(\"${MARKER}\"))) | .id" | head -n1)"
if [[ -n "${existing}" ]]; then
  gh api --method PATCH "repos/${GITHUB_REPOSITORY}/issues/comments/${existing}" -F "body=@${body}" --jq .html_url
else
  gh api --method POST "repos/${GITHUB_REPOSITORY}/issues/${pr}/comments" -F "body=@${body}" --jq .html_url
fi
