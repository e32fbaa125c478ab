"""One migration at a time, none when current: the rendered migrate-database init container of several replicas
started together against an empty database, then again against the current schema."""

import subprocess
import threading
import time

import pymysql

from conftest import loopback_values, render_with
from pod_runner import PodProcess

REPLICAS = 3
RACE_DB = "mlflow_race"


def _admin(services, sql):
    """SQL as the database's OS-user admin, over the private socket (services.sh)."""
    subprocess.run(["mariadb", "--no-defaults", f"--socket={services.state / 'mariadb' / 'mariadb.sock'}", "-e", sql],
                   check=True, capture_output=True, text=True)


def _init_logs(services, name):
    return (services.state / "logs" / f"{name}-migrate-database.log").read_text()


def _start_inits(rendered, services, names):
    """The init containers of one pod per name, all at once; (name, error or None, seconds) per pod."""
    spec = rendered.one("Deployment")["spec"]["template"]["spec"]
    results = {}

    def run(name):
        pod = PodProcess(spec, rendered, services.state / name, services.state / "pids", services.state / "logs", name)
        started = time.monotonic()
        try:
            pod.run_init_containers()
            results[name] = (None, time.monotonic() - started)
        except AssertionError as err:
            results[name] = (str(err), time.monotonic() - started)

    threads = [threading.Thread(target=run, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_replicas_starting_together_on_an_empty_database_migrate_once(services, server_port, registry_password, figure):
    _admin(services, f"CREATE DATABASE `{RACE_DB}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin; "
                     f"GRANT ALL PRIVILEGES ON `{RACE_DB}`.* TO '{services.db_user}'@'127.0.0.1';")
    values = loopback_values(services, server_port, registry_password, services.db_password)
    values["externalDatabase"]["database"] = RACE_DB
    rendered = render_with(services, "race", values)

    first = [f"race-{i}" for i in range(REPLICAS)]
    results = _start_inits(rendered, services, first)
    first_start = max(seconds for _, seconds in results.values())
    failed = {name: error for name, (error, _) in results.items() if error}
    assert not failed, f"init containers failed: {failed}"
    logs = {name: _init_logs(services, name) for name in first}
    created = [name for name, log in logs.items() if "creating MLflow's tables" in log]
    assert len(created) == 1, f"expected exactly one replica to create the schema: {logs}"
    waited = [name for name, log in logs.items() if "reached head" in log]
    assert sorted(waited + created) == sorted(first), logs

    with pymysql.connect(host="127.0.0.1", port=services.db_port, user=services.db_user,
                         password=services.db_password, database=RACE_DB) as conn, conn.cursor() as cur:
        cur.execute("SELECT version_num FROM alembic_version")
        assert len(cur.fetchall()) == 1
        cur.execute("SELECT IS_USED_LOCK(%s)", (f"mlflow-schema-migration:{RACE_DB}",))
        assert cur.fetchone()[0] is None, "the migration lock is still held"

    # A restart against the current schema: no lock, no migration.
    again = [f"race-restart-{i}" for i in range(REPLICAS)]
    results = _start_inits(rendered, services, again)
    assert not {n: e for n, (e, _) in results.items() if e}
    for name in again:
        log = _init_logs(services, name)
        assert "nothing to migrate" in log and "waiting for lock" not in log, log
    figure(f"migration: first start of {REPLICAS} replicas {first_start:.1f}s; "
          f"restart init containers {', '.join(f'{s:.1f}s' for _, s in results.values())}")


def test_a_current_schema_is_checked_faster_than_mlflow_db_upgrade(services, rendered, figure):
    """The restart path, measured against what the init container ran before (`mlflow db upgrade`'s steps: import
    MLflow, run alembic's upgrade on the current schema). The URL goes through the environment, not argv."""
    import os
    import sys
    from urllib.parse import quote

    from pod_runner import container_env, container_argv, process_env, write_credential_files

    spec = rendered.one("Deployment")["spec"]["template"]["spec"]
    [migrate] = [c for c in spec["initContainers"] if c["name"] == "migrate-database"]
    write_credential_files(migrate, spec, rendered)
    declared = container_env(migrate, spec, rendered)
    chart_argv, chart_env = container_argv(migrate, declared), process_env(declared)
    url = (f"mysql+pymysql://{services.db_user}:{quote(services.db_password, safe='')}@127.0.0.1:"
           f"{services.db_port}/{services.db_name}")
    before_argv = [sys.executable, "-c", "import os; from mlflow.store.db import utils as u; "
                   "u._upgrade_db(u.create_sqlalchemy_engine_with_retry(os.environ['URL']))"]
    before_env = {**chart_env, "URL": url}

    def timed(argv, env):
        started = time.monotonic()
        subprocess.run(argv, env=env, check=True, capture_output=True)
        return time.monotonic() - started

    # Interleaved, best of two each: the machine is shared, a single sample can hit a burst of other work.
    chart, before = [], []
    for _ in range(2):
        chart.append(timed(chart_argv, chart_env))
        before.append(timed(before_argv, before_env))
    figure(f"current schema: chart's migrate-database {min(chart):.1f}s, mlflow db upgrade's steps {min(before):.1f}s "
          f"(best of 2)")
    assert min(chart) < min(before)
