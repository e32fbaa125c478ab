#!/usr/bin/env bash
# Pinned tools the diff and deploy jobs need besides node, terraform and the Azure CLI:
#   kubelogin  exec credential plugin of the Kubernetes/Helm providers (AKS with Entra ID, local accounts off)
#   crane      pushes the tracking-server image layout to an environment's registry, digest unchanged
# Installed into .tools/bin (put it on PATH); needs Go.
set -euo pipefail
# shellcheck source=../lib/tools.sh
source "$(dirname "$0")/../lib/tools.sh"

go_tool kubelogin "github.com/Azure/kubelogin@${KUBELOGIN_VERSION}"
go_tool crane "github.com/google/go-containerregistry/cmd/crane@${CRANE_VERSION}"
