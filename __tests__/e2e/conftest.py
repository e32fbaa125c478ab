"""Fixtures of the end-to-end test: the chart rendered for the loopback services, the tracking server started
from that rendering, and one run logged through it. run.sh starts MariaDB and Azurite and exports E2E_*."""

import os
import socket
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from chart_render import NAMESPACE, render
from pod_runner import PodProcess, named_port
from proc_watch import ProcessWatch

REPO_ROOT = Path(__file__).resolve().parents[2]
CHART = REPO_ROOT / "helm_charts" / "mlflow_setup"
IMAGE_TAG = (REPO_ROOT / "docker" / "tracking-server" / "VERSION").read_text().strip()
ARTIFACTS_CONTAINER = "mlflow-artifacts"
ARTIFACTS_PATH = "e2e"

# Module order: pytest sorts files by name; backup/restore must come last (it drops and restores the database the
# others wrote to), and the cheap static checks first.
# Fault tests stop and restart the shared services, so they follow the functional ones; the command-line check
# comes after everything it watches.
MODULE_ORDER = ["test_image_lock", "test_tracking_server", "test_migration", "test_passwords", "test_mlflow_project",
                "test_metrics", "test_faults", "test_backup_restore", "test_command_lines", "load_tracking"]


_figures = []


@pytest.fixture
def figure():
    """Records a measured figure (recovery times, bounds); the run prints them all at its end, so a CI log keeps them."""
    return _figures.append


def pytest_terminal_summary(terminalreporter):
    """Prints the recorded figures; a runner named by E2E_RUNNER (npm run test:load) also prints its one summary line
    for .ci/run."""
    if _figures:
        terminalreporter.section("figures")
        for line in _figures:
            terminalreporter.write_line(line)
    name = os.environ.get("E2E_RUNNER")
    if name:
        stats = terminalreporter.stats
        passed = len(stats.get("passed", []))
        failed = sum(len(stats.get(k, [])) for k in ("failed", "error", "skipped"))  # a skip is no pass
        terminalreporter.write_line(f"{name}: {passed} passed, {failed} failed")


def pytest_collection_modifyitems(items):
    def rank(item):
        name = item.module.__name__
        assert name in MODULE_ORDER, f"{name} is missing from MODULE_ORDER in conftest.py"
        return MODULE_ORDER.index(name)

    items.sort(key=rank)  # stable: tests keep their order inside a module


# The client fails fast instead of retrying for minutes when something is broken.
os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "1")
os.environ.setdefault("MLFLOW_HTTP_REQUEST_TIMEOUT", "60")


def _env(name):
    value = os.environ.get(name)
    assert value, f"{name} is not set: run the end-to-end test with `bash __tests__/e2e/run.sh`"
    return value


@dataclass(frozen=True)
class Services:
    """What run.sh started, and the secrets it made up for this run."""

    state: Path
    helm: str
    db_port: int
    db_name: str
    db_user: str
    db_password: str
    blob_port: int
    storage_account: str
    storage_key: str

    @property
    def blob_endpoint(self):
        return f"http://127.0.0.1:{self.blob_port}/{self.storage_account}"


@pytest.fixture(scope="session", autouse=True)
def process_watch():
    """Every command line of the run: run.sh's shell (pytest's parent) and all it starts, recorded while it runs."""
    watch = ProcessWatch(os.getppid()).start()
    yield watch
    watch.stop()


@pytest.fixture(scope="session")
def services():
    return Services(
        state=Path(_env("E2E_STATE")), helm=_env("E2E_HELM"),
        db_port=int(_env("E2E_DB_PORT")), db_name=_env("E2E_DB_NAME"), db_user=_env("E2E_DB_USER"),
        db_password=_env("E2E_DB_PASSWORD"),
        blob_port=int(_env("E2E_BLOB_PORT")), storage_account=_env("E2E_STORAGE_ACCOUNT"),
        storage_key=_env("E2E_STORAGE_KEY"),
    )


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server_port():
    return free_port()


