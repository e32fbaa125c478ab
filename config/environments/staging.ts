import type { EnvironmentOverrides } from "../merge";

// Shaped like prod (Entra ID only, data protection) at a smaller size, so promotions rehearse prod.
export const staging: EnvironmentOverrides = {
  name: "staging",
  tags: { environment: "staging" },
  kubernetes: {
    skuTier: "Standard",
    localAccountsEnabled: false,
    userPool: { maxCount: 4 },
  },
  registry: { sku: "Standard" },
  storage: { replication: "ZRS", softDeleteDays: 14 },
  dataProtection: true,
};
