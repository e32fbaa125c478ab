import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
// Chart helpers for tests that render with values of their own (scripts/render-environment.ts renders them).
import { repoRoot } from "./project";
import { toolPath as tool } from "./tools";

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], input?: string): RunResult {
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

/** Strict schema validation of rendered manifests (scripts/kube-validate.sh: kubeconform, offline schemas). */
export function kubeValidate(manifests: string): RunResult {
  return run("bash", [path.join(repoRoot, "scripts/kube-validate.sh"), "-"], manifests);
}
