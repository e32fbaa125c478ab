import type { EnvironmentOverrides } from "../merge";

// Cheapest useful cluster; local accounts on so a developer can use plain kubectl credentials.
export const dev: EnvironmentOverrides = {
  name: "dev",
  tags: { environment: "dev" },
};
