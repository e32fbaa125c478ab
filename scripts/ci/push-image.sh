#!/usr/bin/env bash
# Pushes the tracking-server image layout that deploy.yml builds (docker/build-push-action, OCI exporter) into one
# environment's registry, unchanged, and proves the registry now serves the digest the stacks were synthesized with.
# Usage: scripts/ci/push-image.sh <layout-dir> <registry-login-server> <tag> <expected-digest>
# For *.azurecr.io it logs in with the Azure CLI session (az login / azure/login); other registries use the
# existing crane/docker credentials (none for a registry on 127.0.0.1, as in the tests).
set -euo pipefail
die() { printf 'push-image: ERROR: %s\n' "$*" >&2; exit 2; }
readonly REPOSITORY=mlflow-tracking-server

[[ $# -eq 4 ]] || die "usage: scripts/ci/push-image.sh <layout-dir> <registry-login-server> <tag> <expected-digest>"
layout="$1" registry="$2" tag="$3" expected="$4"
[[ "${expected}" =~ ^sha256:[0-9a-f]{64}$ ]] || die "expected digest '${expected}' is not sha256:<64 hex>"
[[ "${registry}" =~ ^[a-z0-9.-]+(:[0-9]+)?$ ]] || die "registry '${registry}' is not a login server such as myregistry.azurecr.io"
[[ "${tag}" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || die "tag '${tag}' is not a valid image tag"
command -v crane >/dev/null || die "crane is not on PATH: run scripts/ci/install-deploy-tools.sh (or npm run tools) and add .tools/bin to PATH"

# One platform, no attestations: the layout's index names exactly one image manifest, the image to push.
index="${layout}/index.json"
[[ -f "${index}" ]] || die "${layout} is not an OCI image layout (no index.json)"
count="$(jq '.manifests | length' "${index}")"
[[ "${count}" == 1 ]] || die "${index} lists ${count} manifests; expected exactly 1 (build one platform with --provenance=false --sbom=false)"
jq -e '.manifests[0].mediaType | test("^application/vnd\\.(oci\\.image\\.manifest\\.v1|docker\\.distribution\\.manifest\\.v2)\\+json$")' "${index}" >/dev/null ||
  die "${index} names a $(jq -r '.manifests[0].mediaType' "${index}"), expected one image manifest"
actual="$(jq -r '.manifests[0].digest' "${index}")"
[[ "${actual}" == "${expected}" ]] || die "layout ${layout} holds ${actual}, but the release pins ${expected}: refusing to push another image"

if [[ "${registry}" == *.azurecr.io ]]; then
  # ACR access token for the logged-in identity (needs AcrPush on the registry); the user name is fixed by ACR.
  token="$(az acr login --name "${registry%%.*}" --expose-token --only-show-errors --output tsv --query accessToken)"
  printf '%s' "${token}" | crane auth login "${registry}" --username 00000000-0000-0000-0000-000000000000 --password-stdin
fi

ref="${registry}/${REPOSITORY}:${tag}"
crane push "${layout}" "${ref}" >/dev/null
served="$(crane digest "${ref}")"
[[ "${served}" == "${expected}" ]] || die "${ref} resolves to ${served} after the push, expected ${expected}"
printf '%s/%s@%s\n' "${registry}" "${REPOSITORY}" "${expected}"
