import type { Report } from "./errors";
import type { EnvironmentConfig } from "./schema";

/** Front door rules that span fields: its certificate lives in the environment's Key Vault, its public mode needs ranges. */
export function checkFrontDoor(env: EnvironmentConfig, report: Report): void {
  if (!env.frontDoor.enabled) return;
  if (!env.encryption.customerManagedKey) {
    report("frontDoor.enabled", "needs encryption.customerManagedKey: true (the front door's certificate lives in that Key Vault)");
  }
  if (env.network.access === "public" && env.network.authorizedIpRanges.length === 0) {
    report("frontDoor.enabled", 'needs network.authorizedIpRanges while network.access is "public": the public gateway admits only those ranges');
  }
}
