import { z } from "zod";
import { imageDigest } from "./image-reference";
import { chartLimits } from "./chart-limits";
import { frontDoorSchema } from "./front-door";

// The shape and per-field rules of one environment. Cross-field rules and derived
// Azure names are checked in rules.ts; this file only says what each field may hold.

const lowerAlnum = /^[a-z][a-z0-9]*$/;
const vmSize = z.string().regex(/^Standard_[A-Za-z0-9_]+$/, { message: "must be an Azure VM size such as Standard_D4ds_v5" });
const zone = z.enum(["1", "2", "3"]);
const cidr = z.cidrv4({ message: "must be an IPv4 CIDR such as 10.20.0.0/16" });
/** A registry takes at most 200 IP rules; one is the cluster's egress address. */
export const MAX_AUTHORIZED_IP_RANGES = 100;
const tagKey = z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,127}$/, { message: "tag keys: a letter, then letters, digits, _ . - (max 128)" });
const tagValue = z
  .string()
  .max(256)
  .regex(/^[^<>%&\\?/"'`${}\p{Cc}\u2028\u2029]*$/u, { message: "tag values may not contain < > % & \\ ? / quotes, $, braces or control characters" });

const nodePool = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9]{0,11}$/, { message: "node pool names: a lowercase letter, then up to 11 lowercase letters or digits" }),
  vmSize,
  minCount: z.number().int().min(1).max(1000),
  maxCount: z.number().int().min(1).max(1000),
  maxPods: z.number().int().min(10).max(250),
  osDiskSizeGb: z.number().int().min(30).max(2048),
  /** Ephemeral: the OS disk lives on the VM's local storage (faster, nothing to encrypt at rest); it must fit there. */
  osDiskType: z.enum(["Ephemeral", "Managed"]),
  zones: z.array(zone).max(3),
});

const maintenanceWindow = z.strictObject({
  dayOfWeek: z.enum(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]),
  startTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: "must be HH:MM (24h)" }),
  durationHours: z.number().int().min(4).max(24),
  utcOffset: z.string().regex(/^[+-](0\d|1[0-4]):[0-5]\d$/, { message: "must be +HH:MM or -HH:MM" }),
});

const resources = z.strictObject({
  cpuRequest: z.string().regex(/^\d+(\.\d+)?m?$/, { message: "must be a Kubernetes CPU quantity such as 500m or 2" }),
  memoryRequest: z.string().regex(/^\d+(Mi|Gi)$/, { message: "must be a memory quantity in Mi or Gi such as 512Mi" }),
  cpuLimit: z.string().regex(/^\d+(\.\d+)?m?$/, { message: "must be a Kubernetes CPU quantity such as 500m or 2" }),
  memoryLimit: z.string().regex(/^\d+(Mi|Gi)$/, { message: "must be a memory quantity in Mi or Gi such as 1Gi" }),
});

