#!/usr/bin/env bash
# Tool group "e2e": MariaDB (the end-to-end test's MySQL-compatible store) and a venv with the tracking-server
# image's lock plus the test packages. Azurite comes from npm, helm from the "helm" group.
set -euo pipefail
# shellcheck source=../lib/tools.sh
source "$(dirname "$0")/../lib/tools.sh"

apt_pkgs mariadb-server mariadb-client
# One requirements file, so that the venv is rebuilt when either input changes.
cat "${REPO_ROOT}/docker/tracking-server/requirements.txt" "${REPO_ROOT}/__tests__/e2e/requirements-test.txt" >"${TOOLS_DIR}/e2e-requirements.txt"
py_venv e2e "${TOOLS_DIR}/e2e-requirements.txt"
