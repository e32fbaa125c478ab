import type { PrivateLinks } from "./private-links";

/**
 * How the registry, the storage account and the Key Vault are reached (config network.access).
 * private: only through private endpoints; public network access off.
 * public: public endpoints that deny by default and allow the authorized ranges, the nodes subnet (service endpoints)
 * and Azure's trusted services.
 */
export type ServiceAccess = { kind: "private"; links: PrivateLinks } | { kind: "public"; authorizedIpRanges: string[]; nodesSubnetId: string };

/**
 * A storage account's IP rules: Azure takes /31 and /32 only as single addresses (/30 and wider as ranges).
 */
export function storageIpRules(ranges: string[]): string[] {
  return ranges.flatMap((range) => {
    const [address = "", bits = "32"] = range.split("/");
    if (bits === "32") return [address];
    if (bits !== "31") return [range];
    const octets = address.split(".");
    const last = Number(octets.pop());
    return [last, last + 1].map((octet) => [...octets, octet].join("."));
  });
}
