#!/usr/bin/env bash
# Sourced helper: the manifest digest of a single-image OCI layout (what `docker buildx --output type=oci,tar=false`
# writes and `crane push` reads). One platform, no attestations: the layout's index names exactly one image manifest.

# layout_digest DIR: prints sha256:<hex> of the only image manifest in DIR/index.json, or fails naming the rule broken.
layout_digest() {
  local dir="$1" index="$1/index.json"
  [[ -f "${index}" ]] || { printf 'oci-layout: %s is not an OCI image layout (no index.json)\n' "${dir}" >&2; return 1; }
  local count media digest
  count="$(jq '.manifests | length' "${index}")"
  [[ "${count}" == 1 ]] || {
    printf 'oci-layout: %s/index.json lists %s manifests; expected exactly 1 (build one platform with --provenance=false --sbom=false)\n' "${dir}" "${count}" >&2
    return 1
  }
  media="$(jq -r '.manifests[0].mediaType' "${index}")"
  case "${media}" in
    application/vnd.oci.image.manifest.v1+json | application/vnd.docker.distribution.manifest.v2+json) ;;
    *) printf 'oci-layout: %s holds a %s, expected one image manifest\n' "${dir}" "${media}" >&2; return 1 ;;
  esac
  digest="$(jq -r '.manifests[0].digest' "${index}")"
  [[ "${digest}" =~ ^sha256:[0-9a-f]{64}$ ]] || { printf 'oci-layout: bad digest %s\n' "${digest}" >&2; return 1; }
  printf '%s\n' "${digest}"
}
