// Secrets flow from Terraform state to Kubernetes Secrets and nowhere else. The whole app is synthesized (the real
// main.ts, remote state backend, with secret-looking credentials in the environment as CI has them), then the chart
// is rendered per environment with the values its MLflow stack hands helm and a hostile sample for every secret.
// No sample may appear, in any encoding, in a synthesized file, in a non-Secret manifest or in Helm `values`;
// outputs that carry secrets are sensitive.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";
import { environments } from "../../config/environments";
import { chartInputs, renderChart, type ChartInputs } from "../../scripts/render-environment";
import { copyProject, readTree, runSynth } from "../support/project";
import { toolPath } from "../support/tools";

/** Credentials CI holds while it synthesizes: none may reach cdktf.out (the remote state copies backend config). */
const ciCredentials: NodeJS.ProcessEnv = {
  ARM_ACCESS_KEY: "c2FtcGxlLXN0YXRlLWFjY2Vzcy1rZXk=Zq1",
  ARM_CLIENT_SECRET: "sample~client~secret~7Qx",
  ARM_CLIENT_CERTIFICATE_PASSWORD: "sample-cert-password-9Lm",
  ARM_SAS_TOKEN: "sv=2024-01-01&sig=sampleSasSignature4Tz",
  ARM_OIDC_TOKEN: "eyJzYW1wbGUiOiJvaWRjIn0.sample-oidc-token-2Rw",
  AZURE_CLIENT_SECRET: "sample-azure-client-secret-6Kp",
};

/** Every form a leaked value could take in a file: as is, base64, URL-encoded, JSON-escaped (also as Go escapes < > &). */
function encodings(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const goJson = json.replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
  return [secret, Buffer.from(secret).toString("base64"), encodeURIComponent(secret), json, goJson];
}
function leaksIn(text: string, secrets: Iterable<string>): string[] {
  return [...secrets].filter((s) => encodings(s).some((form) => text.includes(form)));
}

/** Every string leaf of a JSON value. */
function strings(node: unknown): string[] {
  if (typeof node === "string") return [node];
  if (Array.isArray(node)) return node.flatMap(strings);
  if (node && typeof node === "object") return Object.values(node).flatMap(strings);
  return [];
}

type Manifest = { kind: string; metadata: { name: string }; data?: Record<string, string>; [key: string]: any };

const project = copyProject();
afterAll(() => fs.rmSync(project, { recursive: true, force: true }));
const outDir = path.join(project, "cdktf.out");
const synth = runSynth(project, {
  ...ciCredentials,
  TF_STATE_RESOURCE_GROUP: "rg-mlflow-tfstate",
  TF_STATE_STORAGE_ACCOUNT: "stmlflowtfstate",
  TF_STATE_CONTAINER: "tfstate",
  MLFLOW_IMAGE_DIGEST: `sha256:${"ab".repeat(32)}`,
});

describe("synthesis", () => {
  it("succeeds with the remote state backend the credentials are for", () => {
    expect(synth.stderr).toBe("");
    expect(synth.status).toBe(0);
    const infra = JSON.parse(fs.readFileSync(path.join(outDir, "stacks", "infra-prod", "cdk.tf.json"), "utf8"));
    expect(infra.terraform.backend.azurerm).toEqual(expect.objectContaining({ storage_account_name: "stmlflowtfstate" }));
  });

  it("writes no credential of the environment into any file", () => {
    const files = readTree(outDir);
    expect(files.size).toBeGreaterThanOrEqual(6);
    const leaks = [...files].flatMap(([file, text]) => leaksIn(text, Object.values(ciCredentials) as string[]).map((s) => `${file}: ${s}`));
    expect(leaks).toEqual([]);
  });

  it("marks every output that carries a secret sensitive, in every stack", () => {
    const secretReference =
      /(\.value|_access_key|connection_string|client_key|client_certificate|cluster_ca_certificate|kube_(admin_)?config(_raw)?\b|\.host|password|\.result)\}$/;
    const named = ["push_principal_password", "storage_account_key", "cluster_host", "cluster_ca_certificate"];
    const carrying: string[] = [];
    for (const stack of fs.readdirSync(path.join(outDir, "stacks"))) {
      const outputs = JSON.parse(fs.readFileSync(path.join(outDir, "stacks", stack, "cdk.tf.json"), "utf8")).output ?? {};
      for (const [name, output] of Object.entries(outputs as Record<string, { value: unknown; sensitive?: boolean }>)) {
        if (named.includes(name) || secretReference.test(String(output.value))) {
          carrying.push(name);
          expect({ stack, output: name, sensitive: output.sensitive }).toEqual({ stack, output: name, sensitive: true });
        }
      }
    }
    // Each platform stack has the four named outputs, and hands the MLflow stack the push principal's password, the
    // account key, the API server address and its CA as cross-stack outputs.
    for (const name of named) expect(carrying.filter((c) => c === name)).toHaveLength(environments.length);
    expect(carrying.filter((c) => c.startsWith("cross-stack-output-")).length).toBeGreaterThanOrEqual(environments.length * 4);
  });
});

