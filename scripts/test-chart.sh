#!/usr/bin/env bash
# Tests the mlflow_setup chart with the tools of `npm run tools` (group helm): helm lint --strict, helm template and
# strict kubeconform of every scenario (ci/*-values.yaml), no fixture secret outside Secrets, helm-unittest and the
# chart README's values table. Exits non-zero on the first failure; a missing tool fails loudly.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=versions.env
source "${repo}/scripts/versions.env"
chart="${repo}/helm_charts/mlflow_setup"
bin="${repo}/.tools/bin" py="${repo}/.tools/venvs/kube-schemas/bin/python"
for tool in "${bin}/helm" "${bin}/helm-unittest" "${bin}/kubeconform" "${bin}/helm-docs" "${py}"; do
  [[ -x "${tool}" ]] || { echo "test-chart: ${tool#"${repo}/"} is not installed: run npm run tools (or scripts/install-tools.sh helm)" >&2; exit 127; }
done
PATH="${bin}:${PATH}"
work="$(mktemp -d)"; trap 'rm -rf "${work}"' EXIT
step() { printf '\n== %s\n' "$*"; }

step "helm dependency build"
helm dependency build "${chart}" >/dev/null
ls "${chart}/charts/"

step "helm lint --strict, helm template + strict schema validation (Kubernetes ${KUBERNETES_VERSION})"
scenarios=("${chart}"/ci/*-values.yaml) # required-values.yaml alone is the defaults scenario
documents=0
for overlay in "${scenarios[@]}"; do
  s="$(basename "${overlay}" -values.yaml)" vals=(-f "${chart}/ci/required-values.yaml" -f "${overlay}")
  helm lint --strict --quiet --kube-version "${KUBERNETES_VERSION}" "${chart}" "${vals[@]}"
  out="${work}/${s}.yaml"
  helm template mlflow "${chart}" -n mlflow --kube-version "${KUBERNETES_VERSION}" "${vals[@]}" >"${out}"
  # No fixture secret outside a Secret (raw, base64 or URL-encoded); the ConfigMap's backend config and Job template.
  "${py}" - "${out}" "${work}/${s}-job.yaml" "${vals[@]}" <<'PY'
import base64, json, sys, urllib.parse, yaml
out, job_out, value_files = sys.argv[1], sys.argv[2], sys.argv[4::2]
docs = [d for d in yaml.safe_load_all(open(out)) if d]
def secrets(node):
    for k, v in node.items() if isinstance(node, dict) else ():
        if k in ("password", "rootPassword", "accountKey") and isinstance(v, str) and v: yield v
        else: yield from secrets(v)
found = {s for f in value_files for s in secrets(yaml.safe_load(open(f)) or {})}
forms = {x for s in found for x in (s, base64.b64encode(s.encode()).decode(), urllib.parse.quote(s, safe=""))}
leaks = [(d["kind"], d["metadata"]["name"]) for d in docs if d["kind"] != "Secret" for x in forms if x in json.dumps(d)]
if leaks: sys.exit(f"secret values outside Secrets: {leaks}")
cms = [d for d in docs if d["kind"] == "ConfigMap" and d["metadata"]["name"].endswith("-project-job-template")]
if len(cms) != 1: sys.exit("expected one project Job template ConfigMap")
backend = json.loads(cms[0]["data"]["backend_config.json"])
if set(backend) - {"kube-context", "kube-job-template-path", "repository-uri"} or "repository-uri" not in backend:
    sys.exit(f"unexpected backend config keys: {sorted(backend)}")
key = backend["kube-job-template-path"].rsplit("/", 1)[-1]
open(job_out, "w").write(cms[0]["data"][key])
print(f"{len(docs)} documents, {len(found)} fixture secrets checked, Job template '{key}' extracted")
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
# "helm-unittest: N passed, M failed" joins the closing count of .ci/run, also when a test fails.
status=0
helm-unittest --color=false "${chart}" | tee "${work}/unittest.log" || status=$?
read -r passed total < <(sed -nE 's/^Tests:.*[^0-9]([0-9]+) passed, ([0-9]+) total$/\1 \2/p' "${work}/unittest.log" | tail -1)
echo "helm-unittest: ${passed:-0} passed, $((${total:-1} - ${passed:-0})) failed"
((status == 0)) || exit "${status}"

step "README values table (helm-docs ${HELM_DOCS_VERSION})"
bash "${repo}/scripts/chart-docs.sh" --check

printf '\nchart: %d scenarios linted, %d documents schema-validated, %d helm-unittest suites with %d assertions\n' \
  "${#scenarios[@]}" "${documents}" "${#suites[@]}" "${assertions}"
