// Renders the mlflow_setup chart as a synthesized mlflow-<env> stack installs it (its helm_release), each Terraform
// reference replaced by a sample worked out from the synthesized stacks, through the pinned helm and Kubernetes version.
//
//   node --import tsx scripts/render-environment.ts <env> [--out-dir cdktf.out] [--chart <dir>] > manifests.yaml
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { type Json, projectRoot, readJson, setDotted, withSecrets } from "./lib/helm-values";

/**
 * What helm gets for one environment: `chart` resolved from the stack's directory as Terraform resolves it, `secrets`
 * the set_sensitive settings as nested values, `secretSamples` each sample secret by the reference it stands for.
 */
export type ChartInputs = { release: string; namespace: string; chart: string; values: Json; secrets: Json; secretSamples: Map<string, string> };

// Stand-ins for secrets are distinct per reference and hostile (URI, shell and YAML metacharacters), so that a leak in
// any encoding or a broken quoting shows up.
const secretAttributes = new Set(["azuread_application_password.value", "azurerm_storage_account.primary_access_key", "random_password.result"]);
const shortHash = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 12);
const sampleUuid = (seed: string) => `00000000-0000-4000-8000-${shortHash(seed)}`;

/** Resolves the `${...}` expressions of synthesized stacks to sample values. */
function sampleResolver(outDir: string, env: string) {
  const stacks = new Map<string, Json>();
  const secretSamples = new Map<string, string>();
  const stack = (name: string): Json => {
    const file = path.join(outDir, "stacks", name, "cdk.tf.json");
    if (!stacks.has(name)) stacks.set(name, (readJson(file, file, "is not JSON (an interrupted synth?): run npm run synth again") ?? {}) as Json);
    return stacks.get(name)!;
  };
  /** Replaces every ${...} in a string; the replacement is escaped for a JSON string when `json` is set. */
  const substitute = (stackName: string, text: string, json = false): string =>
    text.replace(/\$\{([^}]+)\}/g, (_all, expression: string) => {
      const value = resolve(stackName, expression);
      return json ? JSON.stringify(value).slice(1, -1) : value;
    });
  const resolve = (stackName: string, expression: string): string => {
    const nonsensitive = /^nonsensitive\((.+)\)$/.exec(expression);
    if (nonsensitive) return resolve(stackName, nonsensitive[1]!);
    const remote = /^data\.terraform_remote_state\.([^.]+)\.outputs\.(.+)$/.exec(expression);
    if (remote) {
      const source = remote[1]!.replace(/^cross-stack-reference-input-/, "");
      const output = stack(source).output?.[remote[2]!];
      const inner = typeof output?.value === "string" ? /^\$\{(.+)\}$/.exec(output.value) : null;
      if (!inner) throw new Error(`stack ${source} has no output ${remote[2]} that references a resource`);
      return resolve(source, inner[1]!);
    }
    if (/^data\.azurerm_client_config\.[^.]+\.tenant_id$/.test(expression)) return sampleUuid(expression);
    const [, type = "", name = "", attr = ""] = /^([a-z0-9_]+)\.([^.]+)\.(.+)$/.exec(expression) ?? [];
    const resource = stack(stackName).resource?.[type]?.[name];
    if (resource) {
      if (secretAttributes.has(`${type}.${attr}`)) {
        // A generated password gets a sample of its length (the chart checks the cookie secret's length).
        const hostile = `S3cret-${env}-${shortHash(`${stackName}:${expression}`)} p@ss:w/rd%#?&=+'"$`;
        const length = type === "random_password" && typeof resource.length === "number" ? resource.length : hostile.length;
        const sample = hostile.repeat(Math.ceil(length / hostile.length)).slice(0, length);
        secretSamples.set(`${stackName}:${expression}`, sample);
        return sample;
      }
      if (attr === "name" && typeof resource.name === "string" && !resource.name.includes("${")) return resource.name;
      if (attr === "metadata[0].name" && typeof resource.metadata?.name === "string") return resource.metadata.name;
      if (type === "azurerm_container_registry" && attr === "login_server") return `${String(resource.name).toLowerCase()}.azurecr.io`;
      if (attr === "client_id") return sampleUuid(expression);
      if (type === "azurerm_key_vault_certificate" && attr === "versionless_id") return `https://kvsample.vault.azure.net/certificates/${resource.name}`;
      if (type === "azurerm_disk_encryption_set" && attr === "id") {
        const group = substitute(stackName, String(resource.resource_group_name));
        return `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/${group}/providers/Microsoft.Compute/diskEncryptionSets/${resource.name}`;
      }
    }
    throw new Error(`no sample value for the Terraform reference \${${expression}} in ${stackName}: add one to scripts/render-environment.ts`);
  };
  return { stack, substitute, secretSamples };
}

