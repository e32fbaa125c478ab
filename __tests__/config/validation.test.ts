import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigValidationError, loadConfig, validateEnvironments } from "../../config";
import type { EnvironmentOverrides } from "../../config/merge";
import { environments } from "../../config/environments";
import { repoRoot } from "../support/project";

const noSettings = { imageDigest: null, overrides: {} };

/** Validates the committed environments with one environment changed, returning the problem lines. */
function problemsWith(overrides: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    loadConfig({ ...env, MLFLOW_CONFIG_OVERRIDES: JSON.stringify(overrides) });
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems.map((p) => `[${p.environment}] ${p.field}: ${p.message}`);
    throw error;
  }
  return [];
}

describe("committed environments", () => {
  it("are valid, in promotion order, each with its derived Azure names", () => {
    const config = loadConfig({});
    expect(config.environments.map((e) => e.config.name)).toEqual(["dev", "staging", "prod"]);
    expect(config.environments[2]!.names).toMatchObject({
      resourceGroup: "rg-mlflow-prod",
      cluster: "aks-mlflow-prod",
      registry: "crmlflowprodx7k2",
      storageAccount: "stmlflowprodx7k2",
      infraStack: "infra-prod",
      mlflowStack: "mlflow-prod",
    });
  });

  it("prod is stricter than dev", () => {
    const [dev, , prod] = loadConfig({}).environments.map((e) => e.config);
    expect(prod!.production).toBe(true);
    expect(dev!.production).toBe(false);
    expect(prod!.kubernetes.skuTier).toBe("Standard");
    expect(dev!.kubernetes.skuTier).toBe("Free");
    expect(prod!.registry.geoReplicationLocations.length).toBeGreaterThan(0);
    expect(dev!.registry.geoReplicationLocations).toEqual([]);
    expect(prod!.storage.replication).toBe("GZRS");
    expect(prod!.dataProtection).toBe(true);
    expect(dev!.dataProtection).toBe(false);
  });
});