@pytest.fixture(scope="session")
def registry_password():
    return uuid.uuid4().hex + uuid.uuid4().hex


def loopback_values(services, server_port, registry_password, db_password):
    """Chart values as the MLflow stack would generate them, with the backend store and blob endpoint
    pointed at the loopback services. Only hosts, ports and credentials differ from a cluster install."""
    return {
        "registry": {"server": "crmlflowe2e.azurecr.io", "username": str(uuid.UUID(int=1)),
                     "password": registry_password},
        "image": {"tag": IMAGE_TAG},
        "storage": {
            "accountName": services.storage_account,
            "accountKey": services.storage_key,
            "artifacts": {"container": ARTIFACTS_CONTAINER, "path": ARTIFACTS_PATH,
                          "blobEndpoint": services.blob_endpoint},
        },
        # Each server its own metric files, as each pod has its own emptyDir.
        "trackingServer": {"port": server_port, "secretsMountPath": str(services.state / "secrets"),
                           "metrics": {"multiprocessDir": str(services.state / f"metrics-{server_port}")}},
        "mysql": {"enabled": False},
        "externalDatabase": {"host": "127.0.0.1", "port": services.db_port, "database": services.db_name,
                             "username": services.db_user, "password": db_password},
    }


def render_with(services, name, values):
    """Render the chart with values written to a private file (they hold secrets)."""
    work = services.state / "render" / name
    work.mkdir(parents=True, exist_ok=True)
    values_file = work / "values.yaml"
    values_file.touch(mode=0o600)
    values_file.write_text(yaml.safe_dump(values))
    return render(services.helm, CHART, values_file, work)


@pytest.fixture(scope="session")
def chart_values(services, server_port, registry_password):
    return loopback_values(services, server_port, registry_password, services.db_password)


@pytest.fixture(scope="session")
def rendered(services, chart_values):
    return render_with(services, "loopback", chart_values)


@pytest.fixture(scope="session")
def tracking_service(rendered):
    services = [s for s in rendered.of_kind("Service") if "tracking-server" in s["metadata"]["name"]]
    assert len(services) == 1, f"expected one tracking-server Service, got {[s['metadata']['name'] for s in services]}"
    return services[0]


@pytest.fixture(scope="session")
def in_cluster_tracking_uri(tracking_service):
    """The Service's cluster DNS URI, resolving to 127.0.0.1 through run.sh's private /etc/hosts."""
    name, ns = tracking_service["metadata"]["name"], tracking_service["metadata"]["namespace"]
    fqdn = f"{name}.{ns}.svc.cluster.local"
    with open(_env("E2E_HOSTS_FILE"), "a") as hosts:
        hosts.write(f"127.0.0.1 {fqdn} {name}.{ns}.svc {name}.{ns} {name}\n")
    assert socket.gethostbyname(fqdn) == "127.0.0.1", f"{fqdn} does not resolve to 127.0.0.1 via /etc/hosts"
    return f"http://{fqdn}:{tracking_service['spec']['ports'][0]['port']}"


@pytest.fixture(scope="session")
def deployment(rendered):
    return rendered.one("Deployment")


@pytest.fixture(scope="session")
def artifact_container(rendered, deployment):
    """The blob container (the platform stack creates it in Azure), made with the connection string the chart
    put in the tracking server's Secret."""
    from azure.storage.blob import BlobServiceClient

    volumes = {v["name"]: v for v in deployment["spec"]["template"]["spec"]["volumes"]}
    [ref] = [s["secret"] for s in volumes["credentials"]["projected"]["sources"]
             if s["secret"]["items"][0]["path"] == "azure-storage-connection-string"]
    conn = rendered.secret_value(ref["name"], ref["items"][0]["key"])
    container = BlobServiceClient.from_connection_string(conn).get_container_client(ARTIFACTS_CONTAINER)
    container.create_container()
    return container


