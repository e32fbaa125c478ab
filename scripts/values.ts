// Writes the Helm values file for the manual install path (`helm install mlflow helm_charts/mlflow_setup -f ...`)
// from a deployed environment's platform outputs, with the same builder the MLflow stack uses.
//
//   npm run values -- <env> --outputs <outputs.json> [--out <file>]
//
// <outputs.json> is what `cdktf output infra-<env> --outputs-file <file> --outputs-file-include-sensitive-outputs`
// (or `cdktf deploy ... --outputs-file`) writes. The file holds secrets: it is written with mode 0600 under the
// git-ignored generated/ folder, and nothing secret is printed. Run again, it keeps the database passwords the file
// already holds (the MySQL data keeps its password across upgrades); move the file away to start afresh.
import { randomInt } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { type Environment, loadConfig } from "../config";
import { chartDigest } from "../config/chart-source";
import { buildChartValues, type ChartValuesInput, type MlflowChartSecrets } from "../stacks/mlflow-values";

const projectRoot = path.resolve(__dirname, "..");
const requiredOutputs = [
  "registry_login_server",
  "push_principal_client_id",
  "push_principal_password",
  "storage_account_name",
  "storage_account_key",
  "file_share_name",
  "artifact_container_name",
  "backup_container_name",
  "disk_encryption_set_id",
] as const;
/** Outputs infra-<env> has only when its front door is enabled; then npm run values needs them too. */
const frontDoorOutputs = ["tenant_id", "front_door_client_id", "front_door_certificate_uri", "front_door_certificate_identity_client_id"] as const;
type PlatformOutputValues = Record<(typeof requiredOutputs)[number], string> & Partial<Record<(typeof frontDoorOutputs)[number], string>>;

/** Same alphabet as the stack's random_password: URI-unreserved, so no escaping anywhere. */
const PASSWORD_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";
export function generatePassword(length = 40): string {
  return Array.from({ length }, () => PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)]).join("");
}

export function readPlatformOutputs(file: string, stackName: string, frontDoorEnabled = false): PlatformOutputValues {
  const all = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, Record<string, unknown>>;
  const outputs = all[stackName];
  if (!outputs) throw new Error(`${file} has no outputs of stack ${stackName} (found: ${Object.keys(all).join(", ") || "none"})`);
  const wanted = frontDoorEnabled ? [...requiredOutputs, ...frontDoorOutputs] : requiredOutputs;
  const missing = wanted.filter((name) => typeof outputs[name] !== "string" || outputs[name] === "");
  if (missing.length > 0) {
    throw new Error(`${file}: stack ${stackName} lacks ${missing.join(", ")} (sensitive outputs need --outputs-file-include-sensitive-outputs)`);
  }
  return outputs as PlatformOutputValues;
}

/** Sets a dotted path ("mysql.auth.password") in a nested object. */
function setPath(target: Record<string, unknown>, dotted: string, value: string): void {
  const keys = dotted.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[keys[keys.length - 1]!] = value;
}

export function findEnvironment(envName: string, processEnv: NodeJS.ProcessEnv): Environment {
  const environments = loadConfig(processEnv).environments;
  const environment = environments.find((e) => e.config.name === envName);
  if (!environment) throw new Error(`unknown environment "${envName}" (known: ${environments.map((e) => e.config.name).join(", ")})`);
  return environment;
}

/**
 * The database passwords a values file already holds (the MySQL data directory was initialised with them), and its
 * front door cookie secret (a new one would sign everybody out).
 */
export type DatabasePasswords = { password: string; rootPassword: string; cookieSecret?: string };

/**
 * The database passwords of an earlier run's file, or undefined when there is none. A file that exists but does not
 * hold both passwords is an error: writing fresh ones would lock the release out of the data it keeps.
 */
