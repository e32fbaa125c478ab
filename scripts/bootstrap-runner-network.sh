#!/usr/bin/env bash
# Creates the runner subnet of one environment before anything else of infra-<env>, once, from a workstation.
# Why: the pipeline's deploy and diff jobs of an environment run on runners inside that environment's VNet
# (docs/ci.md), and that VNet is created by infra-<env> itself. This breaks the circle: it applies only the
# runner subnet, its NSG association and the rest of the runners' network (every resource whose construct path
# starts with infra-<env>/network/runners-: the NAT gateway that gives the runners their only way out), into the
# shared state; terraform pulls in the resource group and VNet they depend on. The pipeline's first full
# deploy finds them there and carries on.
#
# Usage: scripts/bootstrap-runner-network.sh [--no-synth] [--print-targets] <dev|staging|prod>
#   --no-synth       use the existing cdktf.out instead of running `npm run synth` first
#   --print-targets  print the Terraform addresses it would apply, one a line, and exit (runs no terraform)
# Needs (unless --print-targets): terraform on PATH, `az login`, ARM_SUBSCRIPTION_ID, and the stacks
# synthesized with the state backend variables TF_STATE_RESOURCE_GROUP, TF_STATE_STORAGE_ACCOUNT,
# TF_STATE_CONTAINER (docs/promotion.md, "Bootstrap").
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
USAGE="usage: scripts/bootstrap-runner-network.sh [--no-synth] [--print-targets] <dev|staging|prod>"
die() { printf 'bootstrap-runner-network: ERROR: %s\n' "$*" >&2; exit 2; }
log() { printf 'bootstrap-runner-network: %s\n' "$*" >&2; }

synth=true print_only=false env=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-synth) synth=false ;;
    --print-targets) print_only=true ;;
    -h | --help) printf '%s\n' "${USAGE}"; exit 0 ;;
    -*) die "unknown option '$1'; ${USAGE}" ;;
    *)
      [[ -z "${env}" ]] || die "one environment at a time (got '${env}' and '$1'); ${USAGE}"
      env="$1"
      ;;
  esac
  shift
done
[[ -n "${env}" ]] || die "${USAGE}"
[[ "${env}" =~ ^(dev|staging|prod)$ ]] || die "environment '${env}' is unknown: expected dev, staging or prod"
command -v jq >/dev/null || die "jq is not on PATH (apt-get install jq)"

cd "${REPO_ROOT}"
stack="infra-${env}"
stack_dir="cdktf.out/stacks/${stack}"
stack_json="${stack_dir}/cdk.tf.json"

if [[ "${synth}" == true ]]; then
  log "synthesizing (npm run synth)"
  npm run --silent synth >&2 || die "npm run synth failed (see above)"
fi
[[ -f "${stack_json}" ]] ||
  die "${stack_json} is missing: run without --no-synth, or 'npm run synth' first"

