#!/usr/bin/env bash
# End-to-end test of the tracking server the chart configures (npm run test:e2e).
# Starts MariaDB and Azurite on 127.0.0.1, then pytest renders the chart with helm, runs the rendered
# migration and server commands from the test venv, and drives them with the MLflow client.
# Everything runs inside private network and mount namespaces: the only interface is loopback, so no service can
# listen anywhere else or reach the network; /tmp is a private tmpfs; and /etc/hosts is a private copy the test
# maps the Service's cluster DNS names into (127.0.0.1), so a project Job's in-cluster tracking URI resolves to
# the local server.
# Every process is stopped on exit, also on failure or Ctrl-C.
# Usage: __tests__/e2e/run.sh [pytest args...]   e.g. -x, -k restart, test_mlflow_project.py (default: all tests)
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
export REPO_ROOT
# shellcheck source=services.sh
source "${REPO_ROOT}/__tests__/e2e/services.sh"

die() { printf '[e2e] ERROR: %s\n' "$*" >&2; exit 1; }

# --- tools: fail loudly, never skip ---------------------------------------------------------------------------
install_hint="install the project's tools with: npm ci && npm run tools  (or: bash scripts/install-tools.sh helm e2e)"
E2E_PYTHON="${REPO_ROOT}/.tools/venvs/e2e/bin/python"
E2E_HELM="${REPO_ROOT}/.tools/bin/helm"
[[ -x "${E2E_PYTHON}" ]] || die "the e2e venv is missing (.tools/venvs/e2e); ${install_hint}"
[[ -x "${E2E_HELM}" ]] || die "helm is missing (.tools/bin/helm); ${install_hint}"
[[ -x "${REPO_ROOT}/node_modules/.bin/azurite-blob" ]] || die "Azurite is missing (node_modules/.bin/azurite-blob); run: npm ci"
for cmd in mariadb-install-db mariadbd mariadb mariadb-admin mariadb-dump unshare setsid ip mount gzip; do
  command -v "${cmd}" >/dev/null || die "${cmd} is missing; ${install_hint}"
done
export E2E_PYTHON E2E_HELM

# --- private network and mount namespaces (loopback only, own /etc/hosts) ---------------------------------------
# shellcheck source=../../scripts/lib/namespaces.sh
source "${REPO_ROOT}/scripts/lib/namespaces.sh"
enter_namespaces E2E_IN_NAMESPACES "$0" "$@" ||
  die "cannot create network and mount namespaces (unshare --net --mount); run as root or allow unprivileged user namespaces"
# A fresh /tmp for this namespace, like the pods' emptyDir /tmp: what the server writes there (HOME=/tmp in the
# rendered env) stays off the machine's /tmp and is gone when the namespace ends.
# Not when the checkout itself lives under /tmp (a CI clone may): the mount would hide it.
if [[ "${REPO_ROOT}/" != /tmp/* ]]; then
  mount -t tmpfs -o mode=1777,size=4g e2e-tmp /tmp
fi
export TMPDIR=/tmp

# --- state, secrets, cleanup -----------------------------------------------------------------------------------
E2E_STATE="$(mktemp -d /tmp/mlflow-e2e.XXXXXX)"
chmod 700 "${E2E_STATE}"
mkdir -p "${E2E_STATE}/pids" "${E2E_STATE}/logs"
export E2E_STATE
# Private /etc/hosts (this mount namespace only); pytest appends the Service's DNS names to it.
export E2E_HOSTS_FILE="${E2E_STATE}/hosts"
cp /etc/hosts "${E2E_HOSTS_FILE}"
mount --bind "${E2E_HOSTS_FILE}" /etc/hosts

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_services
  if ((rc != 0)); then
    e2e_log "FAILED (exit ${rc}); last lines of the service logs:"
    for f in "${E2E_STATE}"/logs/*.log; do
      [[ -f "${f}" && "${f}" != */mariadb-install.log ]] || continue
      printf -- '----- %s\n' "$(basename "${f}")" >&2
      tail -n 15 "${f}" >&2
    done
  fi
  umount /etc/hosts 2>/dev/null || true
  rm -rf "${E2E_STATE}"
  exit "${rc}"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# random_alnum N: N random letters and digits (reads a fixed amount, so no SIGPIPE under pipefail).
random_alnum() { head -c 512 /dev/urandom | LC_ALL=C tr -dc 'A-Za-z0-9' | cut -c "1-$1"; }

export E2E_DB_PORT E2E_BLOB_PORT
E2E_DB_PORT="$(free_port)"
E2E_BLOB_PORT="$(free_port)"
export E2E_DB_NAME=mlflow E2E_DB_USER=mlflow
# The password must survive the values file, the Secret, the URI the chart builds and the MySQL protocol.
E2E_DB_PASSWORD="$(random_alnum 6)@:/%#+?&$(random_alnum 10)"
export E2E_DB_PASSWORD
# A custom Azurite account (not the well-known dev one), so the key really has to flow from the chart's Secret.
export E2E_STORAGE_ACCOUNT=mlflowe2e
E2E_STORAGE_KEY="$(head -c 64 /dev/urandom | base64 -w0)"
export E2E_STORAGE_KEY

started=${SECONDS}
start_mariadb
start_azurite

# pytest runs in its own process group, registered like the services, so a signal or failure here stops it and
# whatever it started (init containers included). It writes no cache into the checkout; its summary line is what
# CI reads. conftest.py orders the modules.
cd "${REPO_ROOT}/__tests__/e2e"
PYTHONDONTWRITEBYTECODE=1 setsid "${E2E_PYTHON}" -m pytest -p no:cacheprovider --basetemp="${E2E_STATE}/pytest" \
  -ra "$@" &
echo $! >"${E2E_STATE}/pids/pytest.pid"
rc=0
wait $! || rc=$?
e2e_log "finished in $((SECONDS - started))s"
exit "${rc}"