/** The helm_release of mlflow-<env> in outDir, with sample values for its references. */
export function chartInputs(outDir: string, env: string): ChartInputs {
  const stackName = `mlflow-${env}`;
  // Listed, not joined into a path: an <env> such as "../x" matches no stack.
  const synthesized = fs.existsSync(path.join(outDir, "stacks")) ? fs.readdirSync(path.join(outDir, "stacks")) : [];
  if (!synthesized.includes(stackName)) {
    const found = synthesized.flatMap((name) => (name.startsWith("mlflow-") ? [name.slice("mlflow-".length)] : [])).sort();
    throw new Error(`<env> "${env}": ${outDir} holds no stack ${stackName} (synthesized: ${found.join(", ") || "none"}); run npm run synth first`);
  }
  const { stack, substitute, secretSamples } = sampleResolver(outDir, env);
  const releases = Object.values(stack(stackName).resource?.helm_release ?? {}) as Json[];
  if (releases.length !== 1) throw new Error(`${stackName} should hold exactly one helm_release, found ${releases.length}`);
  const release = releases[0]!;
  const secrets: Json = {};
  for (const { name, value } of release.set_sensitive as { name: string; value: string }[]) setDotted(secrets, name, substitute(stackName, value));
  return {
    release: substitute(stackName, release.name),
    namespace: substitute(stackName, release.namespace),
    chart: path.resolve(outDir, "stacks", stackName, release.chart),
    values: JSON.parse(substitute(stackName, release.values[0], true)) as Json,
    secrets,
    secretSamples,
  };
}

/** `helm template` of the inputs; the values, secrets among them, go through helm's stdin and never into a file. */
export function renderChart(inputs: ChartInputs, chart = inputs.chart) {
  const helm = path.join(projectRoot, ".tools", "bin", "helm");
  if (!fs.existsSync(helm)) throw new Error(`helm is not installed: run npm run tools (expected ${helm})`);
  const versions = fs.readFileSync(path.join(projectRoot, "scripts", "versions.env"), "utf8");
  const kubeVersion = /^KUBERNETES_VERSION=(.+)$/m.exec(versions)?.[1]?.trim();
  if (!kubeVersion) throw new Error("KUBERNETES_VERSION is not set in scripts/versions.env");
  const args = ["template", inputs.release, chart, "--namespace", inputs.namespace, "--kube-version", kubeVersion, "--values", "-"];
  const input = JSON.stringify(withSecrets(inputs.values, inputs.secrets));
  const r = spawnSync(helm, args, { encoding: "utf8", input, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function main(): void {
  const options = { "out-dir": { type: "string", default: "cdktf.out" }, chart: { type: "string" } } as const;
  const usage = "usage: render-environment.ts <env> [--out-dir cdktf.out] [--chart <dir>]";
  let args;
  try {
    args = parseArgs({ allowPositionals: true, options });
  } catch (error) {
    process.stderr.write(`render-environment: ${(error as Error).message}\n${usage}\n`);
    process.exit(2);
  }
  const { values, positionals } = args;
  if (positionals.length !== 1) {
    process.stderr.write(`${usage}\n`);
    process.exit(2);
  }
  try {
    const inputs = chartInputs(path.resolve(values["out-dir"]), positionals[0]!);
    const result = renderChart(inputs, values.chart ? path.resolve(values.chart) : inputs.chart);
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    process.exitCode = result.status ?? 1;
  } catch (error) {
    process.stderr.write(`render-environment: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}

if (require.main === module) main();
