// Runs the real helm on the mlflow_setup chart, for the Kubernetes version the environments run.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, pinnedVersion, toolPath } from "../support/tools";

export const CHART_DIR = join(REPO_ROOT, "helm_charts", "mlflow_setup");
export const REQUIRED_VALUES = join(CHART_DIR, "ci", "required-values.yaml");

export interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Builds charts/ from the file:// dependency once: helm template fails while a declared dependency is missing.
 * Jest workers run in parallel, so one builds (holding a lock directory) while the others wait for the archive.
 */
export function ensureDependencies(): void {
  const archive = join(CHART_DIR, "charts", "mysql-0.1.0.tgz");
  const lock = join(CHART_DIR, ".dependency-build.lock");
  const deadline = Date.now() + 60_000;
  // An archive older than the subchart's sources (an earlier checkout's build) is rebuilt, never reused.
  if (existsSync(archive) && statSync(archive).mtimeMs < newestSourceMtime(join(REPO_ROOT, "helm_charts", "mysql"))) {
    rmSync(archive, { force: true });
  }
  while (!existsSync(archive)) {
    try {
      mkdirSync(lock);
    } catch {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${archive} (stale ${lock}?)`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
      continue;
    }
    try {
      const r = spawnSync(toolPath("helm"), ["dependency", "build", CHART_DIR], { encoding: "utf8" });
      if (r.status !== 0) throw new Error(`helm dependency build failed: ${r.stderr}`);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

/** `helm template mlflow <chart> -n mlflow --kube-version <pinned> -f required-values.yaml <args>`. */
export function helmTemplate(args: string[], input?: string): Result {
  const r = spawnSync(
    toolPath("helm"),
    ["template", "mlflow", CHART_DIR, "-n", "mlflow", "--kube-version", pinnedVersion("KUBERNETES_VERSION"), "-f", REQUIRED_VALUES, ...args],
    { encoding: "utf8", input },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function newestSourceMtime(dir: string): number {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .reduce((newest, entry) => Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs), 0);
}
