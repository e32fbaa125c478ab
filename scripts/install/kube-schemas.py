"""Writes strict JSON schemas that kubeconform reads offline: DEST/{kind}-{group's first label}-{version}.json.
Usage: kube-schemas.py DEST k8s KUBERNETES_VERSION          the schemas shipped by the kubernetes-validate package
       kube-schemas.py DEST crds MODULE@VERSION GLOB [GROUP...]  the CRDs in a Go module, also under each GROUP
"""
import json
import os
import pathlib
import subprocess
import sys

import kubernetes_validate
import yaml

dest, mode, args = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3:]
dest.mkdir(parents=True, exist_ok=True)
DEFS = "/api/_definitions.json"


def relink(node):
    """The shipped $id and definitions references point at kubernetes.io: use the _definitions.json beside them."""
    if isinstance(node, dict):
        node.pop("$id", None)
        return {k: "_definitions.json" + v[len(DEFS):] if k == "$ref" and isinstance(v, str) and v.startswith(DEFS)
                else relink(v) for k, v in node.items()}
    return [relink(v) for v in node] if isinstance(node, list) else node


def strict(node):
    """Unknown fields fail: the API server's pruning would drop them silently."""
    if isinstance(node, dict):
        node = {k: strict(v) for k, v in node.items()}
        if "properties" in node and "additionalProperties" not in node \
                and not node.get("x-kubernetes-preserve-unknown-fields"):
            node["additionalProperties"] = False
        return node
    return [strict(v) for v in node] if isinstance(node, list) else node


if mode == "k8s":
    source = pathlib.Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema" / f"v{args[0]}-local-strict"
    if not source.is_dir():
        sys.exit(f"kubernetes-validate ships no strict schemas for Kubernetes {args[0]} (looked in {source})")
    for path in sorted(source.glob("*.json")):
        if path.name != "all.json":
            (dest / path.name).write_text(json.dumps(relink(json.loads(path.read_text()))))
else:
    go = subprocess.run(["go", "mod", "download", "-json", args[0]], env={**os.environ, "GOFLAGS": "-mod=mod"},
                        capture_output=True, text=True, check=False)
    module = json.loads(go.stdout or "{}")
    if go.returncode or "Dir" not in module:
        sys.exit(f"go mod download {args[0]} failed: {module.get('Error') or go.stderr.strip()}")
    for path in sorted(pathlib.Path(module["Dir"]).glob(args[1])):
        for crd in yaml.safe_load_all(path.read_text()):
            if not crd or crd.get("kind") != "CustomResourceDefinition":
                continue
            kind = crd["spec"]["names"]["kind"]
            for group in [crd["spec"]["group"], *args[2:]]:
                for version in crd["spec"]["versions"]:
                    schema = strict(version["schema"]["openAPIV3Schema"])
                    schema.setdefault("properties", {}).update(
                        apiVersion={"type": "string", "enum": [f"{group}/{version['name']}"]},
                        kind={"type": "string", "enum": [kind]}, metadata={"type": "object"})
                    name = f"{kind.lower()}-{group.split('.')[0]}-{version['name']}.json"
                    (dest / name).write_text(json.dumps(schema))
print(f"[tools] {len(list(dest.glob('*.json')))} strict schemas in {dest}", file=sys.stderr)
