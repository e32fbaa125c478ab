#!/usr/bin/env bash
# Tool group "prometheus-operator": strict schemas of the ServiceMonitor CRD for scripts/kube-validate.sh, also under
# azmonitoring.coreos.com, AKS managed Prometheus's copy of it (Microsoft's docs: only the group differs).
set -euo pipefail
# shellcheck source=../lib/tools.sh
source "$(dirname "$0")/../lib/tools.sh"

kube_schemas prometheus-operator-schemas "${TOOLS_DIR}/prometheus-operator-schemas/${PROMETHEUS_OPERATOR_VERSION}" \
  servicemonitor-azmonitoring-v1.json crds "github.com/prometheus-operator/prometheus-operator@${PROMETHEUS_OPERATOR_VERSION}" \
  example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml azmonitoring.coreos.com
