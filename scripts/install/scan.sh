#!/usr/bin/env bash
# Tool group "scan": checkov and its whole pinned dependency set in .tools/venvs/scan, for scripts/scan.sh.
set -euo pipefail
# shellcheck source=../lib/tools.sh
source "$(dirname "$0")/../lib/tools.sh"

py_venv scan "${REPO_ROOT}/scripts/install/requirements-scan.txt"
version="$("${TOOLS_DIR}/venvs/scan/bin/checkov" --version)" || die "checkov does not start from .tools/venvs/scan"
log "checkov: ${version}"
