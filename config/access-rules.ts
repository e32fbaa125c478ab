import type { Report } from "./errors";
import { cidrRange, cidrsOverlap, ipToInt } from "./network";
import type { EnvironmentConfig } from "./schema";

/** The widest authorized range: anything wider is a large share of the internet, not "my office". */
export const WIDEST_AUTHORIZED_PREFIX = 8;

/** Blocks that are not public internet addresses: Azure's IP rules refuse them, and they would never match a client. */
const NON_PUBLIC_BLOCKS: [string, string][] = [
  ["0.0.0.0/8", "this network"],
  ["10.0.0.0/8", "private (RFC 1918)"],
  ["100.64.0.0/10", "carrier-grade NAT"],
  ["127.0.0.0/8", "loopback"],
  ["169.254.0.0/16", "link-local"],
  ["172.16.0.0/12", "private (RFC 1918)"],
  ["192.168.0.0/16", "private (RFC 1918)"],
  ["224.0.0.0/4", "multicast"],
  ["240.0.0.0/4", "reserved"],
];

/** How a person finds the address to authorize; also the deploy guard's message (stacks/constructs/deploy-guard.ts). */
export const FIND_YOUR_ADDRESS = "find your public address with `curl -s https://api.ipify.org` and authorize it as <address>/32";

/** Access mode rules of one schema-valid environment: authorized ranges, registry SKU, and the production policy's part. */
export function checkAccess(env: EnvironmentConfig, report: Report): void {
  const { access, authorizedIpRanges } = env.network;
  if (access === "private" && authorizedIpRanges.length > 0) {
    report("network.authorizedIpRanges", 'must be empty while network.access is "private": nothing has a public endpoint to limit');
  }
  authorizedIpRanges.forEach((range, index) => checkAuthorizedRange(`network.authorizedIpRanges[${index}]`, range, report));
  authorizedIpRanges.forEach((range, index) => {
    const earlier = authorizedIpRanges.slice(0, index).findIndex((other) => cidrsOverlap(other, range));
    if (earlier >= 0)
      report(
        `network.authorizedIpRanges[${index}]`,
        `overlaps network.authorizedIpRanges[${earlier}] (${range} and ${authorizedIpRanges[earlier]}): list each address once`,
      );
  });

  if (env.registry.sku !== "Premium") {
    const why =
      access === "private"
        ? "private endpoints need Premium"
        : "network rules need Premium: a Basic or Standard registry answers every address on the internet";
    report("registry.sku", `must be Premium (${why})`);
  }

  if (env.production) {
    if (access !== "private") report("network.access", 'production policy: must be "private"');
    if (!env.encryption.customerManagedKey) report("encryption.customerManagedKey", "production policy: must be true");
  }
}

function checkAuthorizedRange(field: string, range: string, report: Report): void {
  const [address = "", bitsText = "32"] = range.split("/");
  const bits = Number(bitsText);
  if (bits < WIDEST_AUTHORIZED_PREFIX) {
    report(field, `${range} is wider than /${WIDEST_AUTHORIZED_PREFIX}: that opens the endpoints to a large part of the internet; ${FIND_YOUR_ADDRESS}`);
    return;
  }
  if (cidrRange(range).first !== ipToInt(address)) {
    report(field, `${range} has host bits set: write the network address, ${networkAddress(range)}/${bits}`);
  }
  const blocked = NON_PUBLIC_BLOCKS.find(([block]) => cidrsOverlap(block, range));
  if (blocked) report(field, `${range} is not a public address (${blocked[1]}, ${blocked[0]}): Azure's IP rules take public addresses only`);
}

function networkAddress(range: string): string {
  const { first } = cidrRange(range);
  return [24, 16, 8, 0].map((shift) => Math.floor(first / 2 ** shift) % 256).join(".");
}
