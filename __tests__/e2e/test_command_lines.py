"""No credential on any command line: every process the run started (services, init containers, servers and their
workers, the project Job's command) was recorded while it ran, and none shows a secret in /proc/<pid>/cmdline,
which any user of the node can read."""

import subprocess
import sys
import time
import uuid
from urllib.parse import quote

from proc_watch import secrets_in


def _secrets(services, registry_password):
    return {
        "database password": services.db_password,
        "database password, URL-encoded": quote(services.db_password, safe=""),
        "storage account key": services.storage_key,
        "registry password": registry_password,
    }


def test_the_watch_sees_a_short_process_and_its_arguments(process_watch):
    """The check can fail: a one-second process with a marker in its arguments is recorded and flagged."""
    marker = uuid.uuid4().hex
    subprocess.run([sys.executable, "-c", "import time; time.sleep(1)", marker], check=True)
    time.sleep(3 * process_watch.interval)
    found = secrets_in(process_watch.command_lines(), {"marker": marker})
    assert any(sys.executable in line for _, line in found), process_watch.command_lines()


def test_the_watch_saw_the_chart_containers(process_watch, tracking_server):
    """The recording covers what matters: the migration init container and the server with its workers (started
    here if the selected tests did not)."""
    lines = process_watch.command_lines()
    assert any("GET_LOCK" in line for line in lines), "no migrate-database process was recorded"
    assert any("mlflow server" in line for line in lines), "no `mlflow server` process was recorded"
    assert any("uvicorn" in line for line in lines), "no uvicorn worker process was recorded"


def test_no_secret_on_any_command_line(process_watch, services, registry_password):
    found = secrets_in(process_watch.command_lines(), _secrets(services, registry_password))
    assert not found, "secrets on command lines:\n" + "\n".join(
        f"{label}: {line[:300]}" for label, line in found)
