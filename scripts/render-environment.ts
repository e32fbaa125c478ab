// Renders the mlflow_setup chart exactly as a synthesized MLflow stack installs it: the helm_release of
// cdktf.out/stacks/mlflow-<env> (release name, namespace, chart path, `values` and `set_sensitive`), every Terraform
// reference replaced by a sample value worked out from the synthesized stacks themselves (names as synthesized,
// fixed sample uuids, sample secrets), through the real helm for the pinned Kubernetes version.
//
//   node --import tsx scripts/render-environment.ts <env> [--out-dir cdktf.out] [--chart <dir>] > manifests.yaml
//
// Used by scripts/scan.sh (checkov over the rendered manifests) and by __tests__/security (secret flow).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";

const projectRoot = path.resolve(__dirname, "..");

type Json = Record<string, any>;

/** What helm gets for one environment, with the sample secrets that went into it. */
export interface ChartInputs {
  release: string;
  namespace: string;
  /** Absolute chart directory, resolved from the stack's directory as Terraform resolves it. */
  chart: string;
  values: Json;
  /** The set_sensitive settings as a nested values object. */
  secrets: Json;
  /** Every sample secret value used, keyed by the Terraform reference it stands for. */
  secretSamples: Map<string, string>;
}

/**
 * Terraform attributes that hold secrets, and what stands in for them: distinct per reference, and hostile on purpose
 * (URI, shell and YAML metacharacters) so a leak in any encoding or a broken quoting shows up.
 */
const secretAttributes = new Set(["azuread_application_password.value", "azurerm_storage_account.primary_access_key", "random_password.result"]);
function sampleSecret(env: string, reference: string): string {
  return `S3cret-${env}-${shortHash(reference)} p@ss:w/rd%#?&=+'"$`;
}

function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 12);
}

/** Resolves `${...}` expressions of synthesized stacks to sample values. */
class SampleResolver {
  private readonly stacks = new Map<string, Json>();
  readonly secretSamples = new Map<string, string>();

  constructor(
    private readonly outDir: string,
    private readonly env: string,
  ) {}

  stack(name: string): Json {
    let json = this.stacks.get(name);
    if (!json) {
      const file = path.join(this.outDir, "stacks", name, "cdk.tf.json");
      const text = fs.readFileSync(file, "utf8");
      try {
        json = JSON.parse(text) as Json;
      } catch {
        throw new Error(`${file} is not JSON (an interrupted synth?): run npm run synth again`);
      }
      this.stacks.set(name, json);
    }
    return json;
  }

  /** Replaces every ${...} in a string; the replacement is escaped for a JSON string when `json` is set. */
  substitute(stackName: string, text: string, json: boolean): string {
    return text.replace(/\$\{([^}]+)\}/g, (_all, expression: string) => {
      const value = this.resolve(stackName, expression);
      return json ? JSON.stringify(value).slice(1, -1) : value;
    });
  }

  resolve(stackName: string, expression: string): string {
    const nonsensitive = /^nonsensitive\((.+)\)$/.exec(expression);
    if (nonsensitive) return this.resolve(stackName, nonsensitive[1]!);

    const remote = /^data\.terraform_remote_state\.([^.]+)\.outputs\.(.+)$/.exec(expression);
    if (remote) {
      const source = remote[1]!.replace(/^cross-stack-reference-input-/, "");
      const output = this.stack(source).output?.[remote[2]!];
      const inner = typeof output?.value === "string" ? /^\$\{(.+)\}$/.exec(output.value) : null;
      if (!inner) throw new Error(`stack ${source} has no output ${remote[2]} that references a resource`);
      return this.resolve(source, inner[1]!);
    }

    if (/^data\.azurerm_client_config\.[^.]+\.tenant_id$/.test(expression)) return sampleUuid(expression);

    const attribute = /^([a-z0-9_]+)\.([^.]+)\.(.+)$/.exec(expression);
    const resource = attribute ? this.stack(stackName).resource?.[attribute[1]!]?.[attribute[2]!] : undefined;
    if (attribute && resource) {
      const [, type, , attr] = attribute as unknown as [string, string, string, string];
      if (secretAttributes.has(`${type}.${attr}`)) {
        // A generated password gets a sample of its length (the chart checks the cookie secret's length).
        const hostile = sampleSecret(this.env, `${stackName}:${expression}`);
        const length = type === "random_password" && typeof resource.length === "number" ? resource.length : hostile.length;
        const sample = hostile.repeat(Math.ceil(length / hostile.length)).slice(0, length);
        this.secretSamples.set(`${stackName}:${expression}`, sample);
        return sample;
      }
      if (attr === "name" && typeof resource.name === "string" && !resource.name.includes("${")) return resource.name;
      if (attr === "metadata[0].name" && typeof resource.metadata?.name === "string") return resource.metadata.name;
      if (type === "azurerm_container_registry" && attr === "login_server") return `${String(resource.name).toLowerCase()}.azurecr.io`;
      if (attr === "client_id") return sampleUuid(expression);
      if (type === "azurerm_key_vault_certificate" && attr === "versionless_id") {
        return `https://kvsample.vault.azure.net/certificates/${String(resource.name)}`;
      }
      if (attr === "id" && type === "azurerm_disk_encryption_set") {
        const group = this.substitute(stackName, String(resource.resource_group_name), false);
        return `/subscriptions/${SAMPLE_SUBSCRIPTION}/resourceGroups/${group}/providers/Microsoft.Compute/diskEncryptionSets/${String(resource.name)}`;
      }
    }
    throw new Error(`no sample value for the Terraform reference \${${expression}} in ${stackName}: add one to scripts/render-environment.ts`);
  }
}

