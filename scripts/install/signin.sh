#!/usr/bin/env bash
# Tool group "signin", for npm run test:signin (which also needs the e2e and helm groups): oauth2-proxy at the
# pinned version and Debian's Chromium for the headless browser sign-in.
set -euo pipefail
# shellcheck source=../lib/tools.sh
source "$(dirname "$0")/../lib/tools.sh"

go_tool oauth2-proxy "github.com/oauth2-proxy/oauth2-proxy/v7@${OAUTH2_PROXY_VERSION}" \
  "-X github.com/oauth2-proxy/oauth2-proxy/v7/pkg/version.VERSION=${OAUTH2_PROXY_VERSION}"
apt_pkgs chromium fonts-liberation
