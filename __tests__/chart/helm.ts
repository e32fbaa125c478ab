// Runs the real helm, for the Kubernetes version the environments run, on this test file's private copy of the
// mlflow_setup chart (support/chart-workspace: its dependency built, so parallel test files never race on charts/).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { chartWorkspace, type RunResult } from "../support/chart-workspace";
import { REPO_ROOT, pinnedVersion, toolPath } from "../support/tools";

/** The chart's sources (values files, templates, schema) as committed. */
export const CHART_DIR = join(REPO_ROOT, "helm_charts", "mlflow_setup");
export const REQUIRED_VALUES = join(CHART_DIR, "ci", "required-values.yaml");

const workspace = chartWorkspace();
afterAll(() => workspace.cleanup());
/** The copy helm renders. */
export const RENDER_CHART = workspace.chart;

/** `helm template mlflow <chart> -n mlflow --kube-version <pinned> -f required-values.yaml <args>`. */
export function helmTemplate(args: string[], input?: string): RunResult {
  const r = spawnSync(
    toolPath("helm"),
    ["template", "mlflow", RENDER_CHART, "-n", "mlflow", "--kube-version", pinnedVersion("KUBERNETES_VERSION"), "-f", REQUIRED_VALUES, ...args],
    { encoding: "utf8", input },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