const SAMPLE_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";

function sampleUuid(seed: string): string {
  const h = shortHash(seed);
  return `00000000-0000-4000-8000-${h}`;
}

/** Sets a helm --set style dotted name ("mysql.auth.password") in a nested object. */
export function setDotted(target: Json, dotted: string, value: string): void {
  const keys = dotted.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) node = node[key] ??= {};
  node[keys[keys.length - 1]!] = value;
}

/** The helm_release of mlflow-<env> in outDir, with sample values for its references. */
export function chartInputs(outDir: string, env: string): ChartInputs {
  const stackName = `mlflow-${env}`;
  // Listed, not joined into a path: an <env> such as "../x" matches no stack.
  const synthesized = fs.existsSync(path.join(outDir, "stacks")) ? fs.readdirSync(path.join(outDir, "stacks")) : [];
  if (!synthesized.includes(stackName)) {
    const found = synthesized
      .filter((name) => name.startsWith("mlflow-"))
      .map((name) => name.slice("mlflow-".length))
      .sort();
    throw new Error(`<env> "${env}": ${outDir} holds no stack ${stackName} (synthesized: ${found.join(", ") || "none"}); run npm run synth first`);
  }
  const resolver = new SampleResolver(outDir, env);
  const releases = Object.values(resolver.stack(stackName).resource?.helm_release ?? {}) as Json[];
  if (releases.length !== 1) throw new Error(`${stackName} should hold exactly one helm_release, found ${releases.length}`);
  const release = releases[0]!;

  const values = JSON.parse(resolver.substitute(stackName, release.values[0], true)) as Json;
  const secrets: Json = {};
  for (const setting of release.set_sensitive as { name: string; value: string }[]) {
    setDotted(secrets, setting.name, resolver.substitute(stackName, setting.value, false));
  }
  return {
    release: resolver.substitute(stackName, release.name, false),
    namespace: resolver.substitute(stackName, release.namespace, false),
    chart: path.resolve(outDir, "stacks", stackName, release.chart),
    values,
    secrets,
    secretSamples: resolver.secretSamples,
  };
}

export interface RenderResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The pinned Kubernetes version (scripts/versions.env). */
export function kubernetesVersion(): string {
  const text = fs.readFileSync(path.join(projectRoot, "scripts", "versions.env"), "utf8");
  const version = /^KUBERNETES_VERSION=(.+)$/m.exec(text)?.[1]?.trim();
  if (!version) throw new Error("KUBERNETES_VERSION is not set in scripts/versions.env");
  return version;
}

/** `helm template` of the inputs; the values files (secrets among them) live in a private directory, then go. */
export function renderChart(inputs: ChartInputs, chart = inputs.chart): RenderResult {
  const helm = path.join(projectRoot, ".tools", "bin", "helm");
  if (!fs.existsSync(helm)) throw new Error(`helm is not installed: run npm run tools (expected ${helm})`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlflow-render-"));
  try {
    const valuesFile = path.join(dir, "values.json");
    const secretsFile = path.join(dir, "secrets.json");
    fs.writeFileSync(valuesFile, JSON.stringify(inputs.values), { mode: 0o600 });
    fs.writeFileSync(secretsFile, JSON.stringify(inputs.secrets), { mode: 0o600 });
    const args = [
      "template",
      inputs.release,
      chart,
      "--namespace",
      inputs.namespace,
      "--kube-version",
      kubernetesVersion(),
      "--values",
      valuesFile,
      "--values",
      secretsFile,
    ];
    const r = spawnSync(helm, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (r.error) throw r.error;
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { "out-dir": { type: "string", default: "cdktf.out" }, chart: { type: "string" } },
  });
  if (positionals.length !== 1) {
    process.stderr.write("usage: render-environment.ts <env> [--out-dir cdktf.out] [--chart <dir>]\n");
    process.exit(2);
  }
  let result: RenderResult;
  try {
    const inputs = chartInputs(path.resolve(values["out-dir"]!), positionals[0]!);
    result = renderChart(inputs, values.chart ? path.resolve(values.chart) : inputs.chart);
  } catch (error) {
    process.stderr.write(`render-environment: ${(error as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exit(result.status ?? 1);
}

if (require.main === module) main();
