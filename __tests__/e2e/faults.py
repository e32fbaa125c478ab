"""Faults the end-to-end run injects into its own services: stop and restart Azurite or MariaDB the way run.sh
started them (services.sh), and time HTTP calls against the tracking server."""

import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

SERVICES_SH = Path(__file__).resolve().parent / "services.sh"


def _pid(state, name):
    return int((Path(state) / "pids" / f"{name}.pid").read_text())


def stop_service(state, name, sig=signal.SIGKILL):
    """Kill a service's process group (KILL: a crash, not a clean shutdown) and wait until it is gone."""
    pid = _pid(state, name)
    os.killpg(pid, sig)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            (Path(state) / "pids" / f"{name}.pid").unlink(missing_ok=True)
            return
        time.sleep(0.1)
    raise AssertionError(f"{name} (process group {pid}) still runs 20 s after {sig!r}")


def pause_service(state, name, paused):
    """SIGSTOP/SIGCONT a service: its port still accepts connections (the kernel's backlog) but nothing answers."""
    os.killpg(_pid(state, name), signal.SIGSTOP if paused else signal.SIGCONT)


def start_service(name):
    """Start a service again with services.sh (same port, data and credentials as run.sh's first start)."""
    function = {"azurite": "start_azurite", "mariadb": "restart_mariadb"}[name]
    subprocess.run(["bash", "-c", f'source "{SERVICES_SH}" && {function}'], check=True, capture_output=True,
                   text=True, timeout=120)


def timed_request(method, url, data=None, timeout=60, headers=None):
    """(HTTP status or the error's name, seconds) of one request."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as err:
        status = err.code
    except OSError as err:
        status = type(err).__name__
    return status, time.monotonic() - started


def wait_for_status(url, want=200, timeout=120, headers=None):
    """Seconds until url answers `want`."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if timed_request("GET", url, timeout=5, headers=headers)[0] == want:
            return time.monotonic() - started
        time.sleep(0.2)
    raise AssertionError(f"{url} did not answer {want} within {timeout}s")