describe("validation", () => {
  it.each<[string, Record<string, unknown>, string]>([
    ["a storage account name over 24 characters", { dev: { namingPrefix: "mlflowplatform" } }, '[dev] namingPrefix: Too big: expected string to have <=12 characters'],
    ["a derived storage name over 24 characters", { staging: { namingPrefix: "mlflowplatfo", uniqueSuffix: "abcd1234" } }, '[staging] namingPrefix/name/uniqueSuffix: derived storageAccount name "stmlflowplatfostagingabcd1234" breaks Azure\'s rule: 3-24 lowercase letters and digits (globally unique)'],
    ["an upper-case naming prefix", { dev: { namingPrefix: "MLflow" } }, "[dev] namingPrefix: a lowercase letter, then lowercase letters or digits"],
    ["an invalid node pool name", { dev: { kubernetes: { userPool: { name: "ml-flow" } } } }, "[dev] kubernetes.userPool.name: node pool names: a lowercase letter, then up to 11 lowercase letters or digits"],
    ["min above max", { dev: { kubernetes: { userPool: { minCount: 5, maxCount: 3 } } } }, "[dev] kubernetes.userPool.minCount: must be <= maxCount (5 > 3)"],
    ["a zero node count", { dev: { kubernetes: { systemPool: { minCount: 0 } } } }, "[dev] kubernetes.systemPool.minCount: Too small: expected number to be >=1"],
    ["an invalid CIDR", { dev: { kubernetes: { network: { podCidr: "10.244.0.0/33" } } } }, "[dev] kubernetes.network.podCidr: must be an IPv4 CIDR such as 10.244.0.0/16"],
    ["overlapping CIDRs", { dev: { kubernetes: { network: { podCidr: "10.0.0.0/8" } } } }, "[dev] kubernetes.network.serviceCidr: must not overlap podCidr (10.0.0.0/16 and 10.0.0.0/8)"],
    ["a DNS IP outside the service CIDR", { dev: { kubernetes: { network: { dnsServiceIp: "10.1.0.10" } } } }, "[dev] kubernetes.network.dnsServiceIp: must lie inside serviceCidr 10.0.0.0/16 (got 10.1.0.10)"],
    ["a subnet outside the VNet", { dev: { network: { runnersSubnet: "10.30.5.0/24" } } }, "[dev] network.runnersSubnet: must lie inside network.addressSpace 10.20.0.0/16 (got 10.30.5.0/24)"],
    ["overlapping subnets", { dev: { network: { endpointsSubnet: "10.20.3.0/24" } } }, "[dev] network.endpointsSubnet: must not overlap network.nodesSubnet (10.20.3.0/24 and 10.20.0.0/22)"],
    ["a nodes subnet too small for upgrades", { dev: { network: { nodesSubnet: "10.20.0.0/26" } } }, "[dev] network.nodesSubnet: must be /24 or larger: every node and every surge node during upgrades takes an address (got /26)"],
    ["a pod range inside the VNet", { dev: { kubernetes: { network: { podCidr: "10.20.128.0/17" } } } }, "[dev] kubernetes.network.podCidr: must not overlap network.addressSpace (10.20.128.0/17 and 10.20.0.0/16): traffic to it would not leave the cluster"],
    ["an unknown runner delegation", { dev: { network: { runnerSubnetDelegation: "gitlab" } } }, '[dev] network.runnerSubnetDelegation: Invalid option: expected one of "github"|"none"'],
    ["ephemeral OS disks without encryption at host", { dev: { kubernetes: { hostEncryption: false } } }, "[dev] kubernetes.hostEncryption: must be true while a node pool uses Ephemeral OS disks: the customer-managed key reaches ephemeral OS disks only through encryption at host"],
    ["a registry SKU without network rules", { dev: { registry: { sku: "Basic" } } }, "[dev] registry.sku: must be Premium (network rules need Premium: a Basic or Standard registry answers every address on the internet)"],
    ["an unknown field", { dev: { kubernetes: { nodeCount: 3 } } }, '[dev] kubernetes.nodeCount: Unrecognized key: "nodeCount"'],
    ["a bad admin object id", { dev: { kubernetes: { clusterAdminObjectIds: ["admins"] } } }, "[dev] kubernetes.clusterAdminObjectIds.0: must be an Entra ID object id (uuid)"],
    ["a negative share quota", { prod: { storage: { fileShareQuotaGb: -1 } } }, "[prod] storage.fileShareQuotaGb: Too small: expected number to be >=1"],
    ["a CPU request above its limit", { dev: { mlflow: { trackingServer: { resources: { cpuRequest: "2", cpuLimit: "500m" } } } } }, "[dev] mlflow.trackingServer.resources.cpuRequest: must be <= cpuLimit (2 > 500m)"],
    ["a production cluster with local accounts", { prod: { kubernetes: { localAccountsEnabled: true } } }, "[prod] kubernetes.localAccountsEnabled: production policy: must be false (Entra ID sign-in only)"],
    ["a production registry without a replica", { prod: { registry: { geoReplicationLocations: [] } } }, "[prod] registry.geoReplicationLocations: production policy: must name at least one other region"],
    ["a replica in the registry's own region", { prod: { registry: { geoReplicationLocations: ["westeurope"] } } }, "[prod] registry.geoReplicationLocations: must not include the registry's own location westeurope"],
    ["a production environment without data protection", { prod: { dataProtection: false } }, "[prod] dataProtection: production policy: must be true"],
    ["a production cluster in one zone", { prod: { kubernetes: { userPool: { zones: ["1"] } } } }, "[prod] kubernetes.userPool.zones: production policy: must span at least 2 availability zones"],
    ["an image tag with a space", { dev: { mlflow: { image: { tag: "3.6 latest" } } } }, "[dev] mlflow.image.tag: must be an image tag (letters, digits, _ . -, max 128)"],
    ["a hostile tag value", { dev: { tags: { owner: '${file("/etc/passwd")}' } } }, "[dev] tags.owner: tag values may not contain < > % & \\ ? / quotes, $, braces or control characters"],
    ["a tag value with a control character", { dev: { tags: { owner: "ops\u001b[31m" } } }, "[dev] tags.owner: tag values may not contain < > % & \\ ? / quotes, $, braces or control characters"],
    ["a tag key that breaks Azure's rule", { dev: { tags: { "1st owner": "ops" } } }, '[dev] tags.1st owner: tag key "1st owner": a letter, then letters, digits, _ . - (max 128)'],
    ["a region name of 500 characters", { dev: { location: "a".repeat(500) } }, "[dev] location: Too big: expected string to have <=40 characters"],
    ["a prototype key in the overrides", JSON.parse('{"dev":{"__proto__":{"production":true}}}'), '[dev] MLFLOW_CONFIG_OVERRIDES: "__proto__" is not a configuration field'],
    ["an override for an unknown environment", { qa: { production: false } }, '[qa] MLFLOW_CONFIG_OVERRIDES: no environment named "qa" (known: dev, staging, prod)'],
  ])("rejects %s", (_what, overrides, expected) => {
    expect(problemsWith(overrides)).toContain(expected);
  });

  it("reports every problem of every environment at once", () => {
    const problems = problemsWith({
      dev: { kubernetes: { userPool: { minCount: 9 } } },
      staging: { storage: { softDeleteDays: 0 } },
      prod: { storage: { replication: "ZRS" }, network: { addressSpace: "10.21.0.0/16" } },
    });
    expect(problems).toEqual([
      "[dev] kubernetes.userPool.minCount: must be <= maxCount (9 > 3)",
      "[staging] storage.softDeleteDays: Too small: expected number to be >=1",
      "[prod] network.nodesSubnet: must lie inside network.addressSpace 10.21.0.0/16 (got 10.22.0.0/22)",
      "[prod] network.endpointsSubnet: must lie inside network.addressSpace 10.21.0.0/16 (got 10.22.4.0/24)",
      "[prod] network.runnersSubnet: must lie inside network.addressSpace 10.21.0.0/16 (got 10.22.5.0/24)",
      "[prod] storage.replication: production policy: must be geo-zone-redundant (GZRS or RAGZRS)",
    ]);
  });

  it("rejects two environments that would share a globally unique name", () => {
    const twins: EnvironmentOverrides[] = [{ name: "dev" }, { name: "dev" }];
    expect(() => validateEnvironments(twins, noSettings)).toThrow('[dev] name: name "dev" is already used by environment dev; it must be unique');
  });

  it("says how many problems there are and lists them one per line", () => {
    expect(() => validateEnvironments(environments, { imageDigest: null, overrides: { dev: { location: "West Europe" } } })).toThrow(
      "Invalid configuration (1 problem):\n  - [dev] location: must be an Azure region name such as westeurope",
    );
  });
});

