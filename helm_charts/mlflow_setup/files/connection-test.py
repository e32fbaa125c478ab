# `helm test`: the tracking server answers through its Service. Checks GET /health, then one API call that reads the
# backend store (search experiments), so a pod that is up but cannot reach its database fails the test too.
# Reads MLFLOW_TRACKING_URI (the Service URL); standard library only, so it runs in the tracking-server image as is.
import json
import os
import sys
import urllib.error
import urllib.request

base = os.environ["MLFLOW_TRACKING_URI"].rstrip("/")
timeout = float(os.environ.get("CONNECTION_TEST_TIMEOUT_SECONDS", "15"))


def call(path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read().decode()
    except urllib.error.HTTPError as err:
        sys.exit("FAIL %s%s: HTTP %d %s" % (base, path, err.code, err.read().decode(errors="replace")[:300]))
    except (urllib.error.URLError, OSError) as err:
        sys.exit("FAIL %s%s: %s" % (base, path, getattr(err, "reason", err)))


health = call("/health").strip()
if health != "OK":
    sys.exit("FAIL %s/health answered %r, expected OK" % (base, health[:100]))
print("ok %s/health" % base, flush=True)

found = json.loads(call("/api/2.0/mlflow/experiments/search", {"max_results": 1}))
if not isinstance(found, dict) or not isinstance(found.get("experiments", []), list):
    sys.exit("FAIL experiments/search answered %r, expected {'experiments': [...]}" % (found,))
print("ok %s/api/2.0/mlflow/experiments/search (%d experiment(s) on the first page)" % (base, len(found.get("experiments", []))))
