"""Bring the MLflow schema of the backend store to MLflow's head revision: one migrator at a time, none when current.

Run by the tracking server's `migrate-database` init container as `python3 -c <this file>`. It reads only its
environment and the password file, so it runs the same way outside the cluster (the end-to-end test does):
  DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_OPTIONS (URL query), DB_PASSWORD_FILE, DB_MIGRATION_LOCK_TIMEOUT_SECONDS.
The password never reaches a command line: the URL is built here, in memory.

Why a MySQL named lock (docs/reliability.md): `mlflow db upgrade` takes no lock, and replicas starting together on an
empty database collide. GET_LOCK belongs to the session that holds it, so a migrator that dies releases it with its
connection; nothing has to be cleaned up. A schema already at head is detected before any lock is taken.
"""

import importlib.util
import os
import re
import sys
import time
from urllib.parse import quote

env = os.environ


def log(message):
    print("migrate-database: " + message, flush=True)


def backend_store_uri():
    """mysql+pymysql://user:password@host:port/db?options, every part percent-encoded (SQLAlchemy decodes it).
    PyMySQL sends a password as its latin-1 bytes, while MySQL hashed the UTF-8 bytes of the password it was given:
    the password goes in as the string whose latin-1 bytes are its UTF-8 bytes, so any Unicode password works."""
    with open(env["DB_PASSWORD_FILE"], encoding="utf-8") as secret:
        password = secret.read().rstrip("\n").encode("utf-8").decode("latin-1")
    options = env.get("DB_OPTIONS", "")
    return "mysql+pymysql://%s:%s@%s:%s/%s%s" % (
        quote(env["DB_USER"], safe=""), quote(password, safe=""), env["DB_HOST"], env["DB_PORT"],
        quote(env["DB_NAME"], safe=""), "?" + options if options else "")


def head_revision():
    """The newest revision of the installed MLflow's migrations, read from the files without importing MLflow (the
    import alone takes seconds, and a restart against a current schema should not wait for it)."""
    versions = os.path.join(os.path.dirname(importlib.util.find_spec("mlflow").origin), "store", "db_migrations",
                            "versions")
    revisions, parents = set(), set()
    for name in os.listdir(versions):
        if name.endswith(".py"):
            with open(os.path.join(versions, name), encoding="utf-8") as script:
                text = script.read()
            revisions.update(re.findall(r'^revision = "(\w+)"', text, re.M))
            for line in re.findall(r"^down_revision = (.*)$", text, re.M):
                parents.update(re.findall(r'"(\w+)"', line))
    heads = revisions - parents
    if len(heads) != 1:
        sys.exit("migrate-database: expected one head revision in %s, found %s" % (versions, sorted(heads)))
    return heads.pop()


def current_revision(connection):
    """alembic_version's row, or None before the first migration."""
    import sqlalchemy

    if not sqlalchemy.inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(sqlalchemy.text("SELECT version_num FROM alembic_version")).scalar()


def main():
    import sqlalchemy

    head = head_revision()
    engine = sqlalchemy.create_engine(backend_store_uri(), poolclass=sqlalchemy.pool.NullPool)
    with engine.connect() as connection:
        revision = current_revision(connection)
        connection.commit()
        if revision == head:
            log("schema is at head %s; nothing to migrate" % head)
            return
        # Lock names are server-wide; one name per database, at most 64 characters.
        name = ("mlflow-schema-migration:" + env["DB_NAME"])[:64]
        timeout = int(env.get("DB_MIGRATION_LOCK_TIMEOUT_SECONDS", "600"))
        log("schema at %s, head is %s; waiting for lock %r (up to %ds)" % (revision, head, name, timeout))
        started = time.monotonic()
        got = connection.execute(sqlalchemy.text("SELECT GET_LOCK(:n, :t)"), {"n": name, "t": timeout}).scalar()
        if got != 1:
            sys.exit("migrate-database: lock %r not acquired within %ds (GET_LOCK returned %r)" % (name, timeout, got))
        connection.commit()
        try:
            log("lock held after %.1fs" % (time.monotonic() - started))
            # Another migrator may have finished while this one waited.
            revision = current_revision(connection)
            connection.commit()
            if revision == head:
                log("schema reached head %s while waiting; nothing to migrate" % head)
                return
            from mlflow.store.db import utils

            assert utils._get_latest_schema_revision() == head, "MLflow's head revision differs from the files'"
            # MLflow's own engine (its SSL settings) and the steps `mlflow db upgrade` runs.
            mlflow_engine = utils.create_sqlalchemy_engine(backend_store_uri())
            if utils._is_empty_database(mlflow_engine):
                log("empty database: creating MLflow's tables")
                utils._initialize_tables(mlflow_engine)
            else:
                log("upgrading schema %s -> %s" % (revision, head))
                utils._upgrade_db(mlflow_engine)
            log("schema is at head %s" % head)
        finally:
            connection.execute(sqlalchemy.text("SELECT RELEASE_LOCK(:n)"), {"n": name})


main()
