#!/usr/bin/env bash
# Sourced by the tests whose servers may use loopback only (__tests__/e2e/run.sh, __tests__/signin/run.sh).

# enter_namespaces MARKER SCRIPT [ARG...]: re-executes `bash SCRIPT ARG...` inside new network and mount
# namespaces (as root, or as root mapped in an unprivileged user namespace) with MARKER=1 set; inside them
# (MARKER set) it brings loopback up, the only interface, and returns. Returns 1 when no namespace can be made.
enter_namespaces() {
  local marker="$1"
  shift
  if [[ -n "${!marker:-}" ]]; then
    ip link set lo up
    return 0
  fi
  if unshare --net --mount true 2>/dev/null; then
    exec env "${marker}=1" unshare --net --mount -- bash "$@"
  elif unshare --net --mount --map-root-user true 2>/dev/null; then
    exec env "${marker}=1" unshare --net --mount --map-root-user -- bash "$@"
  fi
  return 1
}
