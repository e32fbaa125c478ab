import type { EnvironmentOverrides } from "../merge";

// The cheapest useful environment: free cluster tier, Basic registry, no zones, no data protection.
export const dev: EnvironmentOverrides = {
  name: "dev",
  tags: { environment: "dev" },
};
