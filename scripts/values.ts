// The Helm values file of the manual install path (`helm install mlflow helm_charts/mlflow_setup -f ...`), built as the
// MLflow stack builds them from the outputs that `cdktf output infra-<env> --outputs-file <outputs.json>
// --outputs-file-include-sensitive-outputs` writes. It holds secrets: mode 0600, under git-ignored generated/.
//
//   npm run values -- <env> --outputs <outputs.json> [--out <file>]
import { randomInt } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { type Environment, loadConfig } from "../config";
import { chartDigest } from "../config/chart-source";
import { buildChartValues, type MlflowChartSecrets } from "../stacks/mlflow-values";
import { isObject, type Json, projectRoot, readJson, setDotted } from "./lib/helm-values";

/** The chart input each infra-<env> output gives, or null for a secret (set apart, as the stack's set_sensitive). */
const platformOutputs = {
  registry_login_server: "registryLoginServer",
  push_principal_client_id: "pushPrincipalClientId",
  push_principal_password: null,
  storage_account_name: "storageAccountName",
  storage_account_key: null,
  file_share_name: "fileShareName",
  artifact_container_name: "artifactContainerName",
  backup_container_name: "backupContainerName",
  disk_encryption_set_id: "diskEncryptionSetId",
} as const;
/** Outputs infra-<env> has only when its front door is enabled; then they are needed too. */
const frontDoorOutputs = ["tenant_id", "front_door_client_id", "front_door_certificate_uri", "front_door_certificate_identity_client_id"] as const;
type Outputs = Record<keyof typeof platformOutputs, string> & Partial<Record<(typeof frontDoorOutputs)[number], string>>;

/** Same alphabet as the stack's random_password: URI-unreserved, so no escaping anywhere. */
const PASSWORD_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";
const generatePassword = (length = 40) => Array.from({ length }, () => PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)]).join("");

function readPlatformOutputs(file: string, stackName: string, frontDoorEnabled: boolean): Outputs {
  const all = readJson(file, `--outputs ${file}`, "is not JSON");
  if (all === undefined) throw new Error(`--outputs ${file} does not exist`);
  if (!isObject(all)) throw new Error(`--outputs ${file} must hold an object of stacks' outputs, as cdktf output --outputs-file writes it`);
  const outputs = all[stackName];
  if (outputs !== undefined && !isObject(outputs)) throw new Error(`--outputs ${file}: stack ${stackName}'s entry must be an object of its outputs`);
  if (!isObject(outputs)) {
    const found = Object.keys(all).filter((name) => /^[a-z]+-[a-z0-9]+$/.test(name));
    throw new Error(`--outputs ${file} has no outputs of stack ${stackName} (stacks in it: ${found.slice(0, 10).join(", ") || "none"})`);
  }
  const wanted = [...Object.keys(platformOutputs), ...(frontDoorEnabled ? frontDoorOutputs : [])];
  const missing = wanted.filter((name) => outputs[name] === undefined);
  if (missing.length > 0) {
    throw new Error(`--outputs ${file}: stack ${stackName} lacks ${missing.join(", ")} (sensitive outputs need --outputs-file-include-sensitive-outputs)`);
  }
  const notText = wanted.filter((name) => typeof outputs[name] !== "string" || outputs[name] === "");
  if (notText.length > 0) throw new Error(`--outputs ${file}: stack ${stackName}'s ${notText.join(", ")} must be non-empty strings`);
  return outputs as Outputs;
}

/** An earlier run's passwords (the MySQL data has them; a new cookie secret signs everybody out); without both, stop. */
type Kept = { password: string; rootPassword: string; cookieSecret?: string };
function readKept(file: string): Kept | undefined {
  const moveAway = "move it away to generate new database passwords";
  const notJson = `exists but is not a values file this script wrote (not JSON after its comment line); ${moveAway}`;
  const values = readJson(file, `--out ${file}`, notJson, true) as Json | null | undefined;
  if (values === undefined) return undefined;
  const { password, rootPassword } = values?.mysql?.auth ?? {};
  if (typeof password !== "string" || !password || typeof rootPassword !== "string" || !rootPassword) {
    throw new Error(`--out ${file} exists but lacks mysql.auth.password or mysql.auth.rootPassword as strings; ${moveAway}`);
  }
  const cookieSecret: unknown = values?.frontDoor?.oauth2Proxy?.cookieSecret;
  return { password, rootPassword, ...(typeof cookieSecret === "string" && cookieSecret ? { cookieSecret } : {}) };
}

