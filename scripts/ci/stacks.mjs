#!/usr/bin/env node
// What was synthesized, read from ${CDKTF_OUT:-cdktf.out}/manifest.json, so that no script keeps a list of stacks:
//   node scripts/ci/stacks.mjs stacks [<env>...]     the stacks (of these environments, in the order given) in deploy order
//   node scripts/ci/stacks.mjs dependencies <stack>  the stacks it depends on, one a line
//   node scripts/ci/stacks.mjs state <stack>         where its state is, in words
// Stack names are <kind>-<environment>; environment names have no hyphen (config/schema.ts). Errors: exit 2, naming the rule.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

class StackError extends Error {}

function readSynthesized(file) {
  if (!existsSync(file)) throw new StackError(`${file} is missing: run 'npm run synth' first (or download the pipeline's cdktf-out artifact)`);
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw new StackError(`${file} is not JSON (cut short?): run 'npm run synth' again`);
  }
}

/** The synthesized stacks: name → names of the stacks it depends on. */
function readManifest(outDir) {
  const file = join(outDir, "manifest.json");
  const stacks = readSynthesized(file)?.stacks;
  if (typeof stacks !== "object" || stacks === null) throw new StackError(`${file} has no stacks`);
  return new Map(Object.entries(stacks).map(([name, stack]) => [name, stack.dependencies ?? []]));
}

const environmentOf = (stack) => stack.slice(stack.lastIndexOf("-") + 1);

/** The stacks (of one environment, or all) in deploy order: each after its dependencies, otherwise by name. */
function deployOrder(manifest, env) {
  const names = [...manifest.keys()].sort();
  const wanted = names.filter((s) => env === undefined || environmentOf(s) === env);
  if (wanted.length === 0 && env !== undefined) {
    const synthesized = [...new Set(names.filter((s) => s.includes("-")).map(environmentOf))].sort().join(", ") || "none";
    throw new StackError(
      `environment '${env}' has no stacks in cdktf.out (synthesized: ${synthesized}): add it in config/environments/ and run 'npm run synth'`,
    );
  }
  const ordered = [];
  const visit = (stack, path = []) => {
    if (ordered.includes(stack)) return;
    if (path.includes(stack)) throw new StackError(`stacks depend on each other in a cycle through ${stack}`);
    for (const dependency of manifest.get(stack)) if (wanted.includes(dependency)) visit(dependency, [...path, stack]);
    ordered.push(stack);
  };
  wanted.forEach((stack) => visit(stack));
  return ordered;
}

// The variables that choose the azurerm backend at synth time, and the setting each becomes.
const TF_STATE = { TF_STATE_RESOURCE_GROUP: "resource_group_name", TF_STATE_STORAGE_ACCOUNT: "storage_account_name", TF_STATE_CONTAINER: "container_name" };

/** Where a stack keeps its state, as synthesized; TF_STATE_* that disagree are refused, lest someone apply to a state they did not mean. */
function describeState(outDir, stack, env) {
  const dir = join(outDir, "stacks", stack);
  const backend = readSynthesized(join(dir, "cdk.tf.json"))?.terraform?.backend ?? {};
  const [kind, settings = {}] = Object.entries(backend)[0] ?? ["local"];
  if (kind === "local") {
    if (env.TF_STATE_STORAGE_ACCOUNT) {
      throw new StackError(
        `${stack} was synthesized for local state, but TF_STATE_STORAGE_ACCOUNT=${env.TF_STATE_STORAGE_ACCOUNT} asks for the azurerm backend: run 'npm run synth' with the TF_STATE_* variables set, or unset them to use local state`,
      );
    }
    return `state in the local file ${resolve(dir, settings.path ?? "terraform.tfstate")}`;
  }
  if (kind !== "azurerm") throw new StackError(`${stack}: backend '${kind}' is not supported (azurerm or local)`);
  const missing = [...Object.values(TF_STATE), "key"].filter((k) => !settings[k]);
  if (missing.length > 0) throw new StackError(`${stack}: the azurerm backend lacks ${missing.join(", ")}`);
  for (const [variable, setting] of Object.entries(TF_STATE)) {
    if (env[variable] && env[variable] !== settings[setting]) {
      throw new StackError(
        `${stack} was synthesized with ${variable}=${settings[setting]}, but ${variable}=${env[variable]} now: run 'npm run synth' again with the settings you mean, or unset ${variable}`,
      );
    }
  }
  return `state in Azure storage account ${settings.storage_account_name}, container ${settings.container_name}, blob ${settings.key} (resource group ${settings.resource_group_name})`;
}

function main([command, arg, ...rest]) {
  const outDir = resolve(process.env.CDKTF_OUT || "cdktf.out");
  if (command === "stacks") {
    const manifest = readManifest(outDir);
    return arg === undefined ? deployOrder(manifest) : [arg, ...rest].flatMap((env) => deployOrder(manifest, env));
  }
  if (!["dependencies", "state"].includes(command) || !arg || rest.length > 0) {
    throw new StackError("usage: stacks.mjs stacks [<env>...] | dependencies <stack> | state <stack>");
  }
  const manifest = readManifest(outDir);
  if (!manifest.has(arg)) throw new StackError(`stack '${arg}' was not synthesized (cdktf.out has: ${[...manifest.keys()].sort().join(", ") || "none"})`);
  return command === "state" ? [describeState(outDir, arg, process.env)] : manifest.get(arg);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    for (const line of main(process.argv.slice(2))) console.log(line);
  } catch (error) {
    if (!(error instanceof StackError)) throw error;
    console.error(`stacks: ERROR: ${error.message}`);
    process.exit(2);
  }
}
