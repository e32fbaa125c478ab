import type { EnvironmentOverrides } from "../merge";

// Shaped like prod (private, customer-managed keys, Entra ID only, data protection) at a smaller size, so promotions
// rehearse prod.
export const staging: EnvironmentOverrides = {
  name: "staging",
  tags: { environment: "staging" },
  kubernetes: {
    skuTier: "Standard",
    userPool: { maxCount: 4 },
  },
  network: { addressSpace: "10.21.0.0/16", nodesSubnet: "10.21.0.0/22", endpointsSubnet: "10.21.4.0/24", runnersSubnet: "10.21.5.0/24" },
  storage: { softDeleteDays: 14 },
  dataProtection: true,
};
