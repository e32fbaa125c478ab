import type { EnvironmentConfig } from "./schema";

// What every environment starts from. An environment file overrides only what differs;
// prod's differences are required by the production policy in rules.ts.
export const defaults: Omit<EnvironmentConfig, "name"> = {
  production: false,
  location: "westeurope",
  namingPrefix: "mlflow",
  // Registry and storage account names are global across Azure: set your own suffix.
  uniqueSuffix: "x7k2",
  tags: {
    project: "mlflow-aks",
    "managed-by": "cdktf",
  },
  kubernetes: {
    version: "1.34",
    skuTier: "Free",
    automaticUpgradeChannel: "patch",
    nodeOsUpgradeChannel: "NodeImage",
    upgradeWindow: { dayOfWeek: "Sunday", startTime: "02:00", durationHours: 4, utcOffset: "+00:00" },
    nodeOsWindow: { dayOfWeek: "Saturday", startTime: "02:00", durationHours: 4, utcOffset: "+00:00" },
    // Entra ID sign-in only: people and pipelines get tokens through kubelogin.
    localAccountsEnabled: false,
    hostEncryption: true,
    clusterAdminObjectIds: [],
    network: { podCidr: "10.244.0.0/16", serviceCidr: "10.0.0.0/16", dnsServiceIp: "10.0.0.10" },
    systemPool: {
      name: "system",
      vmSize: "Standard_D2ds_v5",
      minCount: 1,
      maxCount: 3,
      maxPods: 110,
      osDiskSizeGb: 64,
      osDiskType: "Ephemeral",
      zones: [],
      // Workloads run on the user pool; the system pool keeps CoreDNS, metrics and CSI drivers healthy.
      onlyCriticalAddons: true,
    },
    userPool: {
      name: "mlflow",
      vmSize: "Standard_D4ds_v5",
      minCount: 1,
      maxCount: 3,
      maxPods: 110,
      osDiskSizeGb: 128,
      osDiskType: "Ephemeral",
      zones: [],
    },
  },
  // One /16 per environment (staging and prod override it) so that environments can be peered later.
  // Private unless an environment says otherwise (dev is public); the production policy requires private.
  network: {
    access: "private",
    authorizedIpRanges: [],
    addressSpace: "10.20.0.0/16",
    nodesSubnet: "10.20.0.0/22",
    endpointsSubnet: "10.20.4.0/24",
    runnersSubnet: "10.20.5.0/24",
    runnerSubnetDelegation: "github",
  },
  encryption: { customerManagedKey: true },
  // Premium in every environment: network rules and private endpoints need it. Replicas are what costs; non-prod has none.
  registry: { sku: "Premium", untaggedRetentionDays: 7, zoneRedundancy: true, geoReplicationLocations: [] },
  storage: {
    // Geo-zone-redundant everywhere: user data survives a zone and a region; for test data the extra cost is small.
    replication: "GZRS",
    fileShareName: "mlflow-projects",
    fileShareQuotaGb: 100,
    artifactContainerName: "mlflow-artifacts",
    backupContainerName: "mlflow-backups",
    softDeleteDays: 7,
  },
  monitoring: { logRetentionDays: 30 },
  dataProtection: false,
  pushPrincipal: { passwordRotationDays: 90 },
  mlflow: {
    namespace: "mlflow",
    releaseName: "mlflow",
    // The reviewed image of each environment (tag = docker/tracking-server/VERSION); CI pins a digest with MLFLOW_IMAGE_DIGEST.
    image: { repository: "mlflow-tracking-server", tag: "3.17.2-2", digest: null },
    trackingServer: {
      replicas: 1,
      workers: 2,
      resources: { cpuRequest: "250m", memoryRequest: "512Mi", cpuLimit: "1", memoryLimit: "1Gi" },
    },
    mysql: {
      diskSizeGi: 20,
      resources: { cpuRequest: "250m", memoryRequest: "512Mi", cpuLimit: "1", memoryLimit: "1Gi" },
    },
  },
  // Off until an environment names its host and groups (docs/access.md); then in-cluster access stays as it is.
  frontDoor: { enabled: false, host: null, privateIpAddress: null, allowedGroupObjectIds: [], proxyImage: { repository: null, digest: null } },
};
