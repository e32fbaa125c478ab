#!/usr/bin/env node
// What was synthesized, read from cdktf.out/manifest.json: the stacks of each environment in the order they
// deploy (each after the stacks it depends on), and the state backend each stack was synthesized with.
// The scripts ask this file instead of holding a list of environments or stacks of their own.
//
//   node scripts/ci/stacks.mjs stacks [<env>...]     stacks (of these environments, in the order given) in deploy order
//   node scripts/ci/stacks.mjs dependencies <stack>  the stacks it depends on, one a line
//   node scripts/ci/stacks.mjs state <stack>         where the stack's state is, said for a person; exit 2 when the
//                                                   stack was not synthesized, or the TF_STATE_* variables ask for
//                                                   another state than was synthesized
//
// Stack names are <kind>-<environment>; environment names have no hyphen (config/schema.ts).
// Reads ${CDKTF_OUT:-cdktf.out} below the current directory. Exit 2 with a message naming the rule otherwise.
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

export class StackError extends Error {}

/** The stacks of a cdktf.out folder: name → names of the stacks it depends on. */
export function readManifest(outDir) {
  const file = join(outDir, "manifest.json");
  if (!existsSync(file)) throw new StackError(`${file} is missing: run 'npm run synth' first (or download the pipeline's cdktf-out artifact)`);
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new StackError(`${file} is not JSON: ${error.message}`);
  }
  if (typeof manifest?.stacks !== "object" || manifest.stacks === null) throw new StackError(`${file} has no stacks`);
  return new Map(Object.entries(manifest.stacks).map(([name, stack]) => [name, stack.dependencies ?? []]));
}

export function environmentOf(stack) {
  return stack.slice(stack.lastIndexOf("-") + 1);
}

export function environments(manifest) {
  return [...new Set([...manifest.keys()].filter((s) => s.includes("-")).map(environmentOf))].sort();
}

/** Stacks in deploy order: each after its dependencies, otherwise by name. */
export function deployOrder(manifest, env) {
  const wanted = [...manifest.keys()].filter((s) => env === undefined || environmentOf(s) === env).sort();
  if (env !== undefined && wanted.length === 0) {
    throw new StackError(
      `environment '${env}' has no stacks in cdktf.out (synthesized: ${environments(manifest).join(", ") || "none"}): add it in config/environments/ and run 'npm run synth'`,
    );
  }
  const ordered = [];
  const visiting = new Set();
  const visit = (stack) => {
    if (ordered.includes(stack)) return;
    if (visiting.has(stack)) throw new StackError(`stacks depend on each other in a cycle through ${stack}`);
    visiting.add(stack);
    for (const dependency of manifest.get(stack) ?? []) if (wanted.includes(dependency)) visit(dependency);
    visiting.delete(stack);
    ordered.push(stack);
  };
  wanted.forEach(visit);
  return ordered;
}

export function checkStack(manifest, stack) {
  if (!manifest.has(stack)) {
    throw new StackError(`stack '${stack}' was not synthesized (cdktf.out has: ${[...manifest.keys()].sort().join(", ") || "none"})`);
  }
}

/** The backend block of a synthesized stack, as one line: `local <path>` or `azurerm <rg> <account> <container> <key>`. */
export function backendOf(outDir, stack) {
  const dir = join(outDir, "stacks", stack);
  const file = join(dir, "cdk.tf.json");
  if (!existsSync(file)) throw new StackError(`${file} is missing: run 'npm run synth' first (or download the pipeline's cdktf-out artifact)`);
  let synthesized;
  try {
    synthesized = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw new StackError(`${file} is not JSON (cut short?): run 'npm run synth' again`);
  }
  const backend = synthesized?.terraform?.backend ?? { local: {} };
  const [kind, settings = {}] = Object.entries(backend)[0] ?? ["local", {}];
  if (kind === "local") {
    const path = settings.path ?? "terraform.tfstate";
    return `local ${isAbsolute(path) ? path : resolve(dir, path)}`;
  }
  if (kind === "azurerm") {
    const keys = ["resource_group_name", "storage_account_name", "container_name", "key"];
    const missing = keys.filter((k) => !settings[k]);
    if (missing.length > 0) throw new StackError(`${stack}: the azurerm backend lacks ${missing.join(", ")}`);
    return `azurerm ${keys.map((k) => settings[k]).join(" ")}`;
  }
  throw new StackError(`${stack}: backend '${kind}' is not supported (azurerm or local)`);
}

const STATE_VARIABLES = { TF_STATE_RESOURCE_GROUP: 0, TF_STATE_STORAGE_ACCOUNT: 1, TF_STATE_CONTAINER: 2 };

/**
 * Where a stack keeps its state, as synthesized, in words; refuses TF_STATE_* settings that disagree with it, so
 * that nobody applies to a state other than the one they meant (the variables choose the backend at synth time only).
 */
export function describeState(outDir, stack, env) {
  const [kind, ...parts] = backendOf(outDir, stack).split(" ");
  if (kind === "local") {
    if (env.TF_STATE_STORAGE_ACCOUNT) {
      throw new StackError(
        `${stack} was synthesized for local state, but TF_STATE_STORAGE_ACCOUNT=${env.TF_STATE_STORAGE_ACCOUNT} asks for the azurerm backend: run 'npm run synth' with the TF_STATE_* variables set, or unset them to use local state`,
      );
    }
    return `state in the local file ${parts.join(" ")}`;
  }
  const [resourceGroup, account, container, key] = parts;
  for (const [variable, index] of Object.entries(STATE_VARIABLES)) {
    const value = env[variable];
    if (value && value !== parts[index]) {
      throw new StackError(
        `${stack} was synthesized with ${variable}=${parts[index]}, but ${variable}=${value} now: run 'npm run synth' again with the settings you mean, or unset ${variable}`,
      );
    }
  }
  return `state in Azure storage account ${account}, container ${container}, blob ${key} (resource group ${resourceGroup})`;
}

function main([command, arg, ...rest]) {
  const outDir = resolve(process.env.CDKTF_OUT || "cdktf.out");
  const usage = "usage: stacks.mjs stacks [<env>...] | dependencies <stack> | state <stack>";
  if (command === "stacks") {
    const manifest = readManifest(outDir);
    return arg === undefined ? deployOrder(manifest) : [arg, ...rest].flatMap((env) => deployOrder(manifest, env));
  }
  if (rest.length > 0) throw new StackError(usage);
  switch (command) {
    case "dependencies": {
      if (!arg) throw new StackError(usage);
      const manifest = readManifest(outDir);
      checkStack(manifest, arg);
      return manifest.get(arg) ?? [];
    }
    case "state":
      if (!arg) throw new StackError(usage);
      checkStack(readManifest(outDir), arg);
      return [describeState(outDir, arg, process.env)];
    default:
      throw new StackError(usage);
  }
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
