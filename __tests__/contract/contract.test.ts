import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";
import { loadConfig } from "../../config";
import { onlyResourceOf, synthAll } from "../support/stacks";
import { chartWorkspace, helmTemplate, kubeValidate } from "./render";

// The seam between TypeScript and the chart: the values the synthesized MLflow stacks hand helm,
// with Terraform references replaced by sample values, must pass the chart's values.schema.json,
// render with real helm, and give manifests that pass the Kubernetes schemas.

const environments = loadConfig({}).environments;
const app = synthAll();
const workspace = chartWorkspace();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "mlflow-contract-"));
afterAll(() => {
  workspace.cleanup();
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** A password that needs URL-encoding in the database URI. */
const HOSTILE_PASSWORD = "p@ss:w/rd%#?&=+ x";

/** Sample values for each Terraform reference, chosen by what the reference ends with. */
function sampleFor(env: string, expression: string): string {
  const names = environments.find((e) => e.config.name === env)!.names;
  const samples: [RegExp, string][] = [
    [/login_server\)?$/, `${names.registry}.azurecr.io`],
    [/client_id\)?$/, "0f5d6a4e-1c2b-4e8f-9a7d-3b2c1d0e9f8a"],
    [/storage_account\w*name\)?$/, names.storageAccount],
    [/project-share\w*name\)?$/, "mlflow-projects"],
    [/artifact-container\w*name\)?$/, "mlflow-artifacts"],
    [/backup-container\w*name\)?$/, "mlflow-backups"],
    [/acr-push_password\w*value$/, `sample-registry-password-${env}`],
    [/primary_access_key$/, Buffer.from(`sample-storage-key-${env}`).toString("base64")],
    [/mysql-password\w*\.result$/, HOSTILE_PASSWORD],
    [/mysql-root-password\w*\.result$/, `sample-root-${env}`],
  ];
  const match = samples.find(([pattern]) => pattern.test(expression));
  if (!match) throw new Error(`no sample value for the Terraform reference \${${expression}}: add one to the contract test`);
  return match[1];
}

function resolveReferences(env: string, text: string): string {
  return text.replace(/\$\{([^}]+)\}/g, (_all, expression: string) => sampleFor(env, expression));
}

/** The values files helm gets for one environment: `values` as synthesized, and the sensitive settings. */
function valueFiles(env: string): { values: Record<string, any>; secrets: Record<string, any>; files: string[] } {
  const release = onlyResourceOf(app.json(`mlflow-${env}`), "helm_release");
  const values = JSON.parse(resolveReferences(env, release.values[0]));
  const secrets: Record<string, any> = {};
  for (const { name, value } of release.set_sensitive as { name: string; value: string }[]) {
    const keys = name.split(".");
    let node = secrets;
    for (const key of keys.slice(0, -1)) node = node[key] ??= {};
    node[keys[keys.length - 1]!] = resolveReferences(env, value);
  }
  const files = [path.join(scratch, `${env}-values.json`), path.join(scratch, `${env}-secrets.json`)];
  fs.writeFileSync(files[0]!, JSON.stringify(values));
  fs.writeFileSync(files[1]!, JSON.stringify(secrets));
  return { values, secrets, files };
}

type Manifest = { kind: string; metadata: { name: string; namespace?: string }; [key: string]: any };
function parseManifests(yaml: string): Manifest[] {
  return parseAllDocuments(yaml)
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
}

describe.each(environments.map((e) => e.config.name))("values of mlflow-%s", (env) => {
  const { values, files } = valueFiles(env);
  const rendered = helmTemplate(workspace.chart, files);

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
    const deployment = parseManifests(rendered.stdout).find((m) => m.kind === "Deployment" && m.metadata.name === `${values.fullnameOverride}-tracking-server`);
    const images = deployment!.spec.template.spec.containers.map((c: { image: string }) => c.image);
    expect(images).toContain(`${values.registry.server}/${values.image.repository}:${values.image.tag}`);
  });

  it("keep every secret out of non-Secret manifests", () => {
    const secretValues = [HOSTILE_PASSWORD, `sample-registry-password-${env}`, `sample-root-${env}`, Buffer.from(`sample-storage-key-${env}`).toString("base64")];
    const leaks = parseManifests(rendered.stdout)
      .filter((m) => m.kind !== "Secret")
      .flatMap((m) => secretValues.filter((s) => JSON.stringify(m).includes(s)).map((s) => `${m.kind}/${m.metadata.name} holds ${s}`));
    expect(leaks).toEqual([]);
  });
});

describe("a value renamed on one side only", () => {
  it.each([
    ["the TypeScript side renames storage.accountName", (v: any) => { v.storage.account = v.storage.accountName; delete v.storage.accountName; }],
    ["the TypeScript side adds an unknown top-level key", (v: any) => { v.tracking = { replicas: 1 }; }],
    ["the TypeScript side renames trackingServer.replicas", (v: any) => { v.trackingServer.replicaCount = v.trackingServer.replicas; delete v.trackingServer.replicas; }],
  ])("fails the render: %s", (_what, mutate) => {
    const { values, files } = valueFiles("dev");
    mutate(values);
    fs.writeFileSync(files[0]!, JSON.stringify(values));
    const result = helmTemplate(workspace.chart, files);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/values don't meet the specifications of the schema|additional properties|required/i);
  });
});
