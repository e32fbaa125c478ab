#!/usr/bin/env bash
# Tests the mlflow_setup chart with the real tools (installed by `npm run tools`, group helm):
# dependency build, helm lint --strict, helm template of every scenario validated strictly against the Kubernetes
# schemas of KUBERNETES_VERSION (the Job template inside its ConfigMap too), no secret value outside Secrets, the
# helm-unittest suites, then the chart README's values table against values.yaml (helm-docs, scripts/chart-docs.sh).
# Exits non-zero on the first failure; a missing tool fails loudly.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=versions.env
source "${repo}/scripts/versions.env"
chart="${repo}/helm_charts/mlflow_setup"
bin="${repo}/.tools/bin"
py="${repo}/.tools/venvs/kube-schemas/bin/python"
for tool in "${bin}/helm" "${bin}/helm-unittest" "${bin}/kubeconform" "${bin}/helm-docs" "${py}"; do
  [[ -x "${tool}" ]] || { echo "test-chart: ${tool#"${repo}/"} is not installed: run npm run tools (or scripts/install-tools.sh helm)" >&2; exit 127; }
done
helm() { "${bin}/helm" "$@"; }
work="$(mktemp -d)"; trap 'rm -rf "${work}"' EXIT
step() { printf '\n== %s\n' "$*"; }

step "helm dependency build"
helm dependency build "${chart}" >/dev/null
ls "${chart}/charts/"

required="${chart}/ci/required-values.yaml"
scenarios=(defaults external-database workload-identity existing-secrets front-door high-availability metrics metrics-aks)

step "helm lint --strict, helm template + strict schema validation (Kubernetes ${KUBERNETES_VERSION})"
documents=0
for s in "${scenarios[@]}"; do
  vals=(-f "${required}") # the required values, plus the scenario's overlay
  [[ "${s}" == defaults ]] || vals+=(-f "${chart}/ci/${s}-values.yaml")
  helm lint --strict --quiet --kube-version "${KUBERNETES_VERSION}" "${chart}" "${vals[@]}"
  out="${work}/${s}.yaml"
  helm template mlflow "${chart}" -n mlflow --kube-version "${KUBERNETES_VERSION}" "${vals[@]}" >"${out}"
  # Splits out the Job template and backend config the ConfigMap carries, and checks that no fixture secret
  # appears outside a Secret (raw, base64 or URL-encoded).
  "${py}" - "${out}" "${work}/${s}-job.yaml" "${vals[@]}" <<'PY'
import base64, json, sys, urllib.parse, yaml
out, job_out, value_files = sys.argv[1], sys.argv[2], sys.argv[3:][1::2]
docs = [d for d in yaml.safe_load_all(open(out)) if d]
secrets = set()
def walk(node, path=()):
    if isinstance(node, dict):
        for k, v in node.items(): walk(v, path + (k,))
    elif isinstance(node, str) and node and (path[-1] in ("password", "rootPassword", "accountKey")):
        secrets.add(node)
for f in value_files: walk(yaml.safe_load(open(f)) or {})
forms = {f for s in secrets for f in (s, base64.b64encode(s.encode()).decode(), urllib.parse.quote(s, safe=""))}
leaks = [(d["kind"], d["metadata"]["name"]) for d in docs if d["kind"] != "Secret"
         for f in forms if f in json.dumps(d)]
if leaks: sys.exit(f"secret values outside Secrets: {leaks}")
cms = [d for d in docs if d["kind"] == "ConfigMap" and d["metadata"]["name"].endswith("-project-job-template")]
if len(cms) != 1: sys.exit("expected one project Job template ConfigMap")
data = cms[0]["data"]
backend = json.loads(data["backend_config.json"])
template_key = backend["kube-job-template-path"].rsplit("/", 1)[-1]
if set(backend) - {"kube-context", "kube-job-template-path", "repository-uri"} or "repository-uri" not in backend:
    sys.exit(f"unexpected backend config keys: {sorted(backend)}")
open(job_out, "w").write(data[template_key])
print(f"{len(docs)} documents, {len(secrets)} fixture secrets checked, Job template '{template_key}' extracted")
PY
  bash "${repo}/scripts/kube-validate.sh" "${out}" "${work}/${s}-job.yaml"
  documents=$((documents + $(grep -c '^kind: ' "${out}") + 1))
  echo "lint, template, validate ${s}: ok"
done
helm lint --strict --quiet --kube-version "${KUBERNETES_VERSION}" "${repo}/helm_charts/mysql" \
  --set auth.password=lint-only --set auth.rootPassword=lint-only
echo "lint mysql subchart: ok"

step "helm-unittest suites"
suites=("${chart}"/tests/*_test.yaml)
assertions="$("${py}" -c 'import sys, yaml; print(sum(len(t.get("asserts", [])) for f in sys.argv[1:] for t in yaml.safe_load(open(f))["tests"]))' "${suites[@]}")"
# The summary line "helm-unittest: N passed, M failed" joins the closing count of .ci/run, also when a test fails.
unit_log="${work}/helm-unittest.log"
unit_status=0
"${bin}/helm-unittest" --color=false "${chart}" | tee "${unit_log}" || unit_status=$?
read -r unit_passed unit_total < <(sed -nE 's/^Tests: .*[^0-9]([0-9]+) passed, ([0-9]+) total$/\1 \2/p; s/^Tests: +([0-9]+) passed, ([0-9]+) total$/\1 \2/p' "${unit_log}" | tail -1)
echo "helm-unittest: ${unit_passed:-0} passed, $(( ${unit_total:-1} - ${unit_passed:-0} )) failed"
(( unit_status == 0 )) || exit "${unit_status}"

step "README values table (helm-docs ${HELM_DOCS_VERSION})"
bash "${repo}/scripts/chart-docs.sh" --check

printf '\nchart: %d scenarios linted, %d documents schema-validated, %d helm-unittest suites with %d assertions\n' \
  "${#scenarios[@]}" "${documents}" "${#suites[@]}" "${assertions}"
