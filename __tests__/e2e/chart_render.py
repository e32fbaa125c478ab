"""Render helm_charts/mlflow_setup with real helm and look up the rendered manifests."""

import base64
import shutil
import subprocess
from pathlib import Path

import yaml

RELEASE = "mlflow"
NAMESPACE = "mlflow"


class Rendered:
    """The manifests `helm template` produced, indexed by (kind, name)."""

    def __init__(self, documents):
        self.documents = [d for d in documents if d]
        self._by_key = {(d["kind"], d["metadata"]["name"]): d for d in self.documents}

    def get(self, kind, name):
        try:
            return self._by_key[(kind, name)]
        except KeyError:
            have = sorted(f"{k}/{n}" for k, n in self._by_key)
            raise AssertionError(f"the chart rendered no {kind}/{name}; it rendered: {have}") from None

    def of_kind(self, kind):
        return [d for d in self.documents if d["kind"] == kind]

    def one(self, kind):
        found = self.of_kind(kind)
        assert len(found) == 1, f"expected one {kind}, the chart rendered {len(found)}"
        return found[0]

    def secret_value(self, name, key):
        """The decoded value of one key of a rendered Secret (what kubelet hands a secretKeyRef)."""
        secret = self.get("Secret", name)
        if key in secret.get("stringData", {}):
            return secret["stringData"][key]
        data = secret.get("data", {})
        assert key in data, f"Secret/{name} has no key {key!r} (keys: {sorted(data)})"
        return base64.b64decode(data[key]).decode("utf-8")


def render(helm, chart_src, values_file, work_dir):
    """Copy the chart to work_dir (so `helm dependency build` leaves the checkout alone) and render it."""
    charts = Path(work_dir) / "helm_charts"
    if not charts.exists():
        shutil.copytree(Path(chart_src).parent, charts)
        _run([helm, "dependency", "build", str(charts / Path(chart_src).name)])
    out = _run([
        helm, "template", RELEASE, str(charts / Path(chart_src).name),
        "--namespace", NAMESPACE, "--values", str(values_file),
    ])
    return Rendered(list(yaml.safe_load_all(out)))


def _run(argv):
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise AssertionError(f"{' '.join(argv[:3])} failed ({proc.returncode}):\n{proc.stderr}")
    return proc.stdout
