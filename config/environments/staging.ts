import type { EnvironmentOverrides } from "../merge";

// Shaped like prod (Entra ID only, data protection) at a smaller size, so promotions rehearse prod.
export const staging: EnvironmentOverrides = {
  name: "staging",
  tags: { environment: "staging" },
  kubernetes: {
    skuTier: "Standard",
    userPool: { maxCount: 4 },
  },
  registry: { sku: "Standard" },
  storage: { softDeleteDays: 14 },
  dataProtection: true,
};
