import { loadConfig } from "../../config";
import { costColumns, costEstimatePart, costLines, costTable } from "../../scripts/docs/cost-estimate";
import { committedPart } from "../../scripts/docs/generated-blocks";

// docs/cost.md's monthly estimate is written from the config (scripts/docs/cost-estimate.ts): these tests hold the
// estimate to the config, and the doc to the estimate.

const environments = loadConfig({}).environments.map((e) => e.config);
const columns = costColumns();
const lines = costLines(columns);
const cell = (label: string, column: number) => {
  const line = lines.find((l) => l.label.startsWith(label));
  if (!line) throw new Error(`no line "${label}"`);
  return line.cells[column]!.text;
};

describe("the monthly estimate", () => {
  it.each(environments.map((env) => [env.name, env] as const))("has a column for %s in its committed access mode that follows its config", (name, env) => {
    const column = columns.findIndex((c) => c.title.startsWith(`${name}, ${env.network.access}`));
    expect(column).toBeGreaterThanOrEqual(0);
    const k = env.kubernetes;
    expect(cell("System pool", column)).toMatch(new RegExp(`^${k.systemPool.minCount} × `));
    expect(cell("User pool", column)).toMatch(new RegExp(`^${k.userPool.minCount} × `));
    expect(cell("AKS tier", column)).toMatch(new RegExp(`^${k.skuTier} `));
    expect(cell("Private endpoints", column) === "–").toBe(env.network.access === "public");
    expect(cell("Cluster egress IP", column) === "–").toBe(env.network.access === "private");
    expect(cell("Registry", column).includes("replica")).toBe(env.registry.geoReplicationLocations.length > 0);
    expect(cell("Customer-managed key", column) === "–").toBe(!env.encryption.customerManagedKey);
  });

  it("prices a public environment in private mode too", () => {
    for (const env of environments.filter((e) => e.network.access === "public")) {
      const column = columns.findIndex((c) => c.title === `${env.name}, private`);
      expect(column).toBeGreaterThan(0);
      expect(cell("Private endpoints", column)).not.toBe("–");
      expect(cell("Runners' NAT gateway", column)).not.toBe("–");
    }
  });

  it("names the VM sizes the node pools use", () => {
    for (const env of environments) {
      expect(lines[0]!.label).toContain(env.kubernetes.systemPool.vmSize.replace("Standard_", ""));
      expect(lines[1]!.label).toContain(env.kubernetes.userPool.vmSize.replace("Standard_", ""));
    }
  });

  it("totals every line of a column", () => {
    const prod = columns.findIndex((c) => c.title.startsWith("prod,"));
    const sum = lines.reduce((total, line) => total + line.cells[prod]!.amount, 0);
    expect(costTable().split("\n").at(-1)!.split("|")[prod + 2]!.trim()).toBe(`**≈ ${Math.round(sum)}**`);
  });

  it("refuses a VM size it has no price for", () => {
    const [column] = columns;
    const unpriced = {
      ...column!.config,
      kubernetes: { ...column!.config.kubernetes, userPool: { ...column!.config.kubernetes.userPool, vmSize: "Standard_E96ds_v5" } },
    };
    expect(() => costLines([{ title: "x", config: unpriced }])).toThrow("has no price for VM size Standard_E96ds_v5");
  });
});

it("docs/cost.md holds the estimate as generated (npm run docs:generate)", () => {
  expect(committedPart(costEstimatePart)).toBe(costTable());
});
