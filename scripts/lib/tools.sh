#!/usr/bin/env bash
# Shared helpers for installing pinned tools into the git-ignored .tools/ folder.
# Sourced by scripts/install/*.sh; every install is idempotent and reused when its stamp matches.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS_DIR="${REPO_ROOT}/.tools"
TOOLS_BIN="${TOOLS_DIR}/bin"
STAMPS_DIR="${TOOLS_DIR}/stamps"
mkdir -p "${TOOLS_BIN}" "${STAMPS_DIR}"
# One installer at a time (two `npm run tools`, checkouts sharing .tools): two would rebuild the same venv or binary
# under each other. The lock is released when the installer's shell exits.
exec {tools_lock}>"${TOOLS_DIR}/.install.lock"
flock "${tools_lock}"
# shellcheck source=../versions.env
source "${REPO_ROOT}/scripts/versions.env"

log() { printf '[tools] %s\n' "$*" >&2; }
die() { printf '[tools] ERROR: %s\n' "$*" >&2; exit 1; }

# stamp_ok NAME VALUE: true when NAME was installed with exactly VALUE.
stamp_ok() { [[ -f "${STAMPS_DIR}/$1" && "$(cat "${STAMPS_DIR}/$1")" == "$2" ]]; }
stamp_set() { printf '%s' "$2" >"${STAMPS_DIR}/$1"; }

# go_tool NAME MODULE@VERSION [LDFLAGS]: go install into .tools/bin, once per version.
go_tool() {
  local name="$1" module="$2" ldflags="${3:-}"
  local want="${module} ${ldflags}"
  if [[ -x "${TOOLS_BIN}/${name}" ]] && stamp_ok "${name}" "${want}"; then
    log "${name}: present (${module})"; return 0
  fi
  command -v go >/dev/null || die "go is required to build ${name}"
  log "${name}: building ${module}"
  GOBIN="${TOOLS_BIN}" GOFLAGS="-buildvcs=false" CGO_ENABLED=0 \
    go install -trimpath ${ldflags:+-ldflags "${ldflags}"} "${module}"
  stamp_set "${name}" "${want}"
}

# py_venv NAME REQUIREMENTS_FILE: a virtualenv in .tools/venvs/NAME, rebuilt when the file changes.
py_venv() {
  local name="$1" req="$2" venv="${TOOLS_DIR}/venvs/$1"
  local sum; sum="$(sha256sum "${req}" | cut -d' ' -f1)"
  if [[ -x "${venv}/bin/python" ]] && stamp_ok "venv-${name}" "${sum}"; then
    log "venv ${name}: present"; return 0
  fi
  command -v python3 >/dev/null || die "python3 is required for venv ${name}"
  log "venv ${name}: installing ${req#"${REPO_ROOT}/"}"
  rm -rf "${venv}"
  python3 -m venv "${venv}"
  "${venv}/bin/python" -m pip install --quiet --upgrade pip
  "${venv}/bin/python" -m pip install --quiet -r "${req}"
  stamp_set "venv-${name}" "${sum}"
}

# apt_pkgs PKG...: install Debian packages that are missing (needs root, as on CI).
apt_pkgs() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [[ ${#missing[@]} -eq 0 ]] && { log "apt: present ($*)"; return 0; }
  local sudo=""; [[ "$(id -u)" -ne 0 ]] && sudo="sudo"
  log "apt: installing ${missing[*]}"
  # Two checkouts installing at once (or unattended upgrades) hold apt's locks: wait for them instead of failing.
  local wait=(-o DPkg::Lock::Timeout=600)
  ${sudo} flock /tmp/mlflow-aks-apt.lock apt-get "${wait[@]}" update -qq
  DEBIAN_FRONTEND=noninteractive ${sudo} flock /tmp/mlflow-aks-apt.lock \
    apt-get "${wait[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
