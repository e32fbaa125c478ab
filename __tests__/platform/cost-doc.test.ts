import * as fs from "node:fs";
import * as path from "node:path";
import { loadConfig } from "../../config";
import { repoRoot } from "../support/project";

// docs/cost.md prices what the committed environments run: its estimate table must follow the config.

const doc = fs.readFileSync(path.join(repoRoot, "docs", "cost.md"), "utf8");
const rows = doc
  .split("\n")
  .filter((line) => line.startsWith("| ") && doc.indexOf("## Monthly estimate") < doc.indexOf(line))
  .map((line) =>
    line
      .split("|")
      .slice(1, -1)
      .map((cell) => cell.trim()),
  );
const header = rows[0]!;
const row = (label: string) => {
  const found = rows.find((r) => r[0]!.startsWith(label));
  if (!found) throw new Error(`docs/cost.md has no row "${label}"`);
  return found;
};
const environments = loadConfig({}).environments.map((e) => e.config);

describe("docs/cost.md", () => {
  it.each(environments.map((env) => [env.name, env] as const))("has a column for %s in its committed access mode", (name, env) => {
    const column = header.findIndex((h) => h.startsWith(`${name}, ${env.network.access}`));
    expect(column).toBeGreaterThan(0);
    const k = env.kubernetes;
    expect(row("System pool")[column]).toMatch(new RegExp(`^${k.systemPool.minCount} × `));
    expect(row("User pool")[column]).toMatch(new RegExp(`^${k.userPool.minCount} × `));
    expect(row("AKS tier")[column]).toMatch(new RegExp(`^${k.skuTier} `));
    expect(row("Private endpoints")[column] === "–").toBe(env.network.access === "public");
    expect(row("Registry Premium")[column]!.includes("replica")).toBe(env.registry.geoReplicationLocations.length > 0);
  });

  it("names the VM sizes the node pools use", () => {
    for (const env of environments) {
      expect(row("System pool")[0]).toContain(env.kubernetes.systemPool.vmSize.replace("Standard_", ""));
      expect(row("User pool")[0]).toContain(env.kubernetes.userPool.vmSize.replace("Standard_", ""));
    }
  });
});
