// Writes the Helm values file for the manual install path (`helm install mlflow helm_charts/mlflow_setup -f ...`)
// from a deployed environment's platform outputs, with the same builder the MLflow stack uses.
//
//   npm run values -- <env> --outputs <outputs.json> [--out <file>]
//
// <outputs.json> is what `cdktf output infra-<env> --outputs-file <file> --outputs-file-include-sensitive-outputs`
// (or `cdktf deploy ... --outputs-file`) writes. The file holds secrets: it is written with mode 0600 under the
// git-ignored generated/ folder, and nothing secret is printed. Run again, it keeps the database passwords the file
// already holds (the MySQL data keeps its password across upgrades); move the file away to start afresh. The file is
// written whole or not at all, and concurrent runs end with one set of passwords.
import { randomInt } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { type Environment, loadConfig } from "../config";
import { chartDigest } from "../config/chart-source";
import { buildChartValues, type ChartValuesInput, type MlflowChartSecrets } from "../stacks/mlflow-values";
import { setDotted } from "./render-environment";

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

/**
 * A JSON file's content (after a values file's comment line), undefined when there is none. The parser's message is
 * left out: it quotes the text, secrets among it. Without followLinks a symbolic link is refused: the values file would
 * replace the link, not the file it points to.
 */
function readJson(file: string, what: string, followLinks: boolean, notJson: string): unknown {
  const stat = (followLinks ? fs.statSync : fs.lstatSync)(file, { throwIfNoEntry: false });
  if (!stat) return undefined;
  if (!stat.isFile()) throw new Error(`${what} ${file} must be a regular file${followLinks ? "" : ", not a directory or symbolic link"}`);
  const text = fs.readFileSync(file, "utf8");
  try {
    return JSON.parse(text.replace(/^#.*\n/, ""));
  } catch {
    throw new Error(`${what} ${file} ${notJson}${text.trim() === "" ? " (it is empty)" : ""}`);
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

export function readPlatformOutputs(file: string, stackName: string, frontDoorEnabled = false): PlatformOutputValues {
  const all = readJson(file, "--outputs", true, "is not JSON");
  if (all === undefined) throw new Error(`--outputs ${file} does not exist`);
  if (!isObject(all)) throw new Error(`--outputs ${file} must hold an object of stacks' outputs, as cdktf output --outputs-file writes it`);
  const outputs = all[stackName];
  if (!isObject(outputs)) throw new Error(`--outputs ${file} has no outputs of stack ${stackName} (found: ${Object.keys(all).join(", ") || "none"})`);
  const wanted = frontDoorEnabled ? [...requiredOutputs, ...frontDoorOutputs] : requiredOutputs;
  const missing = wanted.filter((name) => outputs[name] === undefined);
  if (missing.length > 0) {
    throw new Error(`--outputs ${file}: stack ${stackName} lacks ${missing.join(", ")} (sensitive outputs need --outputs-file-include-sensitive-outputs)`);
  }
  const notText = wanted.filter((name) => typeof outputs[name] !== "string" || outputs[name] === "");
  if (notText.length > 0) throw new Error(`--outputs ${file}: stack ${stackName}'s ${notText.join(", ")} must be non-empty strings`);
  return outputs as PlatformOutputValues;
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
  const moveAway = "move it away to generate new database passwords";
  const notJson = `exists but is not a values file this script wrote (not JSON after its comment line); ${moveAway}`;
  type Earlier = { mysql?: { auth?: Partial<DatabasePasswords> }; frontDoor?: { oauth2Proxy?: { cookieSecret?: unknown } } } | null;
  const values = readJson(file, "--out", false, notJson) as Earlier | undefined;
  if (values === undefined) return undefined;
  const { password, rootPassword } = values?.mysql?.auth ?? {};
  if (typeof password !== "string" || !password || typeof rootPassword !== "string" || !rootPassword) {
    throw new Error(`--out ${file} exists but lacks mysql.auth.password or mysql.auth.rootPassword as strings; ${moveAway}`);
  }
  const cookieSecret = values?.frontDoor?.oauth2Proxy?.cookieSecret;
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
  for (const [key, value] of Object.entries(secrets)) setDotted(merged, key, value);
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

/**
 * Writes the file whole or not at all: a private temporary file beside it, then renamed over it. A first file is
 * linked into place instead, which fails when a concurrent run made one meanwhile (its passwords must win).
 */
export function writePrivateFile(file: string, content: string, { replace }: { replace: boolean }): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}-${randomInt(1e9)}.tmp`);
  try {
    fs.writeFileSync(temporary, content, { mode: 0o600, flag: "wx" });
    if (replace) fs.renameSync(temporary, file);
    else fs.linkSync(temporary, file);
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

/** Builds and writes the values file; a concurrent first run that wins the race gives its passwords to this one. */
function writeValuesFile(environment: Environment, outputsFile: string, out: string): DatabasePasswords | undefined {
  const outputs = readPlatformOutputs(outputsFile, environment.names.infraStack, environment.config.frontDoor.enabled);
  const kept = readDatabasePasswords(out);
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

const usage = "usage: npm run values -- <env> --outputs <outputs.json> [--out <file>]\n";

function main(): void {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { outputs: { type: "string" }, out: { type: "string" } } });
  } catch (error) {
    process.stderr.write(`values: ${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
  const { values: args, positionals } = parsed;
  const [envName] = positionals;
  if (!envName || !args.outputs || args.out === "" || positionals.length > 1) {
    process.stderr.write(usage);
    process.exit(2);
  }
  const out = args.out ?? path.join(projectRoot, "generated", envName, "values.yaml");
  try {
    if (writeValuesFile(findEnvironment(envName, process.env), args.outputs, out)) {
      process.stdout.write("kept the database passwords of the existing file\n");
    }
  } catch (error) {
    process.stderr.write(`values: ${(error as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write(`wrote ${path.relative(process.cwd(), out)} (mode 0600)\n`);
}

if (require.main === module) main();
