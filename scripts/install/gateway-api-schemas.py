"""Turns CustomResourceDefinitions into strict JSON schemas kubeconform reads offline:
{dest}/{kind}-{first label of the group}-{version}.json (kubeconform's {{.ResourceKind}}{{.KindSuffix}}).

Strict: every object schema that lists its properties and says nothing about others refuses unknown fields, as the
API server's pruning would drop them silently. apiVersion and kind are pinned to the CRD's own.
Usage: python gateway-api-schemas.py CRD_DIR DEST_DIR [EXPECTED]
EXPECTED: a schema file that must be among those written (default gateway-gateway-v1.json); other CRD sets
(scripts/install/prometheus-operator.sh) name their own.
"""
import json
import pathlib
import sys

import yaml

crd_dir, dest = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
expected = sys.argv[3] if len(sys.argv) > 3 else "gateway-gateway-v1.json"


def strict(node):
    if isinstance(node, dict):
        node = {k: strict(v) for k, v in node.items()}
        if "properties" in node and "additionalProperties" not in node \
                and not node.get("x-kubernetes-preserve-unknown-fields"):
            node["additionalProperties"] = False
        return node
    if isinstance(node, list):
        return [strict(v) for v in node]
    return node


dest.mkdir(parents=True, exist_ok=True)
written = []
for path in sorted(crd_dir.glob("*.yaml")):
    for crd in yaml.safe_load_all(path.read_text()):
        if not crd or crd.get("kind") != "CustomResourceDefinition":
            continue
        group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
        for version in crd["spec"]["versions"]:
            schema = strict(version["schema"]["openAPIV3Schema"])
            props = schema.setdefault("properties", {})
            props["apiVersion"] = {"type": "string", "enum": [f"{group}/{version['name']}"]}
            props["kind"] = {"type": "string", "enum": [kind]}
            props["metadata"] = {"type": "object"}
            name = f"{kind.lower()}-{group.split('.')[0]}-{version['name']}.json"
            (dest / name).write_text(json.dumps(schema))
            written.append(name)
if expected not in written:
    sys.exit(f"no {expected} among the schemas of the CRDs in {crd_dir}")
print(f"[tools] CRD schemas: {len(written)} strict schemas in {dest}", file=sys.stderr)
