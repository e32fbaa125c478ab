#!/usr/bin/env bash
# Helpers of scripts/install/*.sh: pinned tools into the git-ignored .tools/, reused while their stamp matches.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS_DIR="${REPO_ROOT}/.tools"
TOOLS_BIN="${TOOLS_DIR}/bin"
mkdir -p "${TOOLS_BIN}" "${TOOLS_DIR}/stamps"
# One installer at a time (checkouts may share .tools): two would rebuild the same venv or binary under each other.
exec {tools_lock}>"${TOOLS_DIR}/.install.lock"
flock "${tools_lock}"
# shellcheck source=../versions.env
source "${REPO_ROOT}/scripts/versions.env"

log() { printf '[tools] %s\n' "$*" >&2; }
die() { printf '[tools] ERROR: %s\n' "$*" >&2; exit 1; }

# stamp_ok NAME VALUE: true when NAME was installed with exactly VALUE.
stamp_ok() { [[ -f "${TOOLS_DIR}/stamps/$1" && "$(cat "${TOOLS_DIR}/stamps/$1")" == "$2" ]]; }
stamp_set() { printf '%s' "$2" >"${TOOLS_DIR}/stamps/$1"; }

# go_tool NAME MODULE@VERSION [LDFLAGS]: go install into .tools/bin, once per version.
go_tool() {
  local name="$1" module="$2" ldflags="${3:-}"
  if [[ -x "${TOOLS_BIN}/${name}" ]] && stamp_ok "${name}" "${module} ${ldflags}"; then
    log "${name}: present (${module})"; return 0
  fi
  command -v go >/dev/null || die "go is required to build ${name}"
  log "${name}: building ${module}"
  GOBIN="${TOOLS_BIN}" GOFLAGS="-buildvcs=false" CGO_ENABLED=0 \
    go install -trimpath ${ldflags:+-ldflags "${ldflags}"} "${module}"
  stamp_set "${name}" "${module} ${ldflags}"
}

# py_venv NAME REQUIREMENTS_FILE: a virtualenv in .tools/venvs/NAME, rebuilt when the file changes.
py_venv() {
  local name="$1" req="$2" venv="${TOOLS_DIR}/venvs/$1" sum
  sum="$(sha256sum "${req}" | cut -d' ' -f1)"
  if [[ -x "${venv}/bin/python" ]] && stamp_ok "venv-${name}" "${sum}"; then log "venv ${name}: present"; return 0; fi
  command -v python3 >/dev/null || die "python3 is required for venv ${name}"
  log "venv ${name}: installing ${req#"${REPO_ROOT}/"}"
  rm -rf "${venv}"
  python3 -m venv "${venv}"
  "${venv}/bin/python" -m pip install --quiet --upgrade pip
  "${venv}/bin/python" -m pip install --quiet -r "${req}"
  stamp_set "venv-${name}" "${sum}"
}

# kube_schemas NAME DEST MARKER ARGS...: install/kube-schemas.py DEST ARGS..., redone when ARGS or its inputs change.
kube_schemas() {
  local name="$1" dest="$2" marker="$3" want; shift 3
  local script="${REPO_ROOT}/scripts/install/kube-schemas.py" req="${REPO_ROOT}/scripts/install/requirements-kube-schemas.txt"
  want="$* $(cat "${script}" "${req}" | sha256sum)"
  py_venv kube-schemas "${req}"
  if [[ -f "${dest}/${marker}" ]] && stamp_ok "${name}" "${want}"; then log "${name}: present ($*)"; return 0; fi
  [[ "$1" != crds ]] || command -v go >/dev/null || die "go is required to fetch $2"
  rm -rf "${dest}"
  "${TOOLS_DIR}/venvs/kube-schemas/bin/python" "${script}" "${dest}" "$@"
  [[ -f "${dest}/${marker}" ]] || die "${name}: no ${marker} among the schemas written into ${dest}"
  stamp_set "${name}" "${want}"
}

# apt_pkgs PKG...: install Debian packages that are missing (needs root, as on CI).
apt_pkgs() {
  local missing=() p sudo=""
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [[ ${#missing[@]} -eq 0 ]] && { log "apt: present ($*)"; return 0; }
  [[ "$(id -u)" -eq 0 ]] || sudo="sudo"
  log "apt: installing ${missing[*]}"
  # Concurrent checkouts or unattended upgrades hold apt's locks: wait for them instead of failing.
  ${sudo} flock /tmp/mlflow-aks-apt.lock apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive ${sudo} flock /tmp/mlflow-aks-apt.lock \
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
