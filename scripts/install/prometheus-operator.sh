#!/usr/bin/env bash
# Tool group "prometheus-operator": strict JSON schemas of the ServiceMonitor CRD at PROMETHEUS_OPERATOR_VERSION for
# kubeconform (scripts/kube-validate.sh), under prometheus-operator's group monitoring.coreos.com and under
# azmonitoring.coreos.com, AKS managed Prometheus's copy of the same CRD (Microsoft's docs: only the group differs).
# The CRD comes from the github.com/prometheus-operator/prometheus-operator Go module; the gateway-api group's
# converter makes the schemas, with its kube-schemas venv (PyYAML), set up here too when this group runs first.
set -euo pipefail
# shellcheck source=../lib/tools.sh
source "$(cd "$(dirname "$0")/.." && pwd)/lib/tools.sh"

dest="${TOOLS_DIR}/prometheus-operator-schemas/${PROMETHEUS_OPERATOR_VERSION}"
py="${TOOLS_DIR}/venvs/kube-schemas/bin/python"
converter="${REPO_ROOT}/scripts/install/gateway-api-schemas.py"
want="${PROMETHEUS_OPERATOR_VERSION} $(sha256sum "${converter}" "$0" | sha256sum | cut -d' ' -f1)"
if [[ -f "${dest}/servicemonitor-azmonitoring-v1.json" ]] && stamp_ok prometheus-operator-schemas "${want}"; then
  log "prometheus-operator schemas: present (${PROMETHEUS_OPERATOR_VERSION})"; exit 0
fi
py_venv kube-schemas "${REPO_ROOT}/scripts/install/requirements-kube-schemas.txt"
command -v go >/dev/null || die "go is required to fetch github.com/prometheus-operator/prometheus-operator@${PROMETHEUS_OPERATOR_VERSION}"
module_dir="$(GOFLAGS=-mod=mod go mod download -json "github.com/prometheus-operator/prometheus-operator@${PROMETHEUS_OPERATOR_VERSION}" \
  | "${py}" -c 'import json, sys; print(json.load(sys.stdin)["Dir"])')"
crd="${module_dir}/example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml"
[[ -f "${crd}" ]] || die "no ServiceMonitor CRD at ${crd#"${module_dir}/"} in prometheus-operator ${PROMETHEUS_OPERATOR_VERSION}"
crds="$(mktemp -d)"
trap 'rm -rf "${crds}"' EXIT
cp "${crd}" "${crds}/"
grep -q '^  group: monitoring.coreos.com$' "${crd}" || die "the ServiceMonitor CRD no longer has spec.group on its own line"
sed 's/^  group: monitoring\.coreos\.com$/  group: azmonitoring.coreos.com/' "${crd}" >"${crds}/azmonitoring.coreos.com_servicemonitors.yaml"
rm -rf "${dest}"
"${py}" "${converter}" "${crds}" "${dest}" servicemonitor-monitoring-v1.json
[[ -f "${dest}/servicemonitor-azmonitoring-v1.json" ]] || die "no azmonitoring ServiceMonitor schema in ${dest}"
stamp_set prometheus-operator-schemas "${want}"
