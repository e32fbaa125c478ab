#!/usr/bin/env bash
# Tool group "helm": helm v3 (built for the pinned Kubernetes minor), helm-unittest, kubeconform, helm-docs,
# and the Kubernetes JSON schemas shipped by the PyPI package kubernetes-validate (offline validation).
set -euo pipefail
# shellcheck source=../lib/tools.sh
source "$(cd "$(dirname "$0")/.." && pwd)/lib/tools.sh"

# A go-installed helm believes the cluster is Kubernetes 1.20 unless these are set at link time.
k8s_minor="$(cut -d. -f2 <<<"${KUBERNETES_VERSION}")"
helm_ldflags="-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=${k8s_minor}"
helm_ldflags+=" -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=${k8s_minor}"
helm_ldflags+=" -X helm.sh/helm/v3/internal/version.version=${HELM_VERSION}"

go_tool helm "helm.sh/helm/v3/cmd/helm@${HELM_VERSION}" "${helm_ldflags}"
# The checksum database reachable here has no entry for helm-unittest's tag, so skip it for this one module
# (its dependencies are still verified). Later tags carry a replace directive and cannot be go-installed.
(
  export GONOSUMDB="github.com/helm-unittest/helm-unittest${GONOSUMDB:+,${GONOSUMDB}}"
  go_tool helm-unittest "github.com/helm-unittest/helm-unittest/cmd/helm-unittest@${HELM_UNITTEST_VERSION}"
)
go_tool kubeconform "github.com/yannh/kubeconform/cmd/kubeconform@${KUBECONFORM_VERSION}"
# Generates the chart README's values table from the comments in values.yaml (scripts/test-chart.sh checks for drift).
go_tool helm-docs "github.com/norwoodj/helm-docs/cmd/helm-docs@${HELM_DOCS_VERSION}"
py_venv kube-schemas "${REPO_ROOT}/scripts/install/requirements-kube-schemas.txt"

# kubeconform reads schemas from disk only (its default location is on the internet): lay them out once per
# Kubernetes version and package version. scripts/kube-validate.sh points kubeconform at this folder.
schemas_dir="${TOOLS_DIR}/kube-schemas/v${KUBERNETES_VERSION}-strict"
schemas_want="$(sha256sum "${REPO_ROOT}/scripts/install/requirements-kube-schemas.txt" "${REPO_ROOT}/scripts/install/helm-kube-schemas.py" | sha256sum | cut -d' ' -f1) ${KUBERNETES_VERSION}"
if [[ -f "${schemas_dir}/deployment-apps-v1.json" ]] && stamp_ok kube-schemas "${schemas_want}"; then
  log "kube schemas: present (Kubernetes ${KUBERNETES_VERSION})"
else
  rm -rf "${schemas_dir}"
  "${TOOLS_DIR}/venvs/kube-schemas/bin/python" "${REPO_ROOT}/scripts/install/helm-kube-schemas.py" "${KUBERNETES_VERSION}" "${schemas_dir}"
  stamp_set kube-schemas "${schemas_want}"
fi