export function readDatabasePasswords(file: string): DatabasePasswords | undefined {
  if (!fs.existsSync(file)) return undefined;
  // The file is JSON after one comment line (valuesFileContent); JSON.parse refuses anything else.
  const body = fs.readFileSync(file, "utf8").replace(/^#.*\n/, "");
  let auth: Partial<DatabasePasswords> | undefined;
  let cookieSecret: unknown;
  try {
    const earlier = JSON.parse(body) as { mysql?: { auth?: Partial<DatabasePasswords> }; frontDoor?: { oauth2Proxy?: { cookieSecret?: unknown } } };
    auth = earlier.mysql?.auth;
    cookieSecret = earlier.frontDoor?.oauth2Proxy?.cookieSecret;
  } catch (error) {
    throw new Error(
      `${file} exists but is not a values file this script wrote (${(error as Error).message}); move it away to generate new database passwords`,
      {
        cause: error,
      },
    );
  }
  const { password, rootPassword } = auth ?? {};
  if (typeof password !== "string" || !password || typeof rootPassword !== "string" || !rootPassword) {
    throw new Error(`${file} exists but lacks mysql.auth.password or mysql.auth.rootPassword; move it away to generate new database passwords`);
  }
  return { password, rootPassword, ...(typeof cookieSecret === "string" && cookieSecret ? { cookieSecret } : {}) };
}

export function valuesFileContent({ config }: Environment, outputs: PlatformOutputValues, kept?: DatabasePasswords): string {
  const envName = config.name;
  const values = buildChartValues({
    mlflow: config.mlflow,
    fileShareQuotaGb: config.storage.fileShareQuotaGb,
    registryLoginServer: outputs.registry_login_server,
    pushPrincipalClientId: outputs.push_principal_client_id,
    storageAccountName: outputs.storage_account_name,
    fileShareName: outputs.file_share_name,
    artifactContainerName: outputs.artifact_container_name,
    backupContainerName: outputs.backup_container_name,
    diskEncryptionSetId: outputs.disk_encryption_set_id,
    chartDigest: chartDigest(projectRoot),
    frontDoor: frontDoorInput(config, outputs),
  });
  const secrets: MlflowChartSecrets = {
    "registry.password": outputs.push_principal_password,
    "storage.accountKey": outputs.storage_account_key,
    // Kept from an earlier run: a new password would not match the MySQL data directory it was initialised with.
    "mysql.auth.password": kept?.password ?? generatePassword(),
    "mysql.auth.rootPassword": kept?.rootPassword ?? generatePassword(),
    // 32 characters: oauth2-proxy takes a 32-byte cookie secret, as the stack's random_password makes it.
    ...(config.frontDoor.enabled ? { "frontDoor.oauth2Proxy.cookieSecret": kept?.cookieSecret ?? generatePassword(32) } : {}),
  };
  const merged = structuredClone(values) as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(secrets)) setPath(merged, key, value);
  // JSON is YAML: helm reads this file as it is.
  return `# Generated by npm run values for ${envName}. Holds secrets: keep it private, never commit it.\n${JSON.stringify(merged, null, 2)}\n`;
}

/** The front door's values input, as the MLflow stack builds it, when the environment enables it. */
function frontDoorInput(config: Environment["config"], outputs: PlatformOutputValues): ChartValuesInput["frontDoor"] {
  const fd = config.frontDoor;
  if (!fd.enabled || fd.host === null) return undefined;
  const output = (name: (typeof frontDoorOutputs)[number]): string => outputs[name] ?? "";
  return {
    host: fd.host,
    allowedGroupObjectIds: fd.allowedGroupObjectIds,
    proxyImage: fd.proxyImage,
    tenantId: output("tenant_id"),
    network: config.network,
    privateIpAddress: fd.privateIpAddress,
    outputs: {
      clientId: output("front_door_client_id"),
      certificateUri: output("front_door_certificate_uri"),
      certificateIdentityClientId: output("front_door_certificate_identity_client_id"),
    },
  };
}

export function writePrivateFile(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content, { mode: 0o600 });
  fs.chmodSync(file, 0o600); // an existing file keeps its old mode on write
}

function main(): void {
  const { values: args, positionals } = parseArgs({
    allowPositionals: true,
    options: { outputs: { type: "string" }, out: { type: "string" } },
  });
  const [envName] = positionals;
  if (!envName || !args.outputs) {
    process.stderr.write("usage: npm run values -- <env> --outputs <outputs.json> [--out <file>]\n");
    process.exit(2);
  }
  const out = args.out ?? path.join(projectRoot, "generated", envName, "values.yaml");
  try {
    const environment = findEnvironment(envName, process.env);
    const kept = readDatabasePasswords(out);
    const content = valuesFileContent(environment, readPlatformOutputs(args.outputs, environment.names.infraStack, environment.config.frontDoor.enabled), kept);
    writePrivateFile(out, content);
    if (kept) process.stdout.write("kept the database passwords of the existing file\n");
  } catch (error) {
    process.stderr.write(`values: ${(error as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write(`wrote ${path.relative(process.cwd(), out)} (mode 0600)\n`);
}

if (require.main === module) main();
