"""Any Unicode database password works end to end: values, Secret, the migration and the server's URI, PyMySQL."""

import subprocess

import pymysql
import pytest

from conftest import TrackingServer, free_port, loopback_values, render_with

# Latin-1 letters, a character outside latin-1, one outside the BMP, and the URI's special characters.
UNICODE_PASSWORD = "pässwörd-€-😀 @:/%#+?&"
USER = "mlflow_unicode"


def test_pymysql_alone_cannot_send_it(services):
    """Why the chart transforms the password: PyMySQL encodes a str password as latin-1."""
    with pytest.raises(UnicodeEncodeError):
        pymysql.connect(host="127.0.0.1", port=services.db_port, user=USER, password=UNICODE_PASSWORD)


@pytest.fixture(scope="module", autouse=True)
def unicode_user(services):
    subprocess.run(["mariadb", "--no-defaults", f"--socket={services.state / 'mariadb' / 'mariadb.sock'}",
                    "--default-character-set=utf8mb4", "-e",
                    f"CREATE USER '{USER}'@'127.0.0.1' IDENTIFIED BY '{UNICODE_PASSWORD}'; "
                    f"GRANT ALL PRIVILEGES ON `{services.db_name}`.* TO '{USER}'@'127.0.0.1';"],
                   check=True, capture_output=True, text=True)


def test_a_unicode_password_works_for_the_migration_and_the_server(services, registry_password):
    values = loopback_values(services, free_port(), registry_password, UNICODE_PASSWORD)
    values["externalDatabase"]["username"] = USER
    values["trackingServer"]["secretsMountPath"] = str(services.state / "secrets-unicode")
    rendered = render_with(services, "unicode", values)
    server = TrackingServer(rendered, rendered.one("Deployment"), services, name="unicode")
    try:
        server.start()  # init containers (the migration connects) and the server, until /health answers
        from mlflow import MlflowClient

        assert MlflowClient(tracking_uri=server.url).search_experiments(), "the server could not read the store"
    finally:
        server.stop()
