"""/metrics of a tracking server run as the chart renders it with its defaults (metrics on, the default worker count):
MLflow's request counters in Prometheus text, summed over the uvicorn workers, served to a scraper that comes by
pod IP, and empty again after a container restart."""

import shutil
import tempfile
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from prometheus_client import CollectorRegistry
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families

from conftest import CHART, TrackingServer, free_port, loopback_values, render_with
from pod_runner import POD_IP

# A read of the backend store that MLflow serves from its Flask app, which the exporter instruments.
SEARCH = "/api/2.0/mlflow/experiments/search?max_results=1"
CALLS = 60
REQUESTS = "mlflow_http_request_total"


@pytest.fixture(scope="module")
def chart_defaults():
    return yaml.safe_load((CHART / "values.yaml").read_text())["trackingServer"]


@pytest.fixture(scope="module")
def metrics_server(services, registry_password):
    """A server of its own, so every counted request is one this module made."""
    values = loopback_values(services, free_port(), registry_password, services.db_password)
    assert "enabled" not in values["trackingServer"]["metrics"] and "workers" not in values["trackingServer"], \
        "the test must run the chart's defaults for metrics and workers"
    rendered = render_with(services, "metrics", values)
    server = TrackingServer(rendered, rendered.one("Deployment"), services, name="metrics")
    server.multiprocess_dir = Path(values["trackingServer"]["metrics"]["multiprocessDir"])
    try:
        server.start()
        yield server
    finally:
        server.stop()


def get(url, host=None):
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type", ""), err.read().decode()


def get_ok(url):
    status, _, body = get(url)
    assert status == 200, f"GET {url} answered {status}: {body[:200]}"


def request_count(families, method="GET", status="200"):
    """mlflow_http_request_total{method, status} from parsed Prometheus families (0 when absent)."""
    total = 0.0
    for family in families:
        for sample in family.samples:
            if sample.name == REQUESTS and sample.labels.get("method") == method \
                    and sample.labels.get("status") == status:
                total += sample.value
    return total


def scrape(url, host=None):
    status, content_type, body = get(f"{url}/metrics", host)
    assert status == 200, f"/metrics answered {status}: {body[:200]}"
    assert content_type.startswith("text/plain"), f"/metrics is {content_type!r}, not Prometheus text"
    return list(text_string_to_metric_families(body))


def per_worker_counts(multiprocess_dir):
    """GET 200 counts of each process that wrote counter files, read from that process's files alone."""
    counts = {}
    for db in sorted(multiprocess_dir.glob("counter_*.db")):
        with tempfile.TemporaryDirectory() as alone:
            shutil.copy(db, alone)
            registry = CollectorRegistry()
            MultiProcessCollector(registry, path=alone)
            counts[db.stem.removeprefix("counter_")] = request_count(registry.collect())
    return counts


def test_the_chart_default_runs_several_workers_with_metrics(metrics_server, chart_defaults):
    args = metrics_server.main["args"][0]
    assert chart_defaults["metrics"]["enabled"] is True
    assert chart_defaults["workers"] >= 2, "one worker would not show that counters add up across workers"
    assert f"--workers {chart_defaults['workers']} " in args
    assert f"--expose-prometheus '{metrics_server.multiprocess_dir}'" in args


def test_request_counters_add_up_across_workers(metrics_server):
    before = request_count(scrape(metrics_server.url))
    # Concurrent calls, so more than one worker answers some of them.
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda _: get_ok(metrics_server.url + SEARCH), range(CALLS)))

    workers = per_worker_counts(metrics_server.multiprocess_dir)
    busy = {pid: n for pid, n in workers.items() if n > 0}
    assert len(busy) >= 2, f"the calls reached only one worker ({workers}); nothing to add up"
    assert sum(workers.values()) == before + CALLS
    # Every scrape, whichever worker answers it, reports the sum of all workers.
    for _ in range(6):
        assert request_count(scrape(metrics_server.url)) == before + CALLS


def test_a_scraper_by_pod_ip_is_answered_and_unknown_hosts_are_not(metrics_server):
    port = metrics_server.port
    pod_url = f"http://{POD_IP}:{port}"
    families = scrape(pod_url, host=f"{POD_IP}:{port}")
    assert request_count(families) >= CALLS
    # The pod IP is allowed, not any address: the DNS rebinding check still refuses other hosts.
    status, _, _ = get(f"{pod_url}/metrics", host=f"127.0.0.3:{port}")
    assert status == 403


def test_a_restarted_container_starts_from_empty_metric_files(metrics_server):
    assert request_count(scrape(metrics_server.url)) >= CALLS
    leftover = metrics_server.multiprocess_dir / "counter_999999.db"
    shutil.copy(next(metrics_server.multiprocess_dir.glob("counter_*.db")), leftover)
    metrics_server.restart()
    assert not leftover.exists(), "files of the previous container were not removed"
    assert request_count(scrape(metrics_server.url)) == 0
    get_ok(metrics_server.url + SEARCH)
    assert request_count(scrape(metrics_server.url)) == 1