describe("settings from the environment", () => {
  it("rejects a partial state backend", () => {
    expect(problemsWith({}, { TF_STATE_RESOURCE_GROUP: "rg-tfstate" })).toEqual([
      "[*] TF_STATE_RESOURCE_GROUP/TF_STATE_STORAGE_ACCOUNT/TF_STATE_CONTAINER: set all three for the azurerm state backend, or none for local state",
    ]);
  });

  it("rejects an unknown kubelogin mode and a malformed image digest", () => {
    expect(problemsWith({}, { KUBELOGIN_LOGIN_MODE: "devicecode", MLFLOW_IMAGE_DIGEST: "latest" })).toEqual([
      '[*] KUBELOGIN_LOGIN_MODE: must be one of azurecli, workloadidentity, spn (got "devicecode")',
      "[*] MLFLOW_IMAGE_DIGEST: must be sha256: followed by 64 lowercase hex digits",
    ]);
  });

  it("applies a pipeline-built image digest to every environment", () => {
    const digest = `sha256:${"a".repeat(64)}`;
    const config = loadConfig({ MLFLOW_IMAGE_DIGEST: digest });
    expect(config.environments.map((e) => e.config.mlflow.image.digest)).toEqual([digest, digest, digest]);
  });

  it("rejects overrides that are not a JSON object", () => {
    expect(() => loadConfig({ MLFLOW_CONFIG_OVERRIDES: "[1]" })).toThrow("MLFLOW_CONFIG_OVERRIDES: must be a JSON object keyed by environment name");
  });
});

describe("the tracking-server image", () => {
  it("defaults to the tag the image is built with (docker/tracking-server/VERSION)", () => {
    const version = fs.readFileSync(path.join(repoRoot, "docker/tracking-server/VERSION"), "utf8").trim();
    for (const { config } of loadConfig({}).environments) expect(config.mlflow.image.tag).toBe(version);
  });
});
