#!/usr/bin/env bash
# Tool group "gateway-api": strict schemas of the Gateway API CRDs (standard channel) for scripts/kube-validate.sh.
set -euo pipefail
# shellcheck source=../lib/tools.sh
source "$(dirname "$0")/../lib/tools.sh"

kube_schemas gateway-api-schemas "${TOOLS_DIR}/gateway-api-schemas/${GATEWAY_API_VERSION}" gateway-gateway-v1.json \
  crds "sigs.k8s.io/gateway-api@${GATEWAY_API_VERSION}" 'config/crd/standard/*.yaml'
