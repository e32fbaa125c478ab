#!/usr/bin/env bash
# Start and stop the real services of the end-to-end test as private processes on 127.0.0.1:
# MariaDB (Debian package, MySQL-compatible backend store) and Azurite (npm, blob storage).
# Sourced by run.sh. Every service runs as the leader of its own process group (setsid) and writes its pid to
# ${E2E_STATE}/pids/<name>.pid; stop_services stops those groups, including the tracking servers pytest starts
# (they register the same way), so worker processes go too.
set -euo pipefail

e2e_log() { printf '[e2e] %s\n' "$*" >&2; }

# free_port: a TCP port on 127.0.0.1 that nothing listens on right now.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_for NAME SECONDS COMMAND...: poll COMMAND until it succeeds; fail with the service log otherwise.
wait_for() {
  local name="$1" seconds="$2"; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      e2e_log "${name} did not become ready in ${seconds}s; last log lines:"
      tail -n 30 "${E2E_STATE}/logs/${name}.log" >&2 || true
      return 1
    fi
    sleep 0.3
  done
}

# sql_quote TEXT: TEXT as a single-quoted SQL string literal.
sql_quote() {
  local s="${1//\\/\\\\}"
  printf "'%s'" "${s//\'/\\\'}"
}

# start_mariadb: private server in ${E2E_STATE}/mariadb, TCP on 127.0.0.1:${E2E_DB_PORT}; creates database
# ${E2E_DB_NAME} and user ${E2E_DB_USER} identified by ${E2E_DB_PASSWORD}.
start_mariadb() {
  local dir="${E2E_STATE}/mariadb" os_user
  os_user="$(id -un)"
  mkdir -p "${dir}/data"
  mariadb-install-db --no-defaults --datadir="${dir}/data" --user="${os_user}" \
    --auth-root-authentication-method=socket --skip-test-db >"${E2E_STATE}/logs/mariadb-install.log" 2>&1 \
    || { tail -n 30 "${E2E_STATE}/logs/mariadb-install.log" >&2; return 1; }
  restart_mariadb
  # Administration goes through the socket as the OS user (unix_socket auth); the app user gets TCP only.
  local user pass db
  user="$(sql_quote "${E2E_DB_USER}")"; pass="$(sql_quote "${E2E_DB_PASSWORD}")"; db="${E2E_DB_NAME}"
  mariadb --no-defaults --socket="${dir}/mariadb.sock" -u "${os_user}" <<SQL
CREATE DATABASE \`${db}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE USER ${user}@'127.0.0.1' IDENTIFIED BY ${pass};
GRANT ALL PRIVILEGES ON \`${db}\`.* TO ${user}@'127.0.0.1';
SQL
  e2e_log "mariadb: 127.0.0.1:${E2E_DB_PORT} (database ${db}, user ${E2E_DB_USER})"
}

# restart_mariadb: the server process alone, on the data directory start_mariadb made (also after a crash: the
# fault tests kill it and start it again).
restart_mariadb() {
  local dir="${E2E_STATE}/mariadb" os_user
  os_user="$(id -un)"
  # --user is required when the test runs as root (CI); mariadbd refuses root otherwise.
  setsid mariadbd --no-defaults --datadir="${dir}/data" --user="${os_user}" \
    --skip-networking=0 --bind-address=127.0.0.1 --port="${E2E_DB_PORT}" \
    --socket="${dir}/mariadb.sock" --pid-file="${dir}/mariadb.pid" \
    --log-error="${E2E_STATE}/logs/mariadb.log" --skip-name-resolve \
    --innodb-buffer-pool-size=64M --innodb-log-file-size=16M \
    >>"${E2E_STATE}/logs/mariadb.log" 2>&1 &
  echo $! >"${E2E_STATE}/pids/mariadb.pid"
  wait_for mariadb 60 mariadb-admin --no-defaults --socket="${dir}/mariadb.sock" -u "${os_user}" ping
}

# start_azurite: blob service on 127.0.0.1:${E2E_BLOB_PORT} with one account from ${E2E_STORAGE_ACCOUNT}
# and ${E2E_STORAGE_KEY}, data in ${E2E_STATE}/azurite.
start_azurite() {
  local bin="${REPO_ROOT}/node_modules/.bin/azurite-blob"
  mkdir -p "${E2E_STATE}/azurite"
  AZURITE_ACCOUNTS="${E2E_STORAGE_ACCOUNT}:${E2E_STORAGE_KEY}" setsid "${bin}" \
    --blobHost 127.0.0.1 --blobPort "${E2E_BLOB_PORT}" --location "${E2E_STATE}/azurite" \
    --skipApiVersionCheck --loose --disableTelemetry --silent \
    >"${E2E_STATE}/logs/azurite.log" 2>&1 &
  echo $! >"${E2E_STATE}/pids/azurite.pid"
  wait_for azurite 60 bash -c "exec 3<>/dev/tcp/127.0.0.1/${E2E_BLOB_PORT}"
  e2e_log "azurite: http://127.0.0.1:${E2E_BLOB_PORT}/${E2E_STORAGE_ACCOUNT}"
}

# stop_services: TERM every registered process group, KILL what is left after 10 s.
stop_services() {
  local f pid pids=()
  for f in "${E2E_STATE}"/pids/*.pid; do
    [[ -f "${f}" ]] || continue
    pid="$(cat "${f}")"
    kill -0 "${pid}" 2>/dev/null || { rm -f "${f}"; continue; }
    pids+=("${pid}")
    kill -TERM -- "-${pid}" 2>/dev/null || kill -TERM "${pid}" 2>/dev/null || true
    rm -f "${f}"
  done
  local deadline=$((SECONDS + 10)) alive
  while :; do
    alive=()
    for pid in "${pids[@]}"; do kill -0 -- "-${pid}" 2>/dev/null && alive+=("${pid}"); done
    ((${#alive[@]} == 0)) && break
    if ((SECONDS >= deadline)); then
      e2e_log "killing processes that ignored TERM: ${alive[*]}"
      for pid in "${alive[@]}"; do kill -KILL -- "-${pid}" 2>/dev/null || true; done
      break
    fi
    sleep 0.2
  done
}
