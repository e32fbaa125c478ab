#!/usr/bin/env bash
# Tool group "scan": checkov from PyPI, pinned with its whole dependency set, in .tools/venvs/scan.
# scripts/scan.sh (npm run scan) runs it over the synthesized stacks and the rendered chart.
set -euo pipefail
# shellcheck source=../lib/tools.sh
source "$(cd "$(dirname "$0")/.." && pwd)/lib/tools.sh"

py_venv scan "${REPO_ROOT}/scripts/install/requirements-scan.txt"
"${TOOLS_DIR}/venvs/scan/bin/checkov" --version >/dev/null || die "checkov does not start from .tools/venvs/scan"
log "checkov: $("${TOOLS_DIR}/venvs/scan/bin/checkov" --version)"
