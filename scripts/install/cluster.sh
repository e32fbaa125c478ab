#!/usr/bin/env bash
# Tool group "cluster": etcd, kube-apiserver, kube-controller-manager and kubectl built from Go at KUBERNETES_VERSION
# for scripts/cluster/. The first build takes tens of minutes on 2 cores, so the binaries are cached outside the
# repository, keyed by version, wrapper modules and Go; a later run (any clone) only links them into .tools/bin.
set -euo pipefail
# shellcheck source=../lib/tools.sh
source "$(dirname "$0")/../lib/tools.sh"

k8s_mod="${REPO_ROOT}/scripts/cluster/build/kubernetes" etcd_mod="${REPO_ROOT}/scripts/cluster/build/etcd"
k8s_tag="v${KUBERNETES_VERSION}" etcd_ldflags="-s -w"
# The wrapper modules pin the versions in go.mod/go.sum; refuse to build others than versions.env says.
grep -qE "^\s*k8s\.io/kubernetes ${k8s_tag//./\\.}( // indirect)?\$" "${k8s_mod}/go.mod" ||
  die "scripts/cluster/build/kubernetes/go.mod must require k8s.io/kubernetes ${k8s_tag} (KUBERNETES_VERSION in scripts/versions.env); update its require and replace lines, then run go mod tidy there"
# Staging modules (k8s.io/api, k8s.io/apiserver, ...) are published as v0.<minor>.<patch> of the same release.
if grep -E '=> k8s\.io/[a-z0-9-]+ v' "${k8s_mod}/go.mod" | grep -vq " v0.${KUBERNETES_VERSION#*.}\$"; then
  die "scripts/cluster/build/kubernetes/go.mod: every k8s.io staging replace must point at v0.${KUBERNETES_VERSION#*.}"
fi
grep -qE "^require go\.etcd\.io/etcd/server/v3 ${ETCD_VERSION//./\\.}\$" "${etcd_mod}/go.mod" ||
  die "scripts/cluster/build/etcd/go.mod must require go.etcd.io/etcd/server/v3 ${ETCD_VERSION} (ETCD_VERSION in scripts/versions.env); update it, then run go mod tidy there"

# Without these the binaries report v0.0.0-master: helm's kubeVersion check and the chart's own checks then fail.
stamp_pkg() { printf -- '-X %s.gitVersion=%s -X %s.gitMajor=1 -X %s.gitMinor=%s -X %s.gitTreeState=clean ' \
  "$1" "${k8s_tag}" "$1" "$1" "$(cut -d. -f2 <<<"${KUBERNETES_VERSION}")" "$1"; }
k8s_ldflags="-s -w $(stamp_pkg k8s.io/component-base/version)$(stamp_pkg k8s.io/client-go/pkg/version)"
command -v go >/dev/null || die "go is required to build the local control plane"
key="$( { cat "${k8s_mod}"/go.{mod,sum} "${etcd_mod}"/go.{mod,sum} "${etcd_mod}/cmd/etcd/main.go"
  printf '%s\n%s\n' "${k8s_ldflags}" "${etcd_ldflags}"; go env GOVERSION; } | sha256sum | cut -c1-12)"
cache_dir="${XDG_CACHE_HOME:-${HOME}/.cache}/mlflow-aks/kubernetes-${KUBERNETES_VERSION}-${key}"
mkdir -p "${cache_dir}"

# build NAME MODULE_DIR PACKAGE LDFLAGS: go build into the cache, recording wall time, CPU time and peak memory
# (CPU seconds say more than wall time on a shared machine; the peak is the largest single compiler or linker).
build() {
  local name="$1" timing="${cache_dir}/$1.time" wall cpu rss
  [[ -x /usr/bin/time ]] || apt_pkgs time
  log "${name}: building $3 (first build only; this takes minutes)"
  (cd "$2" && CGO_ENABLED=0 /usr/bin/time -v -o "${timing}" go build -trimpath -ldflags "$4" -o "${cache_dir}/${name}.partial" "$3") ||
    die "${name}: build failed (see output above)"
  mv "${cache_dir}/${name}.partial" "${cache_dir}/${name}"
  wall="$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "${timing}")"
  cpu="$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%d", s }' "${timing}")"
  rss="$(($(sed -n 's/.*Maximum resident set size (kbytes): //p' "${timing}") / 1024))"
  printf '%s\twall %s\tcpu %ss\tpeak %d MiB\n' "${name}" "${wall}" "${cpu}" "${rss}" >>"${cache_dir}/build-report.tsv"
  log "${name}: built in ${wall} (${cpu} CPU-seconds), peak memory ${rss} MiB"
}

# One build at a time per cache folder: another checkout building the same version waits, then finds it built.
exec 9>"${cache_dir}/.lock"
flock 9
for name in etcd kube-apiserver kube-controller-manager kubectl; do
  if [[ ! -x "${cache_dir}/${name}" && ${name} == etcd ]]; then build etcd "${etcd_mod}" ./cmd/etcd "${etcd_ldflags}"
  elif [[ ! -x "${cache_dir}/${name}" ]]; then build "${name}" "${k8s_mod}" "k8s.io/kubernetes/cmd/${name}" "${k8s_ldflags}"; fi
  ln -sfn "${cache_dir}/${name}" "${TOOLS_BIN}/${name}"
done
log "control plane: etcd kube-apiserver kube-controller-manager kubectl ${k8s_tag} linked from ${cache_dir}"
