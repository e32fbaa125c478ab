#!/usr/bin/env bash
# Validates Kubernetes manifests strictly (unknown fields, wrong types, unknown kinds all fail) against the
# schemas of KUBERNETES_VERSION (scripts/versions.env), offline.
# Usage: scripts/kube-validate.sh FILE...   or   helm template ... | scripts/kube-validate.sh -
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=versions.env
source "${repo}/scripts/versions.env"
kubeconform="${repo}/.tools/bin/kubeconform"
schemas="${repo}/.tools/kube-schemas/v${KUBERNETES_VERSION}-strict"
if [[ ! -x "${kubeconform}" || ! -f "${schemas}/deployment-apps-v1.json" ]]; then
  echo "kube-validate: kubeconform or the Kubernetes ${KUBERNETES_VERSION} schemas are not installed: run npm run tools (or scripts/install-tools.sh helm)" >&2
  exit 127
fi
[[ $# -gt 0 ]] || { echo "usage: $0 FILE... | -" >&2; exit 2; }
# One worker: several workers each compile the same schemas (twice the CPU for these manifests);
# one worker is as fast on 2 cores and uses half the CPU (docs/performance.md).
# Gateway API kinds (Gateway, HTTPRoute) are checked against the CRDs of GATEWAY_API_VERSION (tool group gateway-api).
gateway_schemas="${repo}/.tools/gateway-api-schemas/${GATEWAY_API_VERSION}"
[[ -d "${gateway_schemas}" ]] || echo "kube-validate: no Gateway API schemas: Gateway API objects will fail (run scripts/install-tools.sh gateway-api)" >&2
# ServiceMonitors (monitoring.coreos.com and AKS's azmonitoring.coreos.com) against PROMETHEUS_OPERATOR_VERSION's CRD.
monitor_schemas="${repo}/.tools/prometheus-operator-schemas/${PROMETHEUS_OPERATOR_VERSION}"
[[ -d "${monitor_schemas}" ]] || echo "kube-validate: no ServiceMonitor schemas: ServiceMonitors will fail (run scripts/install-tools.sh prometheus-operator)" >&2
exec "${kubeconform}" -n 1 -strict -summary -kubernetes-version "${KUBERNETES_VERSION}" \
  -schema-location "${schemas}/{{.ResourceKind}}{{.KindSuffix}}.json" \
  -schema-location "${gateway_schemas}/{{.ResourceKind}}{{.KindSuffix}}.json" \
  -schema-location "${monitor_schemas}/{{.ResourceKind}}{{.KindSuffix}}.json" "$@"
