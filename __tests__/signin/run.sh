#!/usr/bin/env bash
# Sign-in test of the front door (npm run test:signin): see __tests__/signin/signin.test.mjs.
# Runs inside private network and mount namespaces: loopback is the only interface (so the servers can take
# 127.0.0.1:443 and 127.0.0.2:443 without colliding with anything) and /etc/hosts is a private copy naming the
# public host, the Entra ID stand-in and the tracking server's Service. Every process stops on exit.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
export REPO_ROOT
die() { printf '[signin] ERROR: %s\n' "$*" >&2; echo "signin: 0 passed, 1 failed"; exit 1; }
hint="install the tools with: npm ci && npm run tools  (or: bash scripts/install-tools.sh helm e2e signin)"
export SIGNIN_PYTHON="${REPO_ROOT}/.tools/venvs/e2e/bin/python"
export SIGNIN_HELM="${REPO_ROOT}/.tools/bin/helm"
export SIGNIN_OAUTH2_PROXY="${REPO_ROOT}/.tools/bin/oauth2-proxy"
SIGNIN_CHROMIUM="$(command -v chromium || true)"
export SIGNIN_CHROMIUM
[[ -x "${SIGNIN_PYTHON}" ]] || die "the e2e venv (MLflow) is missing; ${hint}"
[[ -x "${SIGNIN_HELM}" ]] || die "helm is missing; ${hint}"
[[ -x "${SIGNIN_OAUTH2_PROXY}" ]] || die "oauth2-proxy is missing; ${hint}"
[[ -n "${SIGNIN_CHROMIUM}" ]] || die "chromium is missing; ${hint}"
[[ -d "${REPO_ROOT}/node_modules/oauth2-mock-server" && -d "${REPO_ROOT}/node_modules/playwright-core" ]] || die "npm packages missing; run: npm ci"
for cmd in unshare ip mount openssl; do command -v "${cmd}" >/dev/null || die "${cmd} is missing"; done

# shellcheck source=../../scripts/lib/namespaces.sh
source "${REPO_ROOT}/scripts/lib/namespaces.sh"
enter_namespaces SIGNIN_IN_NAMESPACES "$0" "$@" || die "cannot create network and mount namespaces (unshare --net --mount)"
mount --make-rprivate /
hosts="$(mktemp)"
{
  cat /etc/hosts
  echo "127.0.0.1 mlflow.signin.test mlflow-tracking-server.mlflow.svc.cluster.local"
  echo "127.0.0.2 login.signin.test"
} >"${hosts}"
mount --bind "${hosts}" /etc/hosts
cd "${REPO_ROOT}"
exec node __tests__/signin/signin.test.mjs
