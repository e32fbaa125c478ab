import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** Where the chart lives, relative to the project root. */
export const CHART_PATH = "helm_charts/mlflow_setup";
const CHARTS_ROOT = "helm_charts";

/** Built or test-only parts of a chart folder that do not change what is installed. */
const IGNORED = /(^|\/)(charts|tests|ci)\/|\.tgz$/;

/**
 * A digest of every chart file under helm_charts/ (the chart and its file:// dependency),
 * from relative paths and contents only, so it is the same on every machine.
 */
export function chartDigest(projectRoot: string): string {
  const root = path.join(projectRoot, CHARTS_ROOT);
  const hash = createHash("sha256");
  for (const file of listFiles(root)
    .filter((f) => !IGNORED.test(f))
    .sort()) {
    hash.update(`${file}\0`);
    hash.update(fs.readFileSync(path.join(root, file)));
    hash.update("\0");
  }
  return hash.digest("hex").slice(0, 16);
}

function listFiles(root: string, sub = ""): string[] {
  return fs.readdirSync(path.join(root, sub), { withFileTypes: true }).flatMap((entry) => {
    const rel = sub ? `${sub}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(root, rel) : [rel];
  });
}
