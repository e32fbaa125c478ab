#!/usr/bin/env bash
# Static security scan (npm run scan): checkov over every synthesized network and platform stack (terraform_json) and
# over the chart as each environment's MLflow stack renders it, front door off and on (kubernetes), judged by
# scripts/checkov-verdict.ts against security/checkov-accepted.yaml. Tools: npm run tools (groups helm and scan).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
checkov="${repo}/.tools/venvs/scan/bin/checkov"
helm="${repo}/.tools/bin/helm"
[[ -x "${checkov}" ]] || { echo "scan: checkov is not installed: run npm run tools (or scripts/install-tools.sh scan)" >&2; exit 127; }
[[ -x "${helm}" ]] || { echo "scan: helm is not installed: run npm run tools (or scripts/install-tools.sh helm)" >&2; exit 127; }
work="$(mktemp -d)"; trap 'rm -rf "${work}"' EXIT
mkdir -p "${work}/reports"
cd "${repo}"

# Scan what the pipeline deploys: an image digest (a stand-in unless given; only its presence matters to the checks),
# and public-mode environments with authorized ranges (without, their plan is refused; RFC 5737 unless given).
export MLFLOW_IMAGE_DIGEST="${MLFLOW_IMAGE_DIGEST:-sha256:5ca4000000000000000000000000000000000000000000000000000000000000}"
export MLFLOW_AUTHORIZED_IP_RANGES="${MLFLOW_AUTHORIZED_IP_RANGES:-203.0.113.0/24}"
echo "== synth (MLFLOW_IMAGE_DIGEST=${MLFLOW_IMAGE_DIGEST}, MLFLOW_AUTHORIZED_IP_RANGES=${MLFLOW_AUTHORIZED_IP_RANGES})"
npm run --silent synth
"${helm}" dependency build helm_charts/mlflow_setup >/dev/null

mapfile -t envs < <(find cdktf.out/stacks -mindepth 1 -maxdepth 1 -name 'infra-*' -printf '%f\n' | sed 's/^infra-//' | sort)
[[ ${#envs[@]} -gt 0 ]] || { echo "scan: no infra-* stacks in cdktf.out/stacks" >&2; exit 1; }

# Every check runs (no --skip-check): the verdict needs to see accepted checks fail to know they are not stale.
scan() { # scan TARGET FRAMEWORK FILE
  "${checkov}" --skip-download --compact --soft-fail --output json --framework "$2" --file "$3" >"${work}/reports/$1.json"
}
for env in "${envs[@]}"; do
  echo "== checkov network-${env}, infra-${env}, chart-${env}"
  node --import tsx scripts/render-environment.ts "${env}" >"${work}/chart-${env}.yaml"
  scan "network-${env}" terraform_json "cdktf.out/stacks/network-${env}/cdk.tf.json"
  scan "infra-${env}" terraform_json "cdktf.out/stacks/infra-${env}/cdk.tf.json"
  scan "chart-${env}" kubernetes "${work}/chart-${env}.yaml"
done

# The committed environments keep the front door off: render each chart again with it on (sample inputs), so the
# Gateway, HTTPRoute and oauth2-proxy objects are gated too. Its Azure side is tested in __tests__/front-door.
echo "== synth with the front door on, checkov chart-frontdoor-<env>"
MLFLOW_CONFIG_OVERRIDES="$(node --import tsx scripts/front-door-sample.ts)" CDKTF_OUTDIR="${work}/frontdoor.out" npm run --silent synth
for env in "${envs[@]}"; do
  node --import tsx scripts/render-environment.ts "${env}" --out-dir "${work}/frontdoor.out" --chart helm_charts/mlflow_setup >"${work}/chart-frontdoor-${env}.yaml"
  scan "chart-frontdoor-${env}" kubernetes "${work}/chart-frontdoor-${env}.yaml"
done

echo "== verdict (security/checkov-accepted.yaml)"
node --import tsx scripts/checkov-verdict.ts "${work}/reports" security/checkov-accepted.yaml
