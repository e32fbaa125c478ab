#!/usr/bin/env bash
# Tells whether a stack that others depend on (network-<env>, infra-<env>) has been deployed: prints `deployed`
# when its state holds outputs, `missing` when there is no state or no outputs yet. The stacks after it read those
# outputs through terraform_remote_state, so without them there is nothing to diff for them.
# Usage: scripts/ci/platform-state.sh <stack>
# Reads the backend from the synthesized stack: azurerm (through `az`, Entra ID auth) or local.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
die() { printf 'platform-state: ERROR: %s\n' "$*" >&2; exit 2; }

[[ $# -eq 1 ]] || die "usage: scripts/ci/platform-state.sh <stack>"
stack="$1"
[[ "${stack}" =~ ^[a-z]+-[a-z][a-z0-9]{1,9}$ ]] || die "'${stack}' is not a stack name (<kind>-<env>, e.g. infra-dev)"
stack_dir="${REPO_ROOT}/cdktf.out/stacks/${stack}"
[[ -f "${stack_dir}/cdk.tf.json" ]] || die "${stack_dir}/cdk.tf.json is missing: run 'npm run synth' first"

backend="$(jq -r '.terraform.backend // {"local": {}} | keys[0]' "${stack_dir}/cdk.tf.json")"
state_file=""
case "${backend}" in
  azurerm)
    setting() { jq -r --arg k "$1" '.terraform.backend.azurerm[$k] // empty' "${stack_dir}/cdk.tf.json"; }
    account="$(setting storage_account_name)" container="$(setting container_name)" key="$(setting key)"
    [[ -n "${account}" && -n "${container}" && -n "${key}" ]] ||
      die "${stack}: azurerm backend lacks storage_account_name, container_name or key"
    exists="$(az storage blob exists --auth-mode login --only-show-errors --output tsv --query exists \
      --account-name "${account}" --container-name "${container}" --name "${key}")"
    if [[ "${exists}" != true ]]; then echo missing; exit 0; fi
    # The state holds secrets: keep it only for the check.
    state_file="$(mktemp)"
    trap 'rm -f "${state_file}"' EXIT
    az storage blob download --auth-mode login --only-show-errors --output none \
      --account-name "${account}" --container-name "${container}" --name "${key}" --file "${state_file}"
    ;;
  local)
    path="$(jq -r '.terraform.backend.local.path // "terraform.tfstate"' "${stack_dir}/cdk.tf.json")"
    [[ "${path}" == /* ]] || path="${stack_dir}/${path}"
    if [[ ! -f "${path}" ]]; then echo missing; exit 0; fi
    state_file="${path}"
    ;;
  *) die "${stack}: backend '${backend}' is not supported (azurerm or local)" ;;
esac

if jq -e '(.outputs // {}) | length > 0' "${state_file}" >/dev/null; then echo deployed; else echo missing; fi
