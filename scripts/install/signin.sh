#!/usr/bin/env bash
# Tool group "signin": what the sign-in test (npm run test:signin) runs besides npm packages: oauth2-proxy built
# from its Go module at the pinned version and Debian's Chromium for the headless browser sign-in.
# The sign-in test also needs the e2e group (its venv runs the MLflow server and client) and the helm group.
set -euo pipefail
# shellcheck source=../lib/tools.sh
source "$(cd "$(dirname "$0")/.." && pwd)/lib/tools.sh"

go_tool oauth2-proxy "github.com/oauth2-proxy/oauth2-proxy/v7@${OAUTH2_PROXY_VERSION}" \
  "-X github.com/oauth2-proxy/oauth2-proxy/v7/pkg/version.VERSION=${OAUTH2_PROXY_VERSION}"
apt_pkgs chromium fonts-liberation
