"""Copies the Kubernetes JSON schemas shipped by the kubernetes-validate package into a folder kubeconform reads
offline: {dest}/{kind}-{group}-{version}.json.

The shipped files carry "$id": "https://kubernetes.io/api/..." and refer to "/api/_definitions.json", which a
validator would resolve to that web address. The copies drop the $id and point at the _definitions.json beside them.
Usage: python helm-kube-schemas.py KUBERNETES_VERSION DEST_DIR   (run with the venv's python)
"""
import json
import pathlib
import sys

import kubernetes_validate

version, dest = sys.argv[1], pathlib.Path(sys.argv[2])
source = pathlib.Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema" / f"v{version}-local-strict"
if not source.is_dir():
    sys.exit(f"kubernetes-validate ships no strict schemas for Kubernetes {version} (looked in {source})")


def relink(node):
    """Rewrites every absolute definitions reference to the sibling file."""
    if isinstance(node, dict):
        node.pop("$id", None)
        return {k: ("_definitions.json" + v[len("/api/_definitions.json"):] if k == "$ref" and isinstance(v, str)
                    and v.startswith("/api/_definitions.json") else relink(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [relink(v) for v in node]
    return node


dest.mkdir(parents=True, exist_ok=True)
count = 0
for path in sorted(source.glob("*.json")):
    if path.name == "all.json":
        continue
    (dest / path.name).write_text(json.dumps(relink(json.loads(path.read_text()))))
    count += 1
print(f"[tools] kube schemas: {count} strict schemas for Kubernetes {version} in {dest}", file=sys.stderr)
