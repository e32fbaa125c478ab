import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";
import { loadConfig } from "../../config";
import { chartInputs, renderChart, type ChartInputs } from "../../scripts/render-environment";
import { synthAll } from "../support/stacks";
import { chartWorkspace, kubeValidate } from "../support/chart-workspace";
import { repoRoot } from "../support/project";

// The seam between TypeScript and the chart: the values the synthesized MLflow stacks hand helm
// (`values` and `set_sensitive`, Terraform references replaced by sample values worked out from the
// synthesized stacks) must pass the chart's values.schema.json, render with real helm, and give
// manifests that pass the Kubernetes schemas.

const environments = loadConfig({}).environments;
const app = synthAll();
const workspace = chartWorkspace();
afterAll(() => workspace.cleanup());

type Manifest = { kind: string; metadata: { name: string; namespace?: string; annotations?: Record<string, string> }; [key: string]: any };
function parseManifests(yaml: string): Manifest[] {
  return parseAllDocuments(yaml)
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
}

const render = (inputs: ChartInputs) => renderChart(inputs, workspace.chart);

describe.each(environments.map((e) => e.config.name))("values of mlflow-%s", (env) => {
  const inputs = chartInputs(app.outdir, env);
  const rendered = render(inputs);

  it("pass the chart's values.schema.json and render with helm", () => {
    expect(rendered.stderr).toBe("");
    expect(rendered.status).toBe(0);
  });

  it("render manifests that pass strict Kubernetes schema validation", () => {
    const result = kubeValidate(rendered.stdout);
    expect(result.stdout + result.stderr).toMatch(/Invalid: 0, Errors: 0/);
    expect(result.status).toBe(0);
  });

  it("give the tracking server the Service name and port behind the stack's tracking_uri output", () => {
    const trackingUri = app.json(`mlflow-${env}`).output!.tracking_uri!.value as string;
    const [, service, namespace] = /^http:\/\/([^.]+)\.([^.]+)\.svc\.cluster\.local:5000$/.exec(trackingUri)!;
    const svc = parseManifests(rendered.stdout).find((m) => m.kind === "Service" && m.metadata.name === service);
    expect(svc).toBeDefined();
    expect(svc!.metadata.namespace).toBe(namespace);
    expect(svc!.spec.ports).toEqual([expect.objectContaining({ name: "http", port: 5000 })]);
  });

  it("run the environment's image from its registry", () => {
    const { values } = inputs;
    const deployment = parseManifests(rendered.stdout).find((m) => m.kind === "Deployment" && m.metadata.name === `${values.fullnameOverride}-tracking-server`);
    const images = deployment!.spec.template.spec.containers.map((c: { image: string }) => c.image);
    expect(images).toContain(`${values.registry.server}/${values.image.repository}:${values.image.tag}`);
  });

  // The names earlier chart versions gave these objects (the class after the parent's fullname, i.e. fullnameOverride):
  // the same kind, name and namespace make helm upgrade them in place, never delete and re-create the disk.
  it("keep the MySQL disk's claim, class and policy under the names earlier releases created", () => {
    const { release, namespace, values } = inputs;
    const manifests = parseManifests(rendered.stdout);
    const find = (kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name);
    const diskClass = `${namespace}-${values.fullnameOverride}-disk-retain`;
    const claim = find("PersistentVolumeClaim", `${release}-mysql-data`);
    expect(claim?.metadata.namespace).toBe(namespace);
    expect(claim?.metadata.annotations?.["helm.sh/resource-policy"]).toBe("keep");
    expect(claim?.spec.storageClassName).toBe(diskClass);
    const storageClass = find("StorageClass", diskClass);
    expect(storageClass?.metadata.annotations?.["helm.sh/resource-policy"]).toBe("keep");
    expect(storageClass?.reclaimPolicy).toBe("Retain");

    const mysqlLabels = { "app.kubernetes.io/name": "mysql", "app.kubernetes.io/instance": release, "app.kubernetes.io/component": "database" };
    const policy = find("NetworkPolicy", `${release}-mysql`);
    expect(policy?.metadata.namespace).toBe(namespace);
    expect(policy?.spec.podSelector).toEqual({ matchLabels: mysqlLabels });
    // Its peers still select the tracking server's and the backup's pods (their labels as rendered).
    const podLabels = [
      find("Deployment", `${values.fullnameOverride}-tracking-server`)?.spec.template.metadata.labels,
      find("CronJob", `${values.fullnameOverride}-backup`)?.spec.jobTemplate.spec.template.metadata.labels,
    ];
    const peers: Record<string, string>[] = policy?.spec.ingress[0].from.map(
      (p: { podSelector: { matchLabels: Record<string, string> } }) => p.podSelector.matchLabels,
    );
    for (const labels of podLabels) {
      expect(labels).toBeDefined();
      expect(peers.some((peer) => Object.entries(peer).every(([k, v]) => labels[k] === v))).toBe(true);
    }
  });

  it("keep every secret out of non-Secret manifests", () => {
    const secretValues = [...inputs.secretSamples.values()];
    expect(secretValues.length).toBeGreaterThanOrEqual(4);
    const leaks = parseManifests(rendered.stdout)
      .filter((m) => m.kind !== "Secret")
      .flatMap((m) => secretValues.filter((s) => JSON.stringify(m).includes(s)).map((s) => `${m.kind}/${m.metadata.name} holds ${s}`));
    expect(leaks).toEqual([]);
  });
});

