"""One load client: logs runs through the tracking server's REST API for a fixed time, then writes what it did.

Usage: python3 load_client.py <server url> <experiment id> <seconds> <result.json>
Per run: runs/create, two runs/log-batch of 100 metric points (the first with 5 params), one 4 KiB artifact PUT,
runs/update to FINISHED. Plain HTTP with keep-alive (no MLflow import), so the clients cost little CPU and the
figures are the server's. Every call's latency and outcome is recorded; a write counts as acknowledged only after
a 200.
"""

import http.client
import json
import os
import sys
import time
from urllib.parse import urlparse

POINTS_PER_BATCH = 100


class Api:
    def __init__(self, url):
        self.netloc = urlparse(url).netloc
        self.conn = None

    def call(self, method, path, body=None, raw=None):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        headers = {"Content-Type": "application/json"} if raw is None else {"Content-Type": "application/octet-stream"}
        for attempt in (1, 2):  # one reconnect if the kept-alive connection was closed by the server
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.netloc, timeout=60)
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                payload = response.read()
                return response.status, payload
            except (ConnectionError, http.client.HTTPException, OSError) as err:
                self.conn.close()
                self.conn = None
                if attempt == 2 or not isinstance(err, (http.client.RemoteDisconnected, ConnectionResetError)):
                    return type(err).__name__, b""
        return "unreachable", b""


def main(url, experiment_id, seconds, out):
    api = Api(url)
    calls = []  # [name, seconds, status]
    runs = []  # {"run_id", "points", "params", "finished", "artifact"}
    deadline = time.monotonic() + seconds
    client = os.getpid()

    def timed(name, *args, **kwargs):
        started = time.monotonic()
        status, payload = api.call(*args, **kwargs)
        calls.append([name, time.monotonic() - started, status])
        return status == 200, payload

    n = 0
    while time.monotonic() < deadline:
        n += 1
        now = int(time.time() * 1000)
        ok, payload = timed("create_run", "POST", "/api/2.0/mlflow/runs/create",
                           {"experiment_id": experiment_id, "start_time": now, "run_name": f"load-{client}-{n}"})
        if not ok:
            continue
        run = {"run_id": json.loads(payload)["run"]["info"]["run_id"], "points": 0, "params": 0,
               "finished": False, "artifact": None}
        runs.append(run)
        for batch in range(2):
            metrics = [{"key": f"m{i % 10}", "value": float(i), "timestamp": now, "step": batch * 1000 + i}
                       for i in range(POINTS_PER_BATCH)]
            params = [{"key": f"p{i}", "value": str(i)} for i in range(5)] if batch == 0 else []
            ok, _ = timed("log_batch", "POST", "/api/2.0/mlflow/runs/log-batch",
                          {"run_id": run["run_id"], "metrics": metrics, "params": params})
            if ok:
                run["points"] += len(metrics)
                run["params"] += len(params)
        path = f"load/{run['run_id']}/data.bin"
        ok, _ = timed("log_artifact", "PUT", f"/api/2.0/mlflow-artifacts/artifacts/{path}", raw=os.urandom(4096))
        if ok:
            run["artifact"] = path
        ok, _ = timed("finish_run", "POST", "/api/2.0/mlflow/runs/update",
                      {"run_id": run["run_id"], "status": "FINISHED", "end_time": int(time.time() * 1000)})
        run["finished"] = ok
    with open(out, "w") as f:
        json.dump({"calls": calls, "runs": runs}, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4])
