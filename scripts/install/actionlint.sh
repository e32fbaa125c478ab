#!/usr/bin/env bash
# Tools that check the CI pipeline (scripts/test-workflows.sh):
#   actionlint  lints .github/workflows; with shellcheck on PATH it also checks the shell of every `run:` step
#   ShellCheck  (Debian package shellcheck) lints the pipeline's bash scripts
#   crane       pushes OCI image layouts; the push-image test runs it against its own in-process registry
#   jq          (Debian package) the pipeline scripts read JSON with it
set -euo pipefail
# shellcheck source=../lib/tools.sh
source "$(dirname "$0")/../lib/tools.sh"

go_tool actionlint "github.com/rhysd/actionlint/cmd/actionlint@${ACTIONLINT_VERSION}" \
  "-X github.com/rhysd/actionlint.version=${ACTIONLINT_VERSION}"
go_tool crane "github.com/google/go-containerregistry/cmd/crane@${CRANE_VERSION}"
apt_pkgs shellcheck jq
