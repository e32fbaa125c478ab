"""Bounded load test of the tracking server as the chart renders it (npm run test:load).

LOAD_CLIENTS client processes (load_client.py) log runs for LOAD_SECONDS against the server with the chart's default
workers, MariaDB and Azurite on loopback. Asserts no failed call and that every acknowledged write is in the database
and the blob container afterwards; prints throughput and latency percentiles (docs/reliability.md keeps them).
"""

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pymysql

from conftest import ARTIFACTS_PATH

CLIENTS = int(os.environ.get("LOAD_CLIENTS", "8"))
SECONDS = float(os.environ.get("LOAD_SECONDS", "30"))
CLIENT = Path(__file__).resolve().parent / "load_client.py"


def _percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


def test_load_without_errors_or_lost_writes(tracking_server, client, services, artifact_container, tmp_path):
    experiment_id = client.create_experiment(f"load-{os.getpid()}")
    outs = [tmp_path / f"client-{i}.json" for i in range(CLIENTS)]
    procs = [subprocess.Popen([sys.executable, str(CLIENT), tracking_server.url, experiment_id, str(SECONDS), str(o)])
             for o in outs]
    for proc in procs:
        assert proc.wait(timeout=SECONDS + 180) == 0, "a load client crashed"
    results = [json.loads(o.read_text()) for o in outs]
    calls = [c for r in results for c in r["calls"]]
    runs = [run for r in results for run in r["runs"]]

    errors = Counter(f"{name} {status}" for name, _, status in calls if status != 200)
    batch = [s for name, s, status in calls if name == "log_batch" and status == 200]
    artifact = [s for name, s, status in calls if name == "log_artifact" and status == 200]
    points = sum(run["points"] for run in runs)
    finished = [run for run in runs if run["finished"]]

    # Every acknowledged write is there: each run's metric points and params in MariaDB, its artifact in Azurite.
    with pymysql.connect(host="127.0.0.1", port=services.db_port, user=services.db_user,
                         password=services.db_password, database=services.db_name) as conn, conn.cursor() as cur:
        cur.execute("SELECT r.run_uuid, r.status, (SELECT COUNT(*) FROM metrics m WHERE m.run_uuid = r.run_uuid), "
                    "(SELECT COUNT(*) FROM params p WHERE p.run_uuid = r.run_uuid) FROM runs r "
                    "WHERE r.experiment_id = %s", (experiment_id,))
        stored = {row[0]: row[1:] for row in cur.fetchall()}
    blobs = {b.name for b in artifact_container.list_blobs(name_starts_with=f"{ARTIFACTS_PATH}/load/")}
    lost = []
    for run in runs:
        status, n_metrics, n_params = stored.get(run["run_id"], (None, 0, 0))
        if status is None or n_metrics < run["points"] or n_params < run["params"] \
                or (run["finished"] and status != "FINISHED") \
                or (run["artifact"] and f"{ARTIFACTS_PATH}/{run['artifact']}" not in blobs):
            lost.append(run["run_id"])

    summary = {
        "clients": CLIENTS, "seconds": SECONDS, "calls": len(calls), "errors": dict(errors),
        "runs_per_s": round(len(finished) / SECONDS, 2), "metric_points_per_s": round(points / SECONDS),
        "log_batch_p50_ms": round(1000 * _percentile(batch, 0.5)), "log_batch_p95_ms": round(1000 * _percentile(batch, 0.95)),
        "log_artifact_p50_ms": round(1000 * _percentile(artifact, 0.5)),
        "log_artifact_p95_ms": round(1000 * _percentile(artifact, 0.95)),
        "acknowledged_runs": len(runs), "lost": len(lost),
    }
    print("\nload figures: " + json.dumps(summary))
    assert not lost, f"acknowledged writes missing for runs {lost[:5]}"
    assert not errors, f"failed calls: {dict(errors)}"
    assert finished, "no run finished"
