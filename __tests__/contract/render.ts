import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repoRoot } from "../support/project";
import { pinnedVersion, toolPath as tool } from "../support/tools";

export const KUBERNETES_VERSION = pinnedVersion("KUBERNETES_VERSION");

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
