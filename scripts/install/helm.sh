#!/usr/bin/env bash
# Tool group "helm": helm v3 (built for the pinned Kubernetes minor), helm-unittest, kubeconform, helm-docs, and
# the strict Kubernetes JSON schemas of the PyPI package kubernetes-validate, for kubeconform offline.
set -euo pipefail
# shellcheck source=../lib/tools.sh
source "$(dirname "$0")/../lib/tools.sh"

# A go-installed helm believes the cluster is Kubernetes 1.20 unless these are set at link time.
minor="$(cut -d. -f2 <<<"${KUBERNETES_VERSION}")" v="helm.sh/helm/v3"
go_tool helm "${v}/cmd/helm@${HELM_VERSION}" "-X ${v}/pkg/chartutil.k8sVersionMajor=1 -X ${v}/pkg/chartutil.k8sVersionMinor=${minor}\
 -X ${v}/pkg/lint/rules.k8sVersionMajor=1 -X ${v}/pkg/lint/rules.k8sVersionMinor=${minor} -X ${v}/internal/version.version=${HELM_VERSION}"
# The checksum database reachable here lacks helm-unittest's tag (its dependencies are still verified); later tags
# carry a replace directive and cannot be go-installed.
GONOSUMDB="github.com/helm-unittest/helm-unittest${GONOSUMDB:+,${GONOSUMDB}}" \
  go_tool helm-unittest "github.com/helm-unittest/helm-unittest/cmd/helm-unittest@${HELM_UNITTEST_VERSION}"
go_tool kubeconform "github.com/yannh/kubeconform/cmd/kubeconform@${KUBECONFORM_VERSION}"
# Makes the chart README's values table from values.yaml's comments (scripts/test-chart.sh checks for drift).
go_tool helm-docs "github.com/norwoodj/helm-docs/cmd/helm-docs@${HELM_DOCS_VERSION}"
kube_schemas kube-schemas "${TOOLS_DIR}/kube-schemas/v${KUBERNETES_VERSION}-strict" deployment-apps-v1.json k8s "${KUBERNETES_VERSION}"