class TrackingServer:
    """The Deployment's pod run locally: init containers (wait, migrate), then `mlflow server`."""

    def __init__(self, rendered, deployment, services, name="tracking-server"):
        self.pod_spec = deployment["spec"]["template"]["spec"]
        self.main = self.pod_spec["containers"][0]
        probe = self.main["startupProbe"]["httpGet"]
        self.port, self.health_path = named_port(self.main, probe["port"]), probe["path"]
        self.work_dir = services.state / name
        self.pod = PodProcess(self.pod_spec, rendered, self.work_dir, services.state / "pids",
                              services.state / "logs", name)
        self.url = f"http://127.0.0.1:{self.port}"
        self.starts = 0

    def start(self):
        self.pod.run_init_containers()
        self.pod.start_main()
        self.pod.wait_ready(self.port, self.health_path)
        self.starts += 1

    def stop(self):
        self.pod.stop()

    def restart(self):
        self.stop()
        self.start()


@pytest.fixture(scope="session")
def tracking_server(rendered, deployment, services, artifact_container):
    server = TrackingServer(rendered, deployment, services)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def client(tracking_server):
    from mlflow import MlflowClient

    return MlflowClient(tracking_uri=tracking_server.url)


@dataclass(frozen=True)
class LoggedRun:
    experiment_name: str
    experiment_id: str
    run_id: str
    params: dict
    metrics: dict
    artifact_name: str
    artifact_bytes: bytes


@pytest.fixture(scope="session")
def logged_run(client, tmp_path_factory):
    """One experiment and run with parameters, a metric history and an artifact, logged through the server."""
    name = f"e2e-{uuid.uuid4().hex[:8]}"
    experiment_id = client.create_experiment(name)
    run = client.create_run(experiment_id)
    run_id = run.info.run_id
    params = {"alpha": "0.5", "dataset": "iris"}
    for key, value in params.items():
        client.log_param(run_id, key, value)
    for step, value in enumerate([0.9, 0.7, 0.4]):
        client.log_metric(run_id, "loss", value, step=step)
    artifact_bytes = f"model card for {run_id}\n".encode() + os.urandom(2048)
    local = tmp_path_factory.mktemp("artifact") / "model-card.bin"
    local.write_bytes(artifact_bytes)
    client.log_artifact(run_id, str(local), artifact_path="reports")
    client.set_terminated(run_id)
    return LoggedRun(name, experiment_id, run_id, params, {"loss": [0.9, 0.7, 0.4]},
                     "reports/model-card.bin", artifact_bytes)


def expect_run_intact(client, logged, download_dir):
    """The run, its parameters, metric history and artifact, read back through the server."""
    run = client.get_run(logged.run_id)
    assert run.info.experiment_id == logged.experiment_id
    assert run.info.status == "FINISHED"
    assert run.data.params == logged.params
    history = [m.value for m in sorted(client.get_metric_history(logged.run_id, "loss"), key=lambda m: m.step)]
    assert history == logged.metrics["loss"]
    found = client.search_runs([logged.experiment_id])
    assert [r.info.run_id for r in found] == [logged.run_id]
    path = client.download_artifacts(logged.run_id, logged.artifact_name, str(download_dir))
    assert Path(path).read_bytes() == logged.artifact_bytes


def blob_of(container, logged):
    """The blob holding the logged artifact, found by listing the container under the configured prefix."""
    suffix = f"/{logged.run_id}/artifacts/{logged.artifact_name}"
    names = [b.name for b in container.list_blobs(name_starts_with=f"{ARTIFACTS_PATH}/")]
    matches = [n for n in names if n.endswith(suffix)]
    assert len(matches) == 1, f"expected one blob ending in {suffix} under {ARTIFACTS_PATH}/, found {names}"
    return container.download_blob(matches[0]).readall()
