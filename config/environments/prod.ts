import type { EnvironmentOverrides } from "../merge";

// Must satisfy the production policy (rules.ts): zones, Standard tier or better, Entra ID only,
// data protection, a replicated registry, geo-zone-redundant storage.
export const prod: EnvironmentOverrides = {
  name: "prod",
  production: true,
  tags: { environment: "prod" },
  kubernetes: {
    skuTier: "Standard",
    automaticUpgradeChannel: "stable",
    systemPool: { minCount: 2, maxCount: 3, zones: ["1", "2", "3"] },
    userPool: { minCount: 2, maxCount: 6, zones: ["1", "2", "3"] },
  },
  network: { addressSpace: "10.22.0.0/16", nodesSubnet: "10.22.0.0/22", endpointsSubnet: "10.22.4.0/24", runnersSubnet: "10.22.5.0/24" },
  registry: { untaggedRetentionDays: 30, geoReplicationLocations: ["northeurope"] },
  storage: { fileShareQuotaGb: 500, softDeleteDays: 30 },
  monitoring: { logRetentionDays: 90 },
  dataProtection: true,
  pushPrincipal: { passwordRotationDays: 60 },
  mlflow: {
    trackingServer: {
      replicas: 2,
      workers: 4,
      resources: { cpuRequest: "500m", memoryRequest: "1Gi", cpuLimit: "2", memoryLimit: "2Gi" },
    },
    mysql: {
      diskSizeGi: 64,
      resources: { cpuRequest: "500m", memoryRequest: "1Gi", cpuLimit: "2", memoryLimit: "4Gi" },
    },
  },
};
