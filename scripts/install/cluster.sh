#!/usr/bin/env bash
# Tool group "cluster": a local Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager, kubectl)
# built from Go modules at KUBERNETES_VERSION, for scripts/cluster/ and `npm run test:cluster`.
# The first build takes tens of minutes on 2 cores, so binaries are cached outside the repository, keyed by the
# version and the wrapper modules' contents; a later run (any clone, any worktree) only links them into .tools/bin.
set -euo pipefail
# shellcheck source=../lib/tools.sh
source "$(cd "$(dirname "$0")/.." && pwd)/lib/tools.sh"

build_root="${REPO_ROOT}/scripts/cluster/build"
k8s_mod="${build_root}/kubernetes"
etcd_mod="${build_root}/etcd"
k8s_tag="v${KUBERNETES_VERSION}"
# Staging modules (k8s.io/api, k8s.io/apiserver, ...) are published as v0.<minor>.<patch> of the same release.
staging_tag="v0.${KUBERNETES_VERSION#*.}"
binaries=(etcd kube-apiserver kube-controller-manager kubectl)

# The wrapper module pins the version in go.mod/go.sum; refuse to build anything else than versions.env says.
grep -qE "^\s*k8s\.io/kubernetes ${k8s_tag//./\\.}( // indirect)?\$" "${k8s_mod}/go.mod" ||
  die "scripts/cluster/build/kubernetes/go.mod must require k8s.io/kubernetes ${k8s_tag} (KUBERNETES_VERSION in scripts/versions.env); update its require and replace lines, then run go mod tidy there"
if grep -E '=> k8s\.io/[a-z0-9-]+ v' "${k8s_mod}/go.mod" | grep -vq " ${staging_tag}\$"; then
  die "scripts/cluster/build/kubernetes/go.mod: every k8s.io staging replace must point at ${staging_tag}"
fi
grep -qE "^require go\.etcd\.io/etcd/server/v3 ${ETCD_VERSION//./\\.}\$" "${etcd_mod}/go.mod" ||
  die "scripts/cluster/build/etcd/go.mod must require go.etcd.io/etcd/server/v3 ${ETCD_VERSION} (ETCD_VERSION in scripts/versions.env); update it, then run go mod tidy there"

# Without these the binaries report v0.0.0-master: helm's kubeVersion check and the chart's own checks then fail.
stamp_pkg() { printf -- '-X %s.gitVersion=%s -X %s.gitMajor=1 -X %s.gitMinor=%s -X %s.gitTreeState=clean ' \
  "$1" "${k8s_tag}" "$1" "$1" "$(cut -d. -f2 <<<"${KUBERNETES_VERSION}")" "$1"; }
k8s_ldflags="-s -w $(stamp_pkg k8s.io/component-base/version)$(stamp_pkg k8s.io/client-go/pkg/version)"
etcd_ldflags="-s -w"

command -v go >/dev/null || die "go is required to build the local control plane"
key="$( { cat "${k8s_mod}/go.mod" "${k8s_mod}/go.sum" "${etcd_mod}/go.mod" "${etcd_mod}/go.sum" "${etcd_mod}/cmd/etcd/main.go"
  printf '%s\n%s\n' "${k8s_ldflags}" "${etcd_ldflags}"; go env GOVERSION; } | sha256sum | cut -c1-12)"
cache_dir="${XDG_CACHE_HOME:-${HOME}/.cache}/mlflow-aks/kubernetes-${KUBERNETES_VERSION}-${key}"
mkdir -p "${cache_dir}"

# build NAME MODULE_DIR PACKAGE LDFLAGS: go build into the cache, recording wall time and peak memory.
build() {
  local name="$1" dir="$2" pkg="$3" ldflags="$4" timing="${cache_dir}/${1}.time"
  log "${name}: building ${pkg} (first build only; this takes minutes)"
  (cd "${dir}" && CGO_ENABLED=0 /usr/bin/time -v -o "${timing}" \
    go build -trimpath -ldflags "${ldflags}" -o "${cache_dir}/${name}.partial" "${pkg}") ||
    die "${name}: build failed (see output above)"
  mv "${cache_dir}/${name}.partial" "${cache_dir}/${name}"
  # CPU seconds say more than wall time on a shared machine; peak memory is the largest single compiler or linker.
  local wall cpu rss
  wall="$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "${timing}")"
  cpu="$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%d", s }' "${timing}")"
  rss="$(sed -n 's/.*Maximum resident set size (kbytes): //p' "${timing}")"
  printf '%s\twall %s\tcpu %ss\tpeak %d MiB\n' "${name}" "${wall}" "${cpu}" "$((rss / 1024))" >>"${cache_dir}/build-report.tsv"
  log "${name}: built in ${wall} (${cpu} CPU-seconds), peak memory $((rss / 1024)) MiB"
}

# One build at a time per cache folder: another checkout building the same version waits, then finds it built.
exec 9>"${cache_dir}/.lock"
flock 9
for name in "${binaries[@]}"; do
  if [[ -x "${cache_dir}/${name}" ]]; then continue; fi
  case "${name}" in
    etcd) build etcd "${etcd_mod}" ./cmd/etcd "${etcd_ldflags}" ;;
    *) build "${name}" "${k8s_mod}" "k8s.io/kubernetes/cmd/${name}" "${k8s_ldflags}" ;;
  esac
done
for name in "${binaries[@]}"; do ln -sfn "${cache_dir}/${name}" "${TOOLS_BIN}/${name}"; done
log "control plane: ${binaries[*]} ${k8s_tag} linked from ${cache_dir}"
