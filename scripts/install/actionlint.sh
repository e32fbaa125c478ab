#!/usr/bin/env bash
# Tool group "actionlint", for scripts/test-workflows.sh: actionlint (with shellcheck on PATH it also checks every
# `run:` step), ShellCheck for the pipeline's scripts, crane (the push-image test) and jq (the pipeline reads JSON).
set -euo pipefail
# shellcheck source=../lib/tools.sh
source "$(dirname "$0")/../lib/tools.sh"

go_tool actionlint "github.com/rhysd/actionlint/cmd/actionlint@${ACTIONLINT_VERSION}" \
  "-X github.com/rhysd/actionlint.version=${ACTIONLINT_VERSION}"
go_tool crane "github.com/google/go-containerregistry/cmd/crane@${CRANE_VERSION}"
apt_pkgs shellcheck jq