describe("a value renamed on one side only", () => {
  it.each([
    [
      "the TypeScript side renames storage.accountName",
      (v: any) => {
        v.storage.account = v.storage.accountName;
        delete v.storage.accountName;
      },
    ],
    [
      "the TypeScript side adds an unknown top-level key",
      (v: any) => {
        v.tracking = { replicas: 1 };
      },
    ],
    [
      "the TypeScript side renames trackingServer.replicas",
      (v: any) => {
        v.trackingServer.replicaCount = v.trackingServer.replicas;
        delete v.trackingServer.replicas;
      },
    ],
    [
      "the TypeScript side renames backup.container",
      (v: any) => {
        v.backup.containerName = v.backup.container;
        delete v.backup.container;
      },
    ],
  ])("fails the render: %s", (_what, mutate) => {
    const inputs = chartInputs(app.outdir, "dev");
    const values = structuredClone(inputs.values);
    mutate(values);
    const result = render({ ...inputs, values });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/values don't meet the specifications of the schema|additional properties|required/i);
  });
});

describe("render-environment.ts with an environment that was not synthesized", () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", "scripts/render-environment.ts", ...args], { cwd: repoRoot, encoding: "utf8", timeout: 60_000 });

  it.each(["nosuch", "../mlflow-dev", ""])("names the argument %j and the stacks that were synthesized", (env) => {
    const result = run(env, "--out-dir", app.outdir);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      `render-environment: <env> "${env}": ${app.outdir} holds no stack mlflow-${env} (synthesized: ${environments
        .map((e) => e.config.name)
        .sort()
        .join(", ")}); run npm run synth first\n`,
    );
  });

  it("names an unknown option with its usage, no stack trace", () => {
    const result = run("dev", "--bogus");
    expect(result.status).toBe(2);
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines).toEqual([
      expect.stringMatching(/^render-environment: Unknown option '--bogus'/),
      "usage: render-environment.ts <env> [--out-dir cdktf.out] [--chart <dir>]",
    ]);
  });

  it("says a synthesized stack that is not JSON comes from an interrupted synth", () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "mlflow-render-"));
    fs.mkdirSync(path.join(outDir, "stacks", "mlflow-dev"), { recursive: true });
    fs.writeFileSync(path.join(outDir, "stacks", "mlflow-dev", "cdk.tf.json"), '{"resource": {');
    expect(() => chartInputs(outDir, "dev")).toThrow("cdk.tf.json is not JSON (an interrupted synth?): run npm run synth again");
    fs.rmSync(outDir, { recursive: true, force: true });
  });
});
