#!/usr/bin/env bash
# Tool group "e2e": MariaDB from Debian (the MySQL-compatible backend store of the end-to-end test) and a
# Python venv holding the tracking-server image's pinned lock plus the test packages.
# Azurite comes from npm (devDependency; `npm ci`), helm from the "helm" group.
set -euo pipefail
# shellcheck source=../lib/tools.sh
source "$(cd "$(dirname "$0")/.." && pwd)/lib/tools.sh"

apt_pkgs mariadb-server mariadb-client

# One requirements file for py_venv, so the venv is rebuilt when either input changes.
combined="${TOOLS_DIR}/e2e-requirements.txt"
cat "${REPO_ROOT}/docker/tracking-server/requirements.txt" "${REPO_ROOT}/__tests__/e2e/requirements-test.txt" >"${combined}"
py_venv e2e "${combined}"
