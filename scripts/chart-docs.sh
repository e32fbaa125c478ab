#!/usr/bin/env bash
# Writes helm_charts/mlflow_setup/README.md from README.md.gotmpl: helm-docs fills in the values table from the
# `# --` comments in values.yaml (file order). With --check it writes nothing and fails when README.md is stale.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
helm_docs="${repo}/.tools/bin/helm-docs"
[[ -x "${helm_docs}" ]] || { echo "chart-docs: .tools/bin/helm-docs is not installed: run npm run tools (or scripts/install-tools.sh helm)" >&2; exit 127; }
chart="${repo}/helm_charts/mlflow_setup"
fresh="$(mktemp)"; trap 'rm -f "${fresh}"' EXIT
"${helm_docs}" --chart-search-root "${chart}" --sort-values-order file --log-level warning --dry-run >"${fresh}"
# Every value has a description; helm-docs itself skips a chart it cannot parse, leaving no table at all.
grep -q '^| Key | Type | Default | Description |$' "${fresh}" || { echo "chart-docs: helm-docs produced no values table" >&2; exit 1; }
if undocumented="$(grep -E '^\| [^ ]+ \| [a-z]+ \| .* \|  \|$' "${fresh}")"; then
  echo "chart-docs: values without a '# --' description in values.yaml:" >&2; echo "${undocumented}" >&2; exit 1
fi
if [[ "${1:-}" != "--check" ]]; then
  cp "${fresh}" "${chart}/README.md"
  echo "chart-docs: wrote helm_charts/mlflow_setup/README.md"
elif diff -u "${chart}/README.md" "${fresh}"; then
  echo "chart-docs: README.md matches values.yaml"
else
  echo "chart-docs: helm_charts/mlflow_setup/README.md is stale (values.yaml or README.md.gotmpl changed): run bash scripts/chart-docs.sh" >&2
  exit 1
fi
