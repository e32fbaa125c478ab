#!/usr/bin/env bash
# Tool group "gateway-api": JSON schemas of the Gateway API CRDs (standard channel) at GATEWAY_API_VERSION, made
# strict, for kubeconform (scripts/kube-validate.sh). The CRDs come from the sigs.k8s.io/gateway-api Go module.
# Reads the CRDs with the helm group's kube-schemas venv (PyYAML), set up here too when this group runs first.
set -euo pipefail
# shellcheck source=../lib/tools.sh
source "$(cd "$(dirname "$0")/.." && pwd)/lib/tools.sh"

dest="${TOOLS_DIR}/gateway-api-schemas/${GATEWAY_API_VERSION}"
py="${TOOLS_DIR}/venvs/kube-schemas/bin/python"
converter="${REPO_ROOT}/scripts/install/gateway-api-schemas.py"
want="${GATEWAY_API_VERSION} $(sha256sum "${converter}" | cut -d' ' -f1)"
if [[ -f "${dest}/gateway-gateway-v1.json" ]] && stamp_ok gateway-api-schemas "${want}"; then
  log "gateway api schemas: present (${GATEWAY_API_VERSION})"; exit 0
fi
py_venv kube-schemas "${REPO_ROOT}/scripts/install/requirements-kube-schemas.txt"
command -v go >/dev/null || die "go is required to fetch sigs.k8s.io/gateway-api@${GATEWAY_API_VERSION}"
module_dir="$(GOFLAGS=-mod=mod go mod download -json "sigs.k8s.io/gateway-api@${GATEWAY_API_VERSION}" \
  | "${py}" -c 'import json, sys; print(json.load(sys.stdin)["Dir"])')"
rm -rf "${dest}"
"${py}" "${converter}" "${module_dir}/config/crd/standard" "${dest}"
stamp_set gateway-api-schemas "${want}"
