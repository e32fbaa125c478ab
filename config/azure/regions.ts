// Azure's public regions (the `name` column of `az account list-locations`), and which of them have availability
// zones. Kept as data so a typo such as "westeuropee" is refused before anything is built.
// Source: learn.microsoft.com/azure/reliability/availability-zones-region-support, checked 2026-12.

/** Regions with availability zones. */
const ZONAL_REGIONS = [
  "australiaeast",
  "austriaeast",
  "belgiumcentral",
  "brazilsouth",
  "canadacentral",
  "centralindia",
  "centralus",
  "chilecentral",
  "eastasia",
  "eastus",
  "eastus2",
  "francecentral",
  "germanywestcentral",
  "indonesiacentral",
  "israelcentral",
  "italynorth",
  "japaneast",
  "japanwest",
  "koreacentral",
  "malaysiawest",
  "mexicocentral",
  "newzealandnorth",
  "northeurope",
  "norwayeast",
  "polandcentral",
  "qatarcentral",
  "southafricanorth",
  "southcentralus",
  "southeastasia",
  "spaincentral",
  "swedencentral",
  "switzerlandnorth",
  "uaenorth",
  "uksouth",
  "westeurope",
  "westus2",
  "westus3",
] as const;

/** Regions without availability zones. */
const NON_ZONAL_REGIONS = [
  "australiacentral",
  "australiacentral2",
  "australiasoutheast",
  "brazilsoutheast",
  "canadaeast",
  "francesouth",
  "germanynorth",
  "jioindiacentral",
  "jioindiawest",
  "koreasouth",
  "northcentralus",
  "norwaywest",
  "southafricawest",
  "southindia",
  "swedensouth",
  "switzerlandwest",
  "uaecentral",
  "ukwest",
  "westcentralus",
  "westindia",
  "westus",
] as const;

const zonal = new Set<string>(ZONAL_REGIONS);
const all = new Set<string>([...ZONAL_REGIONS, ...NON_ZONAL_REGIONS]);

export function isRegion(name: string): boolean {
  return all.has(name);
}

export function hasAvailabilityZones(region: string): boolean {
  return zonal.has(region);
}

/** The closest region names by edit distance, for a "did you mean" hint (empty when nothing is close). */
export function closestRegions(name: string): string[] {
  // More than a third of the name wrong is not a typo any more.
  const typo = Math.max(2, Math.floor(name.length / 3));
  // The distance is at least the difference in length: skipping the regions that cannot be near keeps a hostile
  // 10 000-character name from costing seconds of edit distances.
  const scored = [...all].filter((region) => Math.abs(region.length - name.length) <= typo).map((region) => ({ region, distance: editDistance(name, region) }));
  const best = Math.min(...scored.map((s) => s.distance));
  if (best > typo) return [];
  return scored
    .filter((s) => s.distance === best)
    .map((s) => s.region)
    .sort();
}

/** Why a region name is refused, with a suggestion when one is near. */
export function unknownRegionMessage(name: string): string {
  const near = closestRegions(name);
  const hint = near.length > 0 ? `; did you mean ${near.map((n) => `"${n}"`).join(" or ")}?` : " (see `az account list-locations -o table`)";
  return `"${name}" is not an Azure region${hint}`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
