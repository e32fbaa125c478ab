import type { EnvironmentOverrides } from "../merge";

// The cheapest useful environment that is still private end to end: free cluster tier, no zones, no registry
// replica, no data protection.
export const dev: EnvironmentOverrides = {
  name: "dev",
  tags: { environment: "dev" },
};
