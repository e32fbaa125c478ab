import type { EnvironmentOverrides } from "../merge";

// The cheapest useful environment, deployable from a laptop: public endpoints limited to the authorized ranges
// (MLFLOW_AUTHORIZED_IP_RANGES or network.authorizedIpRanges), free cluster tier, no zones, no registry replica, no data
// protection. The customer-managed key stays (a few dollars a month, docs/cost.md); private mode is the production path.
export const dev: EnvironmentOverrides = {
  name: "dev",
  tags: { environment: "dev" },
  network: { access: "public" },
};
