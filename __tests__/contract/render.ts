import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repoRoot } from "../support/project";

const versions = Object.fromEntries(
  fs
    .readFileSync(path.join(repoRoot, "scripts/versions.env"), "utf8")
    .split("\n")
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => line.split("=", 2) as [string, string]),
);
export const KUBERNETES_VERSION = versions.KUBERNETES_VERSION!;

/** Path of a pinned tool in .tools/bin; a missing tool fails the test that needs it, loudly. */
export function tool(name: string): string {
  const file = path.join(repoRoot, ".tools/bin", name);
  if (!fs.existsSync(file)) throw new Error(`${name} is not installed in .tools/bin: run npm run tools`);
  return file;
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: string[], input?: string): RunResult {
  const result = spawnSync(command, args, { encoding: "utf8", input, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A private copy of helm_charts/ with the file:// MySQL dependency built, so tests never race on charts/. */
export function chartWorkspace(): { chart: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlflow-chart-"));
  fs.cpSync(path.join(repoRoot, "helm_charts"), dir, { recursive: true, filter: (src) => !/\/charts\/[^/]+\.tgz$/.test(src) });
  const chart = path.join(dir, "mlflow_setup");
  const built = run(tool("helm"), ["dependency", "build", chart]);
  if (built.status !== 0) throw new Error(`helm dependency build failed:\n${built.stderr}`);
  return { chart, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** `helm template` of the chart with values files, for the Kubernetes version of the environments. */
export function helmTemplate(chart: string, valueFiles: string[], release = "mlflow", namespace = "mlflow"): RunResult {
  const args = ["template", release, chart, "--namespace", namespace, "--kube-version", KUBERNETES_VERSION];
  for (const file of valueFiles) args.push("--values", file);
  return run(tool("helm"), args);
}

/** Strict schema validation of rendered manifests (scripts/kube-validate.sh: kubeconform, offline schemas). */
export function kubeValidate(manifests: string): RunResult {
  return run("bash", [path.join(repoRoot, "scripts/kube-validate.sh"), "-"], manifests);
}
