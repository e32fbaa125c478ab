// The monthly estimate of docs/cost.md ("Monthly estimate"), computed from the committed configuration and the list
// prices below, so that the table follows the config (node counts, tiers, access mode, replicas, key).
import { loadConfig, type Environment } from "../../config";
import type { GeneratedPart } from "./generated-blocks";

export const costEstimatePart: GeneratedPart = { file: "docs/cost.md", name: "cost-estimate" };

/** USD per month (730 hours), as docs/cost.md ("Prices used") gives them with sources; a size or SKU missing stops the generator. */
export const MONTHLY_PRICES = {
  vm: { Standard_D2ds_v5: 82.49, Standard_D4ds_v5: 164.98 } as Record<string, number>,
  aksTier: { Free: 0, Standard: 73.0 } as Record<string, number>,
  registry: { Basic: 5.08, Standard: 20.3, Premium: 50.74 } as Record<string, number>,
  loadBalancer: 18.25,
  privateEndpoint: 7.3,
  natGateway: 32.85,
  publicIp: 3.65,
  customerManagedKey: 5.0,
};

type EnvironmentConfig = Environment["config"];

/** One column: an environment in one access mode. */
export type CostColumn = { title: string; config: EnvironmentConfig };
type Cell = { text: string; amount: number };
/** One line of the table: a label and, per column, the cell text and its amount (0 for "–"). */
export type CostLine = { label: string; cells: Cell[] };

const money = (n: number) => n.toFixed(2);
const price = (table: Record<string, number>, key: string, what: string): number => {
  const found = table[key];
  if (found === undefined) throw new Error(`scripts/docs/cost-estimate.ts has no price for ${what} ${key}`);
  return found;
};
const times = (count: number, unit: number): Cell => ({
  text: `${count} × ${money(unit)}${count > 1 ? ` = ${money(count * unit)}` : ""}`,
  amount: count * unit,
});
const fixed = (amount: number, name?: string): Cell => ({ text: name ? `${name} ${money(amount)}` : money(amount), amount });
const none = { text: "–", amount: 0 };
const shortVm = (size: string) => size.replace(/^Standard_/, "");

/** Every committed environment in its committed access mode, and a public one also in private mode. */
export function costColumns(): CostColumn[] {
  const committed = loadConfig({}).environments.map((e) => e.config);
  const privateVariants = committed.filter((c) => c.network.access === "public").map((c) => c.name);
  const overrides = Object.fromEntries(privateVariants.map((name) => [name, { network: { access: "private" } }]));
  const asPrivate = loadConfig({ MLFLOW_CONFIG_OVERRIDES: JSON.stringify(overrides) }).environments.map((e) => e.config);
  return committed.flatMap((config) => {
    const alternative = privateVariants.includes(config.name) ? asPrivate.find((c) => c.name === config.name) : undefined;
    const own = { title: `${config.name}, ${config.network.access}${alternative ? " (committed)" : ""}`, config };
    return alternative ? [own, { title: `${config.name}, private`, config: alternative }] : [own];
  });
}

/** The fixed monthly lines of each column. */
export function costLines(columns: CostColumn[]): CostLine[] {
  const all = (cell: (c: EnvironmentConfig) => Cell) => columns.map((col) => cell(col.config));
  const sizes = (pool: "systemPool" | "userPool") => [...new Set(columns.map((c) => shortVm(c.config.kubernetes[pool].vmSize)))].join(" / ");
  const pool = (pool: "systemPool" | "userPool") => (c: EnvironmentConfig) =>
    times(c.kubernetes[pool].minCount, price(MONTHLY_PRICES.vm, c.kubernetes[pool].vmSize, "VM size"));
  const isPrivate = (c: EnvironmentConfig) => c.network.access === "private";
  const cmk = (c: EnvironmentConfig) => c.encryption.customerManagedKey;
  return [
    { label: `System pool (${sizes("systemPool")} × min)`, cells: all(pool("systemPool")) },
    { label: `User pool (${sizes("userPool")} × min)`, cells: all(pool("userPool")) },
    { label: "AKS tier", cells: all((c) => fixed(price(MONTHLY_PRICES.aksTier, c.kubernetes.skuTier, "AKS tier"), c.kubernetes.skuTier)) },
    { label: "Load balancer", cells: all(() => fixed(MONTHLY_PRICES.loadBalancer)) },
    {
      label: "Registry (+ replicas)",
      cells: all(({ registry: { sku, geoReplicationLocations: replicas } }) => {
        const cell = fixed(price(MONTHLY_PRICES.registry, sku, "registry SKU") * (1 + replicas.length), sku);
        return replicas.length ? { ...cell, text: `${cell.text} (${replicas.join(", ")} replica)` } : cell;
      }),
    },
    {
      label: "Private endpoints (registry, blob, file; vault with the key)",
      cells: all((c) => (isPrivate(c) ? times(cmk(c) ? 4 : 3, MONTHLY_PRICES.privateEndpoint) : none)),
    },
    { label: "Runners' NAT gateway + its IP", cells: all((c) => (isPrivate(c) ? fixed(MONTHLY_PRICES.natGateway + MONTHLY_PRICES.publicIp) : none)) },
    { label: "Cluster egress IP (public mode)", cells: all((c) => (isPrivate(c) ? none : fixed(MONTHLY_PRICES.publicIp))) },
    { label: "Customer-managed key", cells: all((c) => (cmk(c) ? fixed(MONTHLY_PRICES.customerManagedKey) : none)) },
  ];
}

/** The Markdown table of docs/cost.md's generated part. */
export function costTable(columns = costColumns()): string {
  const lines = costLines(columns);
  const totals = columns.map((_, i) => lines.reduce((sum, line) => sum + line.cells[i]!.amount, 0));
  const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [
    row(["Line", ...columns.map((c) => c.title)]),
    row(["---", ...columns.map(() => "---:")]),
    ...lines.map((line) => row([line.label, ...line.cells.map((c) => c.text)])),
    row(["**Total, USD/month**", ...totals.map((t) => `**≈ ${Math.round(t)}**`)]),
  ].join("\n");
}