function valuesFileContent({ config }: Environment, outputs: Outputs, kept?: Kept): string {
  const fd = config.frontDoor;
  const inputs = Object.entries(platformOutputs).flatMap(([output, input]) => (input ? [[input, outputs[output as keyof Outputs]]] : []));
  const values: Json = buildChartValues({
    ...(Object.fromEntries(inputs) as Record<NonNullable<(typeof platformOutputs)[keyof typeof platformOutputs]>, string>),
    mlflow: config.mlflow,
    fileShareQuotaGb: config.storage.fileShareQuotaGb,
    chartDigest: chartDigest(projectRoot),
    frontDoor:
      fd.enabled && fd.host !== null
        ? {
            host: fd.host,
            allowedGroupObjectIds: fd.allowedGroupObjectIds,
            proxyImage: fd.proxyImage,
            tenantId: outputs.tenant_id ?? "",
            network: config.network,
            privateIpAddress: fd.privateIpAddress,
            outputs: {
              clientId: outputs.front_door_client_id ?? "",
              certificateUri: outputs.front_door_certificate_uri ?? "",
              certificateIdentityClientId: outputs.front_door_certificate_identity_client_id ?? "",
            },
          }
        : undefined,
  });
  const secrets: MlflowChartSecrets = {
    "registry.password": outputs.push_principal_password,
    "storage.accountKey": outputs.storage_account_key,
    "mysql.auth.password": kept?.password ?? generatePassword(),
    "mysql.auth.rootPassword": kept?.rootPassword ?? generatePassword(),
    // 32 characters: oauth2-proxy takes a 32-byte cookie secret, as the stack's random_password makes it.
    ...(fd.enabled ? { "frontDoor.oauth2Proxy.cookieSecret": kept?.cookieSecret ?? generatePassword(32) } : {}),
  };
  for (const [key, value] of Object.entries(secrets)) setDotted(values, key, value);
  // JSON is YAML: helm reads this file as it is.
  return `# Generated by npm run values for ${config.name}. Holds secrets: keep it private, never commit it.\n${JSON.stringify(values, null, 2)}\n`;
}

/** Written whole (a private temporary file renamed); a first file is linked, failing if a concurrent run made one. */
export function writePrivateFile(file: string, content: string, { replace }: { replace: boolean }): void {
  const [dir, prefix] = [path.dirname(file), `.${path.basename(file)}.`];
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // A run killed between writing and renaming (SIGKILL) left its temporary copy, secrets in it: gone with its process.
  for (const name of fs.readdirSync(dir).filter((n) => n.startsWith(prefix) && n.endsWith(".tmp"))) {
    const pid = Number(/^(\d+)-\d+\.tmp$/.exec(name.slice(prefix.length))?.[1]);
    if (pid && !isRunning(pid)) fs.rmSync(path.join(dir, name), { force: true });
  }
  const temporary = path.join(dir, `${prefix}${process.pid}-${randomInt(1e9)}.tmp`);
  try {
    fs.writeFileSync(temporary, content, { mode: 0o600, flag: "wx" });
    (replace ? fs.renameSync : fs.linkSync)(temporary, file);
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // alive, another user's
  }
}

/** Builds and writes the values file; a concurrent first run that wins the race gives its passwords to this one. */
function writeValuesFile(environment: Environment, outputsFile: string, out: string): Kept | undefined {
  const outputs = readPlatformOutputs(outputsFile, environment.names.infraStack, environment.config.frontDoor.enabled);
  const kept = readKept(out);
  const mode = kept ? fs.statSync(out).mode & 0o777 : 0o600;
  try {
    writePrivateFile(out, valuesFileContent(environment, outputs, kept), { replace: kept !== undefined });
  } catch (error) {
    if (kept || (error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return writeValuesFile(environment, outputsFile, out);
  }
  if (mode & 0o077) process.stderr.write(`values: ${out} was open to others (mode ${mode.toString(8)}); it is 0600 now\n`);
  return kept;
}

function main(): void {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { outputs: { type: "string" }, out: { type: "string" } } });
  } catch (error) {
    process.stderr.write(`values: ${(error as Error).message}\n`);
  }
  const [envName, ...more] = parsed?.positionals ?? [];
  const { outputs, out = path.join(projectRoot, "generated", envName ?? "", "values.yaml") } = parsed?.values ?? {};
  if (!envName || !outputs || !out || more.length > 0) {
    process.stderr.write("usage: npm run values -- <env> --outputs <outputs.json> [--out <file>]\n");
    process.exit(2);
  }
  try {
    const environments = loadConfig(process.env).environments;
    const environment = environments.find((e) => e.config.name === envName);
    if (!environment) throw new Error(`unknown environment "${envName}" (known: ${environments.map((e) => e.config.name).join(", ")})`);
    if (writeValuesFile(environment, outputs, out)) process.stdout.write("kept the database passwords of the existing file\n");
  } catch (error) {
    process.stderr.write(`values: ${(error as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write(`wrote ${path.relative(process.cwd(), out)} (mode 0600)\n`);
}

if (require.main === module) main();
