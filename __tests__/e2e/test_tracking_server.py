"""The tracking server as the chart configures it, run against MariaDB and Azurite on loopback."""

import http.client
from pathlib import Path
from urllib.parse import quote

import pymysql
import yaml

from conftest import blob_of, expect_run_intact

SPECIAL = "@:/%#"


def test_migration_created_the_schema(tracking_server, services):
    """The rendered init container migrated the empty database: MLflow's tables exist at an alembic revision."""
    with pymysql.connect(host="127.0.0.1", port=services.db_port, user=services.db_user,
                         password=services.db_password, database=services.db_name) as conn, conn.cursor() as cur:
        cur.execute("SELECT version_num FROM alembic_version")
        assert len(cur.fetchall()) == 1
        cur.execute("SHOW TABLES")
        tables = {row[0] for row in cur.fetchall()}
    assert {"experiments", "runs", "params", "metrics", "latest_metrics", "tags"} <= tables


def test_logs_parameters_metrics_and_artifact(client, logged_run, tmp_path):
    expect_run_intact(client, logged_run, tmp_path)


def test_artifacts_are_proxied_by_the_server(client, logged_run):
    """Clients never hold storage credentials: runs store artifacts behind the server's mlflow-artifacts proxy."""
    assert client.get_run(logged_run.run_id).info.artifact_uri.startswith("mlflow-artifacts:")


def test_artifact_is_in_the_azurite_container(artifact_container, logged_run):
    assert blob_of(artifact_container, logged_run) == logged_run.artifact_bytes


def test_nothing_falls_back_to_local_disk(tracking_server, logged_run):
    """Neither ./mlartifacts nor ./mlruns: the server wrote artifacts to blob storage only."""
    assert sorted(p.name for p in tracking_server.work_dir.iterdir()) == []


def test_password_with_url_special_characters_works(rendered, services, deployment, logged_run):
    """The password reaches MySQL intact through values, the Secret and the URI the pod builds."""
    assert all(c in services.db_password for c in SPECIAL), "the test password must contain @ : / % #"
    main = deployment["spec"]["template"]["spec"]["containers"][0]
    env = {e["name"]: e.get("value") for e in main["env"]}
    assert Path(env["DB_PASSWORD_FILE"]).read_text() == services.db_password  # written from the rendered Secret
    # logged_run went through a server that connected with exactly this password: MariaDB requires it for the
    # user. (A wrong one makes the migration container fail on "Access denied", after ~100 s of MLflow's own
    # connection retries, too slow to run here.)


def test_secrets_appear_only_in_secrets(rendered, services, registry_password):
    secrets = {
        "database password": services.db_password,
        "database password (URL-encoded)": quote(services.db_password, safe=""),
        "storage account key": services.storage_key,
        "registry password": registry_password,
    }
    for doc in rendered.documents:
        if doc["kind"] == "Secret":
            continue
        text = yaml.safe_dump(doc)
        for what, value in secrets.items():
            assert value not in text, f"the {what} appears in {doc['kind']}/{doc['metadata']['name']}"


def _get(url_port, path, host):
    conn = http.client.HTTPConnection("127.0.0.1", url_port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": host})
        response = conn.getresponse()
        return response.status, response.read().decode(errors="replace")
    finally:
        conn.close()


def test_service_dns_names_are_accepted_as_host(tracking_server, tracking_service):
    name, ns = tracking_service["metadata"]["name"], tracking_service["metadata"]["namespace"]
    port = tracking_service["spec"]["ports"][0]["port"]
    assert port == tracking_server.port
    for host in [name, f"{name}:{port}", f"{name}.{ns}", f"{name}.{ns}.svc", f"{name}.{ns}.svc.cluster.local:{port}"]:
        status, body = _get(tracking_server.port, "/api/2.0/mlflow/experiments/search?max_results=1", host)
        assert status == 200, f"Host {host!r} was refused ({status}): {body[:200]}"


def test_unknown_host_is_rejected(tracking_server):
    status, body = _get(tracking_server.port, "/api/2.0/mlflow/experiments/search?max_results=1", "evil.example.com")
    assert status == 403, f"an unknown Host header got {status}: {body[:200]}"
    # Probes reach the pod by its IP; /health stays open for them whatever the Host header.
    assert _get(tracking_server.port, "/health", "10.244.1.17:5000")[0] == 200


def test_runs_and_artifacts_survive_a_restart(tracking_server, client, logged_run, artifact_container, tmp_path):
    starts = tracking_server.starts
    tracking_server.restart()
    assert tracking_server.starts == starts + 1
    expect_run_intact(client, logged_run, tmp_path)
    assert blob_of(artifact_container, logged_run) == logged_run.artifact_bytes