export const environmentSchema = z.strictObject({
  /** Environment name: part of every resource name and of the stack names. */
  name: z.string().regex(/^[a-z][a-z0-9]{1,9}$/, { message: "a lowercase letter, then 1-9 lowercase letters or digits" }),
  /** Production environments must pass the stricter policy in rules.ts. */
  production: z.boolean(),
  location: z
    .string()
    .max(40)
    .regex(/^[a-z]+[a-z0-9]*$/, { message: "must be an Azure region name such as westeurope" }),
  /** Start of every resource name, e.g. "mlflow" gives rg-mlflow-dev and stmlflowdev<suffix>. */
  namingPrefix: z.string().min(2).max(12).regex(lowerAlnum, { message: "a lowercase letter, then lowercase letters or digits" }),
  /** Makes the globally unique names (registry, storage account) unique to your organisation. */
  uniqueSuffix: z.string().regex(/^[a-z0-9]{0,8}$/, { message: "0-8 lowercase letters or digits" }),
  tags: z.record(z.string(), tagValue).superRefine((tags, ctx) => {
    // Checked here rather than as the record's key schema, so that the message names the key and its rule.
    for (const key of Object.keys(tags).filter((k) => !tagKey.safeParse(k).success)) {
      ctx.addIssue({ code: "custom", path: [key], message: `tag key "${key}": a letter, then letters, digits, _ . - (max 128)` });
    }
  }),
  kubernetes: z.strictObject({
    version: z.string().regex(/^1\.\d{2}$/, { message: "must be a Kubernetes minor version such as 1.34" }),
    skuTier: z.enum(["Free", "Standard", "Premium"]),
    automaticUpgradeChannel: z.enum(["patch", "stable", "rapid", "node-image"]),
    nodeOsUpgradeChannel: z.enum(["NodeImage", "SecurityPatch", "Unmanaged"]),
    upgradeWindow: maintenanceWindow,
    nodeOsWindow: maintenanceWindow,
    localAccountsEnabled: z.boolean(),
    /** Encryption at host (temp disks, caches); the subscription needs the EncryptionAtHost feature registered. */
    hostEncryption: z.boolean(),
    /** Entra ID principals (users or groups) granted "Azure Kubernetes Service RBAC Cluster Admin". */
    clusterAdminObjectIds: z.array(z.uuid({ message: "must be an Entra ID object id (uuid)" })),
    network: z.strictObject({
      podCidr: z.cidrv4({ message: "must be an IPv4 CIDR such as 10.244.0.0/16" }),
      serviceCidr: z.cidrv4({ message: "must be an IPv4 CIDR such as 10.0.0.0/16" }),
      dnsServiceIp: z.ipv4({ message: "must be an IPv4 address" }),
    }),
    systemPool: nodePool.extend({ onlyCriticalAddons: z.boolean() }),
    userPool: nodePool,
  }),
  /**
   * The environment's own virtual network (the network-<env> stack, docs/networking.md). "private": nodes, the API
   * server, private endpoints of the registry, storage and Key Vault, and the CI runners that deploy, all inside it.
   * "public": the API server, registry, storage and Key Vault keep public endpoints that deny every address except
   * authorizedIpRanges and what the cluster needs; no private endpoints, no runners.
   */
  network: z.strictObject({
    access: z.enum(["public", "private"]),
    /** Public addresses allowed to reach the public endpoints (public mode only), e.g. your workstation's address/32. */
    authorizedIpRanges: z.array(cidr).max(MAX_AUTHORIZED_IP_RANGES, { message: `at most ${MAX_AUTHORIZED_IP_RANGES} ranges` }),
    addressSpace: cidr,
    /** Node IPs only: pods get overlay addresses from kubernetes.network.podCidr. */
    nodesSubnet: cidr,
    /** Private endpoints of the registry, the storage account and the Key Vault (private mode). */
    endpointsSubnet: cidr,
    /** Where the pipeline's runners run (private mode); "github" delegates it to GitHub-hosted runners with Azure private networking. */
    runnersSubnet: cidr,
    runnerSubnetDelegation: z.enum(["github", "none"]),
  }),
  encryption: z.strictObject({
    /**
     * true: storage and every managed disk are encrypted with the environment's own HSM-backed key in its Key Vault.
     * false: with Microsoft-managed keys, and no Key Vault is created.
     */
    customerManagedKey: z.boolean(),
  }),
  registry: z.strictObject({
    /** Only Premium has network rules and private endpoints (rules.ts refuses a registry open to every address). */
    sku: z.enum(["Basic", "Standard", "Premium"]),
    /** Days untagged manifests are kept. */
    untaggedRetentionDays: z.number().int().min(0).max(365).nullable(),
    zoneRedundancy: z.boolean(),
    /** Regions the registry replicates to, e.g. the paired region. */
    geoReplicationLocations: z.array(z.string().regex(/^[a-z]+[a-z0-9]*$/, { message: "must be an Azure region name such as northeurope" })),
  }),
  storage: z.strictObject({
    replication: z.enum(["LRS", "ZRS", "GRS", "GZRS", "RAGRS", "RAGZRS"]),
    fileShareName: z.string().regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, {
      message: "share names: 3-63 lowercase letters, digits and single hyphens, starting and ending alphanumeric",
    }),
    fileShareQuotaGb: z.number().int().min(1).max(102400),
    artifactContainerName: z.string().regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, {
      message: "container names: 3-63 lowercase letters, digits and single hyphens, starting and ending alphanumeric",
    }),
    /** Private container for the backend store's logical backups (the chart's backup CronJob). */
    backupContainerName: z.string().regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, {
      message: "container names: 3-63 lowercase letters, digits and single hyphens, starting and ending alphanumeric",
    }),
    /** Soft delete for blobs, containers and shares, and version retention. */
    softDeleteDays: z.number().int().min(1).max(365),
  }),
  monitoring: z.strictObject({
    /** Days the Log Analytics workspace keeps cluster and storage logs. */
    logRetentionDays: z.number().int().min(30).max(730),
  }),
  /** Protects user data from `destroy` (prevent_destroy on storage account, share and container). */
  dataProtection: z.boolean(),
  pushPrincipal: z.strictObject({
    passwordRotationDays: z.number().int().min(7).max(365),
  }),
  mlflow: z.strictObject({
    namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, { message: "must be a DNS-1123 label (lowercase letters, digits, hyphens; max 63)" }),
    /** Becomes the chart's fullnameOverride: its length and pattern come from the chart's values.schema.json. */
    releaseName: z
      .string()
      .min(1)
      .max(chartLimits.releaseName.maxLength, {
        message: `must be a DNS-1123 label of at most ${chartLimits.releaseName.maxLength} characters (the chart's fullnameOverride limit)`,
      })
      .regex(chartLimits.releaseName.pattern, {
        message: `must be a DNS-1123 label of at most ${chartLimits.releaseName.maxLength} characters (the chart's fullnameOverride limit)`,
      }),
    image: z.strictObject({
      repository: z.string().regex(/^[a-z0-9]+([._/-][a-z0-9]+)*$/, { message: "must be a repository path such as mlflow-tracking-server" }),
      tag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { message: "must be an image tag (letters, digits, _ . -, max 128)" }),
      digest: z.string().regex(imageDigest, { message: "must be sha256: followed by 64 hex digits" }).nullable(),
    }),
    trackingServer: z.strictObject({
      replicas: z
        .number()
        .int()
        .min(chartLimits.replicas.min)
        .max(chartLimits.replicas.max, {
          message: `the chart allows at most ${chartLimits.replicas.max} replicas (trackingServer.replicas in values.schema.json)`,
        }),
      workers: z
        .number()
        .int()
        .min(chartLimits.workers.min)
        .max(chartLimits.workers.max, {
          message: `the chart allows at most ${chartLimits.workers.max} workers (trackingServer.workers in values.schema.json)`,
        }),
      resources,
    }),
    mysql: z.strictObject({
      diskSizeGi: z.number().int().min(4).max(32767),
      resources,
    }),
  }),
  /** MLflow at a name, over TLS, behind Entra ID sign-in (config/front-door.ts). */
  frontDoor: frontDoorSchema,
});

export type EnvironmentConfig = z.infer<typeof environmentSchema>;
export type NodePoolConfig = z.infer<typeof nodePool>;
export type MaintenanceWindowConfig = z.infer<typeof maintenanceWindow>;
export type ResourcesConfig = z.infer<typeof resources>;
