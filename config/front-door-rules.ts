import type { Report } from "./errors";
import { cidrContains } from "./network";
import type { EnvironmentConfig } from "./schema";

/**
 * Front door rules that span fields: its certificate lives in the environment's Key Vault; private mode needs the
 * internal address inside the nodes subnet; public mode needs authorized ranges.
 */
export function checkFrontDoor(env: EnvironmentConfig, report: Report): void {
  if (!env.frontDoor.enabled) return;
  if (!env.encryption.customerManagedKey) {
    report("frontDoor.enabled", "needs encryption.customerManagedKey: true (the front door's certificate lives in that Key Vault)");
  }
  const ip = env.frontDoor.privateIpAddress;
  if (env.network.access === "private" && ip === null) {
    report("frontDoor.privateIpAddress", 'is required while network.access is "private": the internal address <host> is published at');
  }
  if (env.network.access === "private" && ip !== null && !cidrContains(env.network.nodesSubnet, ip)) {
    report("frontDoor.privateIpAddress", `must be inside network.nodesSubnet (${env.network.nodesSubnet}), where the internal load balancer takes its address`);
  }
  if (env.network.access === "public" && env.network.authorizedIpRanges.length === 0) {
    report("frontDoor.enabled", 'needs network.authorizedIpRanges while network.access is "public": the public gateway admits only those ranges');
  }
}