# address_of PATH TYPE: the Terraform address <type>.<uniqueId> of the one resource whose construct path is PATH.
address_of() {
  local path="$1" type="$2" found
  found="$(jq -r --arg path "${path}" '
    (.resource // {}) | to_entries[] | .key as $type | .value | to_entries[]
    | select(.value["//"].metadata.path == $path) | "\($type) \(.value["//"].metadata.uniqueId)"' "${stack_json}")"
  [[ -n "${found}" ]] ||
    die "${stack_json} has no resource at construct path '${path}' (expected type ${type}): is the private network construct in this commit?"
  [[ "$(wc -l <<<"${found}")" -eq 1 ]] || die "${stack_json} has several resources at construct path '${path}'"
  [[ "${found%% *}" == "${type}" ]] ||
    die "the resource at construct path '${path}' has type ${found%% *}, expected ${type}"
  printf '%s.%s\n' "${type}" "${found#* }"
}
subnet="$(address_of "${stack}/network/runners-subnet" azurerm_subnet)"
nsg_link="$(address_of "${stack}/network/runners-nsg-link" azurerm_subnet_network_security_group_association)"
# The rest of the runners' network, in construct-path order. Without the NAT gateway the subnet has no way out
# (no default outbound access) and no runner could ever reach GitHub.
mapfile -t others < <(jq -r --arg prefix "${stack}/network/runners-" --arg a "${subnet}" --arg b "${nsg_link}" '
  [(.resource // {}) | to_entries[] | .key as $type | .value | to_entries[]
   | {path: .value["//"].metadata.path, address: "\($type).\(.value["//"].metadata.uniqueId)"}
   | select((.path // "") | startswith($prefix)) | select(.address != $a and .address != $b)]
  | sort_by(.path)[] | .address' "${stack_json}")
targets=("${subnet}" "${nsg_link}" "${others[@]}")

if [[ "${print_only}" == true ]]; then
  printf '%s\n' "${targets[@]}"
  exit 0
fi

# The pipeline must find these resources in the shared state; in a local state file they would be created twice.
[[ "$(jq -r '.terraform.backend // {} | has("azurerm")' "${stack_json}")" == true ]] ||
  die "${stack} was synthesized for local state: export TF_STATE_RESOURCE_GROUP, TF_STATE_STORAGE_ACCOUNT and TF_STATE_CONTAINER (the pipeline's values) and run again without --no-synth"
[[ -n "${ARM_SUBSCRIPTION_ID:-}" ]] ||
  die "ARM_SUBSCRIPTION_ID is not set: the azurerm provider needs it (export ARM_SUBSCRIPTION_ID=\"\$(az account show --query id -o tsv)\")"
command -v terraform >/dev/null ||
  die "terraform is not on PATH (version: TERRAFORM_VERSION in scripts/versions.env)"
# Like the pipeline: state and Azure through Entra ID (the az login session), no storage account keys.
export ARM_USE_AZUREAD="${ARM_USE_AZUREAD:-true}" CHECKPOINT_DISABLE=1

# Same working directory and backend as scripts/deploy.sh (cdktf runs `terraform init` there; the backend is
# the one synthesized into cdk.tf.json). apply asks for confirmation after showing the plan.
cd "${stack_dir}"
log "terraform init in ${stack_dir}"
terraform init -input=false
log "applying ${#targets[@]} resources of the runners' network (with what they depend on): ${targets[*]}"
terraform apply "${targets[@]/#/-target=}"

subnet_id="$(terraform show -json | jq -r --arg a "${subnet}" \
  '[.values.root_module.resources[]? | select(.address == $a) | .values.id][0] // empty')"
[[ -n "${subnet_id}" ]] || die "${subnet} is not in the state after apply: was the apply declined?"
resource_group="$(sed -nE 's#^/subscriptions/[^/]+/resourceGroups/([^/]+)/.*#\1#p' <<<"${subnet_id}")"
delegated="$(jq -r --arg uid "${subnet#*.}" '
  [.resource.azurerm_subnet[$uid].delegation // [] | if type == "array" then .[] else . end
   | .service_delegation | if type == "array" then .[] else . end | .name]
  | any(. == "GitHub.Network/networkSettings")' "${REPO_ROOT}/${stack_json}")"

cat <<EOF

The runner subnet of ${env} exists.
  runner_subnet_id (platform output of ${stack}): ${subnet_id}

Next steps (docs/promotion.md, "Bootstrap", steps 5 and 6):
EOF
if [[ "${delegated}" == true ]]; then
  cat <<EOF
1. Once per subscription, let it hold GitHub's network settings resources:
     az provider register --namespace GitHub.Network --wait
2. Your GitHub organization's database id (an organization owner's token):
     DATABASE_ID="\$(gh api graphql -f query='query(\$login: String!) { organization(login: \$login) { databaseId } }' -f login=YOUR_ORG --jq .data.organization.databaseId)"
3. Tell GitHub it may place runners in this subnet; the command prints the GitHubId the next step needs:
     SUBNET_ID='${subnet_id}'
     LOCATION="\$(az group show --name '${resource_group}' --query location -o tsv)"
     az resource create --resource-group '${resource_group}' --name 'mlflow-${env}-runners' \\
       --resource-type GitHub.Network/networkSettings --api-version 2024-04-02 --is-full-object \\
       --properties "{\\"location\\": \\"\${LOCATION}\\", \\"properties\\": {\\"subnetId\\": \\"\${SUBNET_ID}\\", \\"businessId\\": \\"\${DATABASE_ID}\\"}}" \\
       --query tags.GitHubId --output tsv
4. In GitHub, organization Settings > Hosted compute networking > New network configuration > Azure private
   network: name it 'mlflow-${env}' and add the Azure virtual network by that GitHubId.
5. Organization Settings > Actions > Runner groups > New runner group 'mlflow-${env}': network configuration
   'mlflow-${env}', repository access only this repository. Then Actions > Runners > New GitHub-hosted
   runner: image Ubuntu 24.04 (x64), runner group 'mlflow-${env}'.
   The pipeline's jobs reach it with runs-on: { group: mlflow-${env} }.
Then run the pipeline: its first deploy of ${env} creates the rest of ${stack} on these runners.
EOF
else
  cat <<EOF
The subnet is not delegated to GitHub (config: network.runnerSubnetDelegation "none"): self-hosted runners.
1. Create a self-hosted runner group 'mlflow-${env}' (organization Settings > Actions > Runner groups),
   repository access only this repository.
2. Start runner machines in subnet ${subnet_id} and register them into that group (docs/ci.md,
   "Self-hosted runners" lists what they need installed).
Then run the pipeline: its first deploy of ${env} creates the rest of ${stack} on these runners.
EOF
fi
