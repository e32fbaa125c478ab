# Installed as sitecustomize.py for the tracking server's processes (the `mlflow server` CLI and its uvicorn workers,
# which inherit PYTHONPATH): every BlobServiceClient gets bounded timeouts and retries unless its caller sets them.
# Why: MLflow's AzureBlobArtifactRepository builds its client with the SDK defaults (connect 20 s, read 60 s,
# 3 retries after 15 s, 18 s and 24 s), so with storage down an artifact call held a worker for about 85 s.
# Bounds come from the environment the chart renders (BLOB_CLIENT_*); see docs/reliability.md for the arithmetic.
import os

_BOUNDS = {
    "connection_timeout": ("BLOB_CLIENT_CONNECTION_TIMEOUT_SECONDS", float),
    "read_timeout": ("BLOB_CLIENT_READ_TIMEOUT_SECONDS", float),
    "retry_total": ("BLOB_CLIENT_RETRY_TOTAL", int),
    "initial_backoff": ("BLOB_CLIENT_RETRY_BACKOFF_SECONDS", float),
}


def _install():
    bounds = {key: cast(os.environ[var]) for key, (var, cast) in _BOUNDS.items() if os.environ.get(var)}
    if not bounds:
        return
    # The SDK waits initial_backoff + increment_base**n (n >= 1) plus jitter before retry n: a fixed, jitter-free wait.
    bounds.update(increment_base=0, random_jitter_range=0)
    from azure.storage.blob import BlobServiceClient

    original = BlobServiceClient.__init__

    def bounded_init(self, account_url, credential=None, **kwargs):
        for key, value in bounds.items():
            kwargs.setdefault(key, value)
        original(self, account_url, credential=credential, **kwargs)

    BlobServiceClient.__init__ = bounded_init


_install()
