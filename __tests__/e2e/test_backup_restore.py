"""Backup and restore of the backend store, as the restore runbook does it: a mysqldump-compatible gzip dump taken
while the server runs, the database dropped, the dump restored, and every run found again through the server.
Runs last: it drops the database the other tests wrote to."""

import gzip
import subprocess

from conftest import expect_run_intact


def _client_options(services):
    """A private option file, so the password never appears on a command line."""
    path = services.state / "backup" / "client.cnf"
    path.parent.mkdir(exist_ok=True)
    path.touch(mode=0o600)
    password = services.db_password.replace("\\", "\\\\").replace('"', '\\"')
    path.write_text(f'[client]\nhost=127.0.0.1\nport={services.db_port}\nuser={services.db_user}\n'
                    f'password="{password}"\n')
    return path


def _bash(script, **env):
    proc = subprocess.run(["bash", "-euo", "pipefail", "-c", script], env={"PATH": "/usr/bin:/bin", **env},
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, f"{script}\nexited {proc.returncode}:\n{proc.stderr}"
    return proc.stdout


def _all_runs(client):
    experiments = client.search_experiments()
    runs = client.search_runs([e.experiment_id for e in experiments])
    return sorted(e.experiment_id for e in experiments), sorted(r.info.run_id for r in runs)


def test_restore_from_a_gzip_dump_brings_every_run_back(services, tracking_server, client, logged_run, tmp_path):
    cnf = _client_options(services)
    dump = services.state / "backup" / "mlflow.sql.gz"
    before = _all_runs(client)
    assert logged_run.run_id in before[1]

    # Consistent snapshot without stopping the server (InnoDB), in the format mysqldump writes.
    _bash('mariadb-dump --defaults-extra-file="$CNF" --single-transaction --routines --triggers --no-tablespaces '
          '--databases "$DB" | gzip >"$DUMP"', CNF=str(cnf), DB=services.db_name, DUMP=str(dump))
    with gzip.open(dump, "rt") as text:
        sql = text.read()
    assert "CREATE TABLE `runs`" in sql and logged_run.run_id in sql

    tracking_server.stop()
    _bash('mariadb --defaults-extra-file="$CNF" -e "DROP DATABASE \\`$DB\\`"', CNF=str(cnf), DB=services.db_name)
    databases = _bash('mariadb --defaults-extra-file="$CNF" -N -e "SHOW DATABASES"', CNF=str(cnf)).split()
    assert services.db_name not in databases, "the database should be gone before the restore"

    _bash('gunzip -c "$DUMP" | mariadb --defaults-extra-file="$CNF"', CNF=str(cnf), DUMP=str(dump))
    tracking_server.start()  # the migration init container runs again and finds the schema current

    assert _all_runs(client) == before
    expect_run_intact(client, logged_run, tmp_path)
