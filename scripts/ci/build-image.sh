#!/usr/bin/env bash
# Builds the tracking-server image once per commit into an OCI image layout and prints its manifest digest.
# Usage: scripts/ci/build-image.sh <layout-dir> <tag>
# The layout travels as a pipeline artifact and is pushed byte for byte into each environment's registry
# (scripts/ci/push-image.sh), so the digest synthesized into the stacks is the one every environment runs.
# Needs docker with a buildx builder that can export OCI (docker/setup-buildx-action's docker-container driver).
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
# shellcheck source=oci-layout.sh
source "${REPO_ROOT}/scripts/ci/oci-layout.sh"
die() { printf 'build-image: ERROR: %s\n' "$*" >&2; exit 2; }

[[ $# -eq 2 ]] || die "usage: scripts/ci/build-image.sh <layout-dir> <tag>"
out="$1" tag="$2"
context="${REPO_ROOT}/${IMAGE_CONTEXT:-docker/tracking-server}"
[[ -f "${context}/Dockerfile" ]] || die "no Dockerfile in ${context}"
[[ ! -e "${out}" ]] || die "${out} already exists; give a new directory"

# Timestamps from the commit, not the clock: rebuilding a commit changes as little as possible.
SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "${REPO_ROOT}" log -1 --format=%ct)}"
export SOURCE_DATE_EPOCH
docker buildx build \
  --platform linux/amd64 --provenance=false --sbom=false \
  --file "${context}/Dockerfile" --tag "mlflow-tracking-server:${tag}" \
  --output "type=oci,dest=${out},tar=false" \
  "${context}" >&2
layout_digest "${out}"
