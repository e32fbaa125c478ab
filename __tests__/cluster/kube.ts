// kubectl and helm against the local control plane (KUBECONFIG set by __tests__/cluster/test.sh), for the live-API tests.
// Values and secrets reach helm only on its stdin, never in a file or on a command line.
import { spawnSync } from "node:child_process";
import { parseAllDocuments } from "yaml";
import { withSecrets } from "../../scripts/lib/helm-values";
import { toolPath } from "../support/tools";

export type Json = Record<string, any>;
export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(tool: string, args: string[], input?: string, timeoutMs = 180_000): Run {
  if (!process.env.KUBECONFIG) throw new Error("KUBECONFIG is not set: run the live-API tests through __tests__/cluster/test.sh");
  const r = spawnSync(toolPath(tool), args, { encoding: "utf8", input, maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export const kubectl = (args: string[], input?: string): Run => run("kubectl", args, input);
export const helm = (args: string[], timeoutMs?: number): Run => run("helm", args, undefined, timeoutMs);

/** Throws with the command's error output unless it succeeded; returns stdout. */
export function ok(r: Run, what: string): string {
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${r.stderr || r.stdout}`);
  return r.stdout;
}

/** The live object, or undefined when the API server has none by that name. */
export function getObject(kind: string, name: string, namespace?: string): Json | undefined {
  const r = kubectl(["get", kind, name, "-o", "json", ...(namespace ? ["-n", namespace] : [])]);
  if (r.status !== 0) {
    if (/NotFound/.test(r.stderr)) return undefined;
    throw new Error(`kubectl get ${kind} ${name} failed:\n${r.stderr}`);
  }
  return JSON.parse(r.stdout) as Json;
}

export function list(kind: string, namespace: string, selector?: string): Json[] {
  const args = ["get", kind, "-n", namespace, "-o", "json", ...(selector ? ["-l", selector] : [])];
  return (JSON.parse(ok(kubectl(args), `kubectl get ${kind}`)) as Json).items as Json[];
}

export function parseManifests(yaml: string): Json[] {
  return parseAllDocuments(yaml)
    .map((doc) => doc.toJS() as Json | null)
    .filter((m): m is Json => m !== null && typeof m.kind === "string");
}

/** Polls `check` until it returns a value other than undefined, or throws with `describe()` after the timeout. */
export async function eventually<T>(check: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs / 1000}s: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** helm with a release's values and secrets as one document on its stdin: never in a file or on a command line. */
export function helmWithValues(args: string[], values: Json, secrets: Json, timeoutMs?: number): Run {
  return run("helm", [...args, "--values", "-"], JSON.stringify(withSecrets(values, secrets)), timeoutMs);
}

/**
 * Paths where `expected` (a rendered manifest) is not contained in `actual` (the live object): every field the chart
 * wrote must be there with the same value; fields the API server adds (defaults, status, uid) are ignored.
 */
export function differences(expected: unknown, actual: unknown, at = ""): string[] {
  // The API server drops empty strings, maps and lists, and nulls.
  if (actual === undefined && (expected === null || expected === "" || (typeof expected === "object" && Object.keys(expected).length === 0))) return [];
  if (typeof expected !== "object") {
    return String(expected) === String(actual) ? [] : [`${at || "."}: rendered ${JSON.stringify(expected)}, live ${JSON.stringify(actual)}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length)
      return [`${at}: rendered ${expected.length} items, live ${JSON.stringify(actual)?.slice(0, 200)}`];
    return expected.flatMap((item, i) => differences(item, actual[i], `${at}[${i}]`));
  }
  if (actual === null || typeof actual !== "object") return [`${at}: missing in the live object`];
  return Object.entries(expected as Json).flatMap(([key, value]) => differences(value, (actual as Json)[key], `${at}.${key}`));
}
