#!/usr/bin/env bash
# Validates manifests strictly (unknown fields, types, kinds fail), offline, against KUBERNETES_VERSION, the Gateway API
# and ServiceMonitor CRDs (versions.env). Usage: kube-validate.sh FILE...  or  helm template ... | kube-validate.sh -
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
locations=(-schema-location "${schemas}/{{.ResourceKind}}{{.KindSuffix}}.json")
for crds in "gateway-api-schemas/${GATEWAY_API_VERSION}" "prometheus-operator-schemas/${PROMETHEUS_OPERATOR_VERSION}"; do
  [[ -d "${repo}/.tools/${crds}" ]] || echo "kube-validate: no .tools/${crds}: its kinds will fail (run scripts/install-tools.sh ${crds%%-schemas/*})" >&2
  locations+=(-schema-location "${repo}/.tools/${crds}/{{.ResourceKind}}{{.KindSuffix}}.json")
done
# One worker: each worker compiles the same schemas, so more only cost CPU on 2 cores (docs/performance.md).
exec "${kubeconform}" -n 1 -strict -summary -kubernetes-version "${KUBERNETES_VERSION}" "${locations[@]}" "$@"