describe.each(["dev", "staging", "prod"])("the chart as mlflow-%s installs it", (env) => {
  let inputs: ChartInputs;
  let manifests: Manifest[];
  let secrets: string[];
  beforeAll(() => {
    toolPath("helm");
    inputs = chartInputs(outDir, env);
    secrets = [...inputs.secretSamples.values()];
    const built = spawnSync(toolPath("helm"), ["dependency", "build", inputs.chart], { encoding: "utf8" });
    if (built.status !== 0) throw new Error(`helm dependency build failed: ${built.stderr}`);
    const rendered = renderChart(inputs);
    if (rendered.status !== 0) throw new Error(`helm template failed: ${rendered.stderr}`);
    manifests = parseAllDocuments(rendered.stdout)
      .map((d) => d.toJS() as Manifest)
      .filter(Boolean);
  });

  it("gets all four secrets through set_sensitive: registry password, storage key, both database passwords", () => {
    expect(inputs.chart.startsWith(project)).toBe(true);
    expect(inputs.secretSamples.size).toBe(4);
    expect(strings(inputs.secrets).sort()).toEqual([...secrets].sort());
  });

  it("keeps every secret out of the Helm values", () => {
    expect(strings(inputs.values).flatMap((leaf) => leaksIn(leaf, secrets))).toEqual([]);
  });

  it("stores every secret in a Kubernetes Secret (so the checks below look at real values)", () => {
    const secretData = manifests
      .filter((m) => m.kind === "Secret")
      .flatMap((m) => Object.values(m.data ?? {}).map((v) => Buffer.from(v, "base64").toString("utf8")))
      .join("\n");
    for (const secret of secrets) expect({ secret, stored: leaksIn(secretData, [secret]).length === 1 }).toEqual({ secret, stored: true });
  });

  it("leaves no secret in any other manifest, in any encoding", () => {
    const others = manifests.filter((m) => m.kind !== "Secret");
    expect(others.length).toBeGreaterThan(10);
    const leaks = others.flatMap((m) => leaksIn(JSON.stringify(m), secrets).map((s) => `${m.kind}/${m.metadata.name}: ${s}`));
    expect(leaks).toEqual([]);
  });

  it("hands secrets to containers only as files, never as environment variables", () => {
    const podSpecs = manifests.flatMap((m) => {
      if (m.kind === "Deployment") return [{ owner: `${m.kind}/${m.metadata.name}`, spec: m.spec.template.spec }];
      if (m.kind === "CronJob") return [{ owner: `${m.kind}/${m.metadata.name}`, spec: m.spec.jobTemplate.spec.template.spec }];
      return [];
    });
    expect(podSpecs.map((p) => p.owner).sort()).toEqual(["CronJob/mlflow-backup", "Deployment/mlflow-mysql", "Deployment/mlflow-tracking-server"]);
    const fromSecrets = podSpecs.flatMap(({ owner, spec }) =>
      [...(spec.initContainers ?? []), ...spec.containers].flatMap((c: any) => [
        ...(c.env ?? []).filter((e: any) => e.valueFrom?.secretKeyRef).map((e: any) => `${owner} ${c.name} env ${e.name}`),
        ...(c.envFrom ?? []).filter((e: any) => e.secretRef).map(() => `${owner} ${c.name} envFrom`),
      ]),
    );
    expect(fromSecrets).toEqual([]);
  });
});
