// The defaults plus the required values render into manifests that pass strict Kubernetes schema validation for the
// pinned Kubernetes version (scripts/kube-validate.sh). scripts/test-chart.sh covers the other scenarios.
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { kubeValidate } from "../support/chart-workspace";
import { toolPath } from "../support/tools";
import { CHART_DIR, helmTemplate } from "./helm";

test("default + required values render and validate strictly", () => {
  const rendered = helmTemplate([]);
  expect(rendered.stderr).toBe("");
  expect(rendered.status).toBe(0);

  toolPath("kubeconform");
  const validated = kubeValidate(rendered.stdout);
  expect(validated.stderr).toBe("");
  expect(validated.stdout).toMatch(/Summary: 24 resources found parsing stdin - Valid: 24, Invalid: 0, Errors: 0, Skipped: 0/);
  expect(validated.status).toBe(0);
});

test("the validator rejects what Kubernetes would reject, so a pass above means something", () => {
  const rendered = helmTemplate([]);
  const broken = rendered.stdout.replace("revisionHistoryLimit: 5", "revisionHistoryLimit: 5\n  replica: 2");
  const validated = kubeValidate(broken);
  expect(validated.stdout).toContain("additional properties 'replica' not allowed");
  expect(validated.status).not.toBe(0);
});

test("an external database renders none of the mysql chart's objects: no claim, class, policy or server", () => {
  const rendered = helmTemplate(["-f", join(CHART_DIR, "ci", "external-database-values.yaml")]);
  expect(rendered.stderr).toBe("");
  const objects = parseAllDocuments(rendered.stdout)
    .map((d) => d.toJS() as { kind: string; metadata: { name: string } } | null)
    .filter((m) => m !== null)
    .map((m) => `${m.kind}/${m.metadata.name}`);
  expect(objects).toContain("PersistentVolumeClaim/mlflow-projects");
  expect(objects.filter((o) => /mysql|^StorageClass\//.test(o))).toEqual([]);
});
