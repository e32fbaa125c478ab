import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repoRoot } from "./project";

/** Synthesized Terraform JSON of one stack. */
export type TerraformJson = {
  terraform: Record<string, any>;
  resource: Record<string, Record<string, Record<string, any>>>;
  data?: Record<string, Record<string, Record<string, any>>>;
  output?: Record<string, { value: unknown; sensitive?: boolean }>;
  provider?: Record<string, any[]>;
};

export interface SynthesizedApp {
  /** Where the app was synthesized (its cdktf.out). */
  outdir: string;
  /** The synthesized cdk.tf.json of a stack, e.g. json("mlflow-prod"). */
  json(stackName: string): TerraformJson;
  /** The stacks a stack depends on, by name, as cdktf's manifest.json records them (deploy order). */
  dependencies(stackName: string): string[];
}

/** The addresses a pipeline authorizes for the public environment (dev): its runner's, and an office range. */
export const AUTHORIZED_RANGES = ["203.0.113.7/32", "198.51.100.0/24"];

/**
 * What a deploy pipeline sets together: state storage, workload identity sign-in, the image it built and the
 * authorized ranges. One app variant for the tests of each of these settings, so the run synthesizes it once rather
 * than once per setting.
 */
export const PIPELINE_ENV = {
  TF_STATE_RESOURCE_GROUP: "rg-tfstate",
  TF_STATE_STORAGE_ACCOUNT: "sttfstate01",
  TF_STATE_CONTAINER: "tfstate",
  KUBELOGIN_LOGIN_MODE: "workloadidentity",
  MLFLOW_IMAGE_DIGEST: `sha256:${"b".repeat(64)}`,
  MLFLOW_AUTHORIZED_IP_RANGES: AUTHORIZED_RANGES.join(","),
};

/**
 * Choices off their defaults that tests look at one environment at a time (local accounts in dev, self-hosted runners
 * in staging), as one app variant: each test reads only the environment its choice is made in.
 */
export const OFF_DEFAULT_ENV = {
  MLFLOW_CONFIG_OVERRIDES: JSON.stringify({ dev: { kubernetes: { localAccountsEnabled: true } }, staging: { network: { runnerSubnetDelegation: "none" } } }),
};

/** Builds the app as main.ts does and synthesizes it into the given folder. */
function synthInto(env: NodeJS.ProcessEnv, outdir: string): void {
  // Required here, not imported: a test file that only reads a synthesized stack the run already has never loads
  // cdktf, the config or the provider modules, most of a test file's start-up.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { Testing } = require("cdktf") as typeof import("cdktf");
  const { loadConfig } = require("../../config") as typeof import("../../config");
  const { CHART_PATH, chartDigest } = require("../../config/chart-source") as typeof import("../../config/chart-source");
  const { buildStacks } = require("../../stacks/build-app") as typeof import("../../stacks/build-app");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const app = Testing.app({ outdir });
  buildStacks(app, loadConfig(env), { path: CHART_PATH, digest: chartDigest(repoRoot) });
  app.synth();
}

const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Synthesizes a variant into the shared folder unless another test file has it or is making it. The first to claim
 * it (an atomic mkdir) synthesizes and publishes it by renaming a complete folder, so a reader sees it whole or not
 * at all; the others wait for it instead of doing the same work at once. A claim whose maker failed is dropped, and
 * the waiter synthesizes itself (and meets the same error).
 */
function publishVariant(env: NodeJS.ProcessEnv, outdir: string): void {
  const claim = `${outdir}.claim`;
  for (const deadline = Date.now() + 180_000; !fs.existsSync(outdir); pause(50)) {
    try {
      fs.mkdirSync(claim);
    } catch {
      if (Date.now() > deadline) throw new Error(`waited 180 s for another test worker to synthesize ${outdir}`);
      continue; // another test file is making it
    }
    const staging = `${outdir}.${process.pid}.tmp`;
    try {
      synthInto(env, staging);
      fs.renameSync(staging, outdir);
    } finally {
      fs.rmSync(staging, { recursive: true, force: true });
      fs.rmSync(claim, { recursive: true, force: true });
    }
  }
}

/**
 * Every stack of every committed environment, built and synthesized as main.ts does, from the given variables. The
 * whole app is synthesized because cross-stack references are wired then. Each set of variables is synthesized once
 * per test run and shared by all test files through the folder jest's global setup makes ($MLFLOW_TEST_SYNTH_DIR).
 */
export function synthAll(env: NodeJS.ProcessEnv = {}): SynthesizedApp {
  const shared = process.env.MLFLOW_TEST_SYNTH_DIR;
  let outdir: string;
  if (shared) {
    const key = createHash("sha256")
      .update(JSON.stringify(Object.entries(env).sort()))
      .digest("hex")
      .slice(0, 16);
    outdir = path.join(shared, key);
    publishVariant(env, outdir);
  } else {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), "mlflow-aks-synth-"));
    synthInto(env, outdir);
  }
  return {
    outdir,
    json: (name) => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", name, "cdk.tf.json"), "utf8")) as TerraformJson,
    dependencies: (name) => {
      const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { dependencies: string[] }> };
      const stack = manifest.stacks[name];
      if (!stack) throw new Error(`manifest.json has no stack ${name}`);
      return stack.dependencies;
    },
  };
}

/** All resources of one type in a synthesized stack, by logical id. */
export function resourcesOf(json: TerraformJson, type: string): Record<string, any>[] {
  return Object.values(json.resource[type] ?? {});
}

export function onlyResourceOf(json: TerraformJson, type: string): Record<string, any> {
  const all = resourcesOf(json, type);
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0]!;
}

/**
 * The Terraform reference `${type.<id>.attr}` to the only resource of a type in a stack, or to the only one whose
 * logical id (construct path, e.g. aks_identity_1A2B3C4D) matches `idPattern`.
 */
export function refOf(json: TerraformJson, type: string, attr: string, idPattern?: RegExp): string {
  const ids = Object.keys(json.resource[type] ?? json.data?.[type.replace(/^data\./, "")] ?? {}).filter((id) => !idPattern || idPattern.test(id));
  if (ids.length !== 1) throw new Error(`expected exactly one ${type}${idPattern ? ` matching ${idPattern}` : ""}, found ${ids.length}`);
  return `\${${type}.${ids[0]}.${attr}}`;
}

/** The one resource of a type whose `name` attribute is the given name. */
export function resourceNamed(json: TerraformJson, type: string, name: string): Record<string, any> {
  const matches = resourcesOf(json, type).filter((r) => r.name === name);
  if (matches.length !== 1) throw new Error(`expected exactly one ${type} named ${name}, found ${matches.length}`);
  return matches[0]!;
}

/**
 * How a stack refers to a value of another stack it consumes: through the producer's remote state, by the output
 * cdktf made for it. `producerRef` is the value as the producer writes it, e.g. "${azurerm_subnet.network_nodes-subnet_5EAB9127.id}".
 */
export function crossStackRef(producer: TerraformJson, producerName: string, producerRef: string): string {
  const outputs = Object.entries(producer.output ?? {}).filter(([name, o]) => name.startsWith("cross-stack-output-") && o.value === producerRef);
  if (outputs.length !== 1) throw new Error(`expected one cross-stack output of ${producerName} for ${producerRef}, found ${outputs.length}`);
  return `\${data.terraform_remote_state.cross-stack-reference-input-${producerName}.outputs.${outputs[0]![0]}}`;
}
