// Runs the real helm on the mlflow_setup chart, for the Kubernetes version the environments run.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, pinnedVersion, toolPath } from "../support/tools";

export const CHART_DIR = join(REPO_ROOT, "helm_charts", "mlflow_setup");
export const REQUIRED_VALUES = join(CHART_DIR, "ci", "required-values.yaml");

export interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Builds charts/ from the file:// dependency once: helm template fails while a declared dependency is missing. */
export function ensureDependencies(): void {
  if (existsSync(join(CHART_DIR, "charts", "mysql-0.1.0.tgz"))) return;
  const r = spawnSync(toolPath("helm"), ["dependency", "build", CHART_DIR], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`helm dependency build failed: ${r.stderr}`);
}

/** `helm template mlflow <chart> -n mlflow --kube-version <pinned> -f required-values.yaml <args>`. */
export function helmTemplate(args: string[], input?: string): Result {
  const r = spawnSync(
    toolPath("helm"),
    ["template", "mlflow", CHART_DIR, "-n", "mlflow", "--kube-version", pinnedVersion("KUBERNETES_VERSION"),
      "-f", REQUIRED_VALUES, ...args],
    { encoding: "utf8", input },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
