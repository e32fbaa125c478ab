import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigValidationError, loadConfig, validateEnvironments } from "../../config";
import type { EnvironmentOverrides } from "../../config/merge";
import { environments } from "../../config/environments";
import { problemsWith } from "../support/config-problems";
import { repoRoot } from "../support/project";

const noSettings = { imageDigest: null, overrides: {} };

describe("committed environments", () => {
  it("are valid, in promotion order, each with its derived Azure names", () => {
    const config = loadConfig({});
    const names = config.environments.map((e) => e.config.name);
    // config/environments is the list; another environment may follow (docs/environments.md).
    expect(names).toEqual(environments.map((e) => e.name));
    expect(names.slice(0, 3)).toEqual(["dev", "staging", "prod"]);
    expect(config.environments.find((e) => e.config.name === "prod")!.names).toMatchObject({
      resourceGroup: "rg-mlflow-prod",
      cluster: "aks-mlflow-prod",
      registry: "crmlflowprodx7k2",
      storageAccount: "stmlflowprodx7k2",
      infraStack: "infra-prod",
      mlflowStack: "mlflow-prod",
    });
  });

  it("prod is stricter than dev", () => {
    const byName = new Map(loadConfig({}).environments.map((e) => [e.config.name, e.config]));
    const [dev, prod] = [byName.get("dev"), byName.get("prod")];
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
    [
      "a storage account name over 24 characters",
      { dev: { namingPrefix: "mlflowplatform" } },
      "[dev] namingPrefix: Too big: expected string to have <=12 characters",
    ],
    [
      "a derived storage name over 24 characters",
      { staging: { namingPrefix: "mlflowplatfo", uniqueSuffix: "abcd1234" } },
      '[staging] namingPrefix/name/uniqueSuffix: derived storageAccount name "stmlflowplatfostagingabcd1234" breaks Azure\'s rule: 3-24 lowercase letters and digits (globally unique)',
    ],
    ["an upper-case naming prefix", { dev: { namingPrefix: "MLflow" } }, "[dev] namingPrefix: a lowercase letter, then lowercase letters or digits"],
    [
      "an invalid node pool name",
      { dev: { kubernetes: { userPool: { name: "ml-flow" } } } },
      "[dev] kubernetes.userPool.name: node pool names: a lowercase letter, then up to 11 lowercase letters or digits",
    ],
    ["min above max", { dev: { kubernetes: { userPool: { minCount: 5, maxCount: 3 } } } }, "[dev] kubernetes.userPool.minCount: must be <= maxCount (5 > 3)"],
    [
      "a zero node count",
      { dev: { kubernetes: { systemPool: { minCount: 0 } } } },
      "[dev] kubernetes.systemPool.minCount: Too small: expected number to be >=1",
    ],
    [
      "an invalid CIDR",
      { dev: { kubernetes: { network: { podCidr: "10.244.0.0/33" } } } },
      "[dev] kubernetes.network.podCidr: must be an IPv4 CIDR such as 10.244.0.0/16",
    ],
    [
      "overlapping CIDRs",
      { dev: { kubernetes: { network: { podCidr: "10.0.0.0/8" } } } },
      "[dev] kubernetes.network.serviceCidr: must not overlap podCidr (10.0.0.0/16 and 10.0.0.0/8)",
    ],
    [
      "a DNS IP outside the service CIDR",
      { dev: { kubernetes: { network: { dnsServiceIp: "10.1.0.10" } } } },
      "[dev] kubernetes.network.dnsServiceIp: must lie inside serviceCidr 10.0.0.0/16 (got 10.1.0.10)",
    ],
    [
      "a subnet outside the VNet",
      { dev: { network: { runnersSubnet: "10.30.5.0/24" } } },
      "[dev] network.runnersSubnet: must lie inside network.addressSpace 10.20.0.0/16 (got 10.30.5.0/24)",
    ],
    [
      "overlapping subnets",
      { dev: { network: { endpointsSubnet: "10.20.3.0/24" } } },
      "[dev] network.endpointsSubnet: must not overlap network.nodesSubnet (10.20.3.0/24 and 10.20.0.0/22)",
    ],
    [
      "a nodes subnet too small for upgrades",
      { dev: { network: { nodesSubnet: "10.20.0.0/26" } } },
      "[dev] network.nodesSubnet: must be /24 or larger: every node and every surge node during upgrades takes an address (got /26)",
    ],
    [
      "a pod range inside the VNet",
      { dev: { kubernetes: { network: { podCidr: "10.20.128.0/17" } } } },
      "[dev] kubernetes.network.podCidr: must not overlap network.addressSpace (10.20.128.0/17 and 10.20.0.0/16): traffic to it would not leave the cluster",
    ],
    [
      "an unknown runner delegation",
      { dev: { network: { runnerSubnetDelegation: "gitlab" } } },
      '[dev] network.runnerSubnetDelegation: Invalid option: expected one of "github"|"none"',
    ],
    [
      "ephemeral OS disks without encryption at host",
      { dev: { kubernetes: { hostEncryption: false } } },
      "[dev] kubernetes.hostEncryption: must be true while a node pool uses Ephemeral OS disks: the customer-managed key reaches ephemeral OS disks only through encryption at host",
    ],
    [
      "a registry SKU without network rules",
      { dev: { registry: { sku: "Basic" } } },
      "[dev] registry.sku: must be Premium (network rules need Premium: a Basic or Standard registry answers every address on the internet)",
    ],
    ["an unknown field (a typo is not ignored)", { dev: { registry: { skus: "Basic" } } }, '[dev] registry.skus: Unrecognized key: "skus"'],
    ["an unknown field", { dev: { kubernetes: { nodeCount: 3 } } }, '[dev] kubernetes.nodeCount: Unrecognized key: "nodeCount"'],
    [
      "a bad admin object id",
      { dev: { kubernetes: { clusterAdminObjectIds: ["admins"] } } },
      "[dev] kubernetes.clusterAdminObjectIds.0: must be an Entra ID object id (uuid)",
    ],
    ["a negative share quota", { prod: { storage: { fileShareQuotaGb: -1 } } }, "[prod] storage.fileShareQuotaGb: Too small: expected number to be >=1"],
    [
      "a CPU request above its limit",
      { dev: { mlflow: { trackingServer: { resources: { cpuRequest: "2", cpuLimit: "500m" } } } } },
      "[dev] mlflow.trackingServer.resources.cpuRequest: must be <= cpuLimit (2 > 500m)",
    ],
    [
      "a production cluster with local accounts",
      { prod: { kubernetes: { localAccountsEnabled: true } } },
      "[prod] kubernetes.localAccountsEnabled: production policy: must be false (Entra ID sign-in only)",
    ],
    [
      "a production registry without a replica",
      { prod: { registry: { geoReplicationLocations: [] } } },
      "[prod] registry.geoReplicationLocations: production policy: must name at least one other region",
    ],
    [
      "a replica in the registry's own region",
      { prod: { registry: { geoReplicationLocations: ["westeurope"] } } },
      "[prod] registry.geoReplicationLocations: must not include the registry's own location westeurope",
    ],
    ["a production environment without data protection", { prod: { dataProtection: false } }, "[prod] dataProtection: production policy: must be true"],
    [
      "a production cluster in one zone",
      { prod: { kubernetes: { userPool: { zones: ["1"] } } } },
      "[prod] kubernetes.userPool.zones: production policy: must span at least 2 availability zones",
    ],
    [
      "an image tag with a space",
      { dev: { mlflow: { image: { tag: "3.6 latest" } } } },
      "[dev] mlflow.image.tag: must be an image tag (letters, digits, _ . -, max 128)",
    ],
    [
      "a hostile tag value",
      { dev: { tags: { owner: '${file("/etc/passwd")}' } } },
      "[dev] tags.owner: tag values may not contain < > % & \\ ? / quotes, $, braces or control characters",
    ],
    [
      "a tag value with a control character",
      { dev: { tags: { owner: "ops\u001b[31m" } } },
      "[dev] tags.owner: tag values may not contain < > % & \\ ? / quotes, $, braces or control characters",
    ],
    [
      "a tag key that breaks Azure's rule",
      { dev: { tags: { "1st owner": "ops" } } },
      '[dev] tags.1st owner: tag key "1st owner": a letter, then letters, digits, _ . - (max 128)',
    ],
    ["a region name of 500 characters", { dev: { location: "a".repeat(500) } }, "[dev] location: Too big: expected string to have <=40 characters"],
    [
      "a prototype key in the overrides",
      JSON.parse('{"dev":{"__proto__":{"production":true}}}'),
      '[dev] MLFLOW_CONFIG_OVERRIDES: "__proto__" is not a configuration field',
    ],
    [
      "an override for an unknown environment",
      { nosuch: { production: false } },
      '[nosuch] MLFLOW_CONFIG_OVERRIDES: no environment named "nosuch" (known: dev, staging, prod',
    ],
    // Found by __tests__/config/hostile-config.test.ts: an override that is not an object, and keys or echoed values
    // that would break the one-line-per-problem output or fill the terminal.
    [
      "null as an environment's override",
      { dev: null },
      '[dev] MLFLOW_CONFIG_OVERRIDES: the override of dev must be a JSON object of fields, e.g. {"dev":{"kubernetes":{"userPool":{"maxCount":5}}}} (got null)',
    ],
    ["a list as an environment's override", { staging: ["x"] }, "[staging] MLFLOW_CONFIG_OVERRIDES: the override of staging must be a JSON object of fields"],
    ["a newline in an unknown key", { dev: { mlflow: { "a\nb": 1 } } }, '[dev] mlflow.a\\nb: Unrecognized key: "a\\nb"'],
    ["two unknown keys, each with its own path", { dev: { mlflow: { x: 1, "a.b": 2 } } }, '[dev] mlflow."a.b": Unrecognized key: "a.b"'],
    ["an empty unknown key", { dev: { "": 1 } }, '[dev] "": Unrecognized key: ""'],
    ["an empty environment name", { "": {} }, '[""] MLFLOW_CONFIG_OVERRIDES: no environment named "" (known: dev, staging, prod'],
    [
      "a replica region of 10 000 characters",
      { dev: { registry: { geoReplicationLocations: ["a1".repeat(5000)] } } },
      '[dev] registry.geoReplicationLocations.0: "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a…(9946 more)…1a1a1a1a1a1a1a1" is not an Azure region',
    ],
    [
      "a namespace YAML reads as a number",
      { dev: { mlflow: { namespace: "123" } } },
      '[dev] mlflow.namespace: "123" is read as a number by YAML 1.1 (kubectl, helm) where the chart writes it unquoted',
    ],
    [
      "a release name YAML reads as a boolean",
      { dev: { mlflow: { releaseName: "yes" } } },
      '[dev] mlflow.releaseName: "yes" is read as a boolean or null by YAML 1.1 (kubectl, helm) where the chart writes it unquoted',
    ],
    // Regions, versions and sizes Azure and AKS would refuse at deploy time.
    ["a region typo", { dev: { location: "westeuropee" } }, '[dev] location: "westeuropee" is not an Azure region; did you mean "westeurope"?'],
    [
      "a region that is no typo of any",
      { dev: { location: "atlantis" } },
      '[dev] location: "atlantis" is not an Azure region (see `az account list-locations -o table`)',
    ],
    ["a region with capitals", { dev: { location: "WestEurope" } }, "[dev] location: must be an Azure region name such as westeurope"],
    [
      "a replica region typo",
      { prod: { registry: { geoReplicationLocations: ["northeurop"] } } },
      '[prod] registry.geoReplicationLocations.0: "northeurop" is not an Azure region; did you mean "northeurope"?',
    ],
    [
      "a replica region listed twice",
      { prod: { registry: { geoReplicationLocations: ["northeurope", "northeurope"] } } },
      '[prod] registry.geoReplicationLocations.1: repeats "northeurope": each replica region once',
    ],
    [
      "zones in a region without zones",
      { dev: { location: "westus", kubernetes: { userPool: { zones: ["1"] } } } },
      "[dev] kubernetes.systemPool.zones/userPool.zones: westus has no availability zones: leave zones empty or choose a region with zones",
    ],
    [
      "zone-redundant storage in a region without zones",
      { dev: { location: "ukwest" } },
      "[dev] storage.replication: GZRS needs availability zones, which ukwest does not have: use LRS or GRS there",
    ],
    [
      "a Kubernetes version AKS no longer supports",
      { dev: { kubernetes: { version: "1.20" } } },
      "[dev] kubernetes.version: 1.20 is not a Kubernetes minor AKS supports (1.33, 1.34, 1.35, 1.36, 1.37; config/azure/kubernetes.ts)",
    ],
    ["a Kubernetes patch version", { dev: { kubernetes: { version: "1.34.2" } } }, "[dev] kubernetes.version: must be a Kubernetes minor version such as 1.34"],
    [
      "a VM size without its version separator",
      { dev: { kubernetes: { userPool: { vmSize: "Standard_D4dsv5" } } } },
      '[dev] kubernetes.userPool.vmSize: "Standard_D4dsv5" is not an Azure VM size: Standard_, a family, vCPUs, feature letters, optional _v<version> (e.g. Standard_D4ds_v5)',
    ],
    [
      "a VM family that does not exist",
      { dev: { kubernetes: { userPool: { vmSize: "Standard_Q4ds_v5" } } } },
      '[dev] kubernetes.userPool.vmSize: "Standard_Q4ds_v5": "Q" is not an Azure VM family (A, B, D, DC, DS, E, EB, EC, F, FS, FX, G, GS, H, HB, HC, HX, L, LS, M, MS, NC, ND, NG, NP, NV)',
    ],
    [
      "an ephemeral OS disk on a size without a local disk",
      { dev: { kubernetes: { userPool: { vmSize: "Standard_D4s_v5" } } } },
      '[dev] kubernetes.userPool.osDiskType: Ephemeral needs a VM size with a local disk; Standard_D4s_v5 has none (choose its "d" variant, e.g. Standard_D4ds_v5, or osDiskType Managed)',
    ],
    [
      "an Arm64 VM size",
      { dev: { kubernetes: { userPool: { vmSize: "Standard_D4pds_v5" } } } },
      "[dev] kubernetes.userPool.vmSize: Standard_D4pds_v5 is an Arm64 size: the images this project builds and runs are linux/amd64",
    ],
    [
      "a one-vCPU system pool",
      { dev: { kubernetes: { systemPool: { vmSize: "Standard_B1ms", osDiskType: "Managed" } } } },
      "[dev] kubernetes.systemPool.vmSize: Standard_B1ms has 1 vCPU: AKS system pools need at least 2",
    ],
    // Tags: Azure's count limit, reserved names, names compared without case.
    [
      "51 tags",
      { dev: { tags: Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`t${i}`, "x"])) } },
      "[dev] tags: 51 tags: Azure allows at most 50 per resource",
    ],
    [
      "a tag name with a reserved prefix",
      { dev: { tags: { "Microsoft.owner": "ops" } } },
      '[dev] tags.Microsoft.owner: tag names may not start with "microsoft" (in any case): Azure reserves azure, microsoft, windows',
    ],
    [
      "tag names that differ only in case",
      { dev: { tags: { Project: "other" } } },
      '[dev] tags.Project: repeats tag "project": Azure compares tag names without case, so one would overwrite the other',
    ],
    [
      "a reserved word in the derived names",
      { dev: { namingPrefix: "windows" } },
      '[dev] namingPrefix/name/uniqueSuffix: names containing "windows" are reserved by Azure (ReservedResourceName)',
    ],
    // Address ranges: aligned, private, apart from AKS's own and big enough.
    [
      "an address space with host bits set",
      { dev: { network: { addressSpace: "10.20.1.0/16" } } },
      "[dev] network.addressSpace: 10.20.1.0/16 has host bits set after /16: write the network address 10.20.0.0/16",
    ],
    [
      "a subnet with host bits set",
      { dev: { network: { runnersSubnet: "10.20.5.7/24" } } },
      "[dev] network.runnersSubnet: 10.20.5.7/24 has host bits set after /24: write the network address 10.20.5.0/24",
    ],
    [
      "a pod range with host bits set",
      { dev: { kubernetes: { network: { podCidr: "10.244.3.0/16" } } } },
      "[dev] kubernetes.network.podCidr: 10.244.3.0/16 has host bits set after /16: write the network address 10.244.0.0/16",
    ],
    [
      "a public address space",
      { dev: { network: { addressSpace: "20.20.0.0/16", nodesSubnet: "20.20.0.0/22", endpointsSubnet: "20.20.4.0/24", runnersSubnet: "20.20.5.0/24" } } },
      "[dev] network.addressSpace: 20.20.0.0/16 is not private address space (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10): it would hide the public addresses it covers",
    ],
    [
      "a pod range AKS reserves",
      { dev: { kubernetes: { network: { podCidr: "172.30.0.0/16" } } } },
      "[dev] kubernetes.network.podCidr: must not overlap 172.30.0.0/16, which AKS reserves (got 172.30.0.0/16)",
    ],
    [
      "a service range larger than /12",
      { dev: { kubernetes: { network: { serviceCidr: "100.64.0.0/11", dnsServiceIp: "100.64.0.10" } } } },
      "[dev] kubernetes.network.serviceCidr: must be /12 or smaller: AKS refuses a larger service range (got 100.64.0.0/11)",
    ],
    [
      "the DNS service on the broadcast address",
      { dev: { kubernetes: { network: { dnsServiceIp: "10.0.255.255" } } } },
      "[dev] kubernetes.network.dnsServiceIp: must not be the broadcast address of 10.0.0.0/16",
    ],
    [
      "a subnet smaller than Azure allows",
      { dev: { network: { runnersSubnet: "10.20.5.0/30" } } },
      "[dev] network.runnersSubnet: must be /29 or larger: Azure's smallest subnet (got 10.20.5.0/30)",
    ],
    [
      "a pod range too small for the node count",
      { dev: { kubernetes: { network: { podCidr: "10.244.0.0/22" } } } },
      "[dev] kubernetes.network.podCidr: 10.244.0.0/22 holds 4 node block(s) of /24, but the pools reach 8 nodes with upgrade surge (maxCount + 33%): use /21 or larger",
    ],
    [
      "a nodes subnet too small for the node count",
      { dev: { network: { nodesSubnet: "10.20.0.0/24" }, kubernetes: { userPool: { maxCount: 200 } } } },
      "[dev] network.nodesSubnet: 10.20.0.0/24 has 251 usable addresses, but the pools reach 270 nodes with upgrade surge",
    ],
    [
      "an address space identical to another environment's",
      { staging: { network: { addressSpace: "10.20.0.0/16", nodesSubnet: "10.20.0.0/22", endpointsSubnet: "10.20.4.0/24", runnersSubnet: "10.20.5.0/24" } } },
      "[staging] network.addressSpace: 10.20.0.0/16 is the same address space as environment dev's 10.20.0.0/16: each environment needs its own range",
    ],
    [
      "an address space overlapping another environment's",
      { staging: { network: { addressSpace: "10.20.0.0/15" } } },
      "[staging] network.addressSpace: 10.20.0.0/15 overlaps environment dev's 10.20.0.0/16: each environment needs its own range",
    ],
    // Storage: a share the account can hold.
    [
      "a share quota above the account's limit",
      { dev: { storage: { fileShareQuotaGb: 10240 } } },
      "[dev] storage.fileShareQuotaGb: 10240 GiB is more than a share of the project's Standard storage account holds (at most 5120 GiB without large file shares)",
    ],
    // The MLflow release: quantities, names the chart accepts, its own namespace.
    [
      "a zero CPU limit",
      { dev: { mlflow: { trackingServer: { resources: { cpuRequest: "0", cpuLimit: "0" } } } } },
      "[dev] mlflow.trackingServer.resources.cpuLimit: must be more than zero (got 0): a zero limit stops the container",
    ],
    [
      "a zero CPU request",
      { dev: { mlflow: { trackingServer: { resources: { cpuRequest: "0m" } } } } },
      "[dev] mlflow.trackingServer.resources.cpuRequest: must be more than zero (got 0m): a zero request schedules it anywhere",
    ],
    [
      "a zero memory limit",
      { dev: { mlflow: { mysql: { resources: { memoryRequest: "0Mi", memoryLimit: "0Mi" } } } } },
      "[dev] mlflow.mysql.resources.memoryLimit: must be more than zero (got 0Mi)",
    ],
    [
      "a memory request above its limit",
      { dev: { mlflow: { mysql: { resources: { memoryRequest: "2Gi" } } } } },
      "[dev] mlflow.mysql.resources.memoryRequest: must be <= memoryLimit (2Gi > 1Gi)",
    ],
    [
      "a fraction of a millicore",
      { dev: { mlflow: { trackingServer: { resources: { cpuRequest: "0.5m" } } } } },
      "[dev] mlflow.trackingServer.resources.cpuRequest: Kubernetes counts CPU in whole millicores (got 0.5m)",
    ],
    [
      "a CPU request no node can hold",
      { dev: { mlflow: { trackingServer: { resources: { cpuRequest: "8", cpuLimit: "8" } } } } },
      "[dev] mlflow.trackingServer.resources.cpuRequest: 8 does not fit on a user pool node of 4 vCPUs (part of each node is reserved for the system): the pod would never be scheduled",
    ],
    [
      "more replicas than the chart allows",
      { dev: { mlflow: { trackingServer: { replicas: 21 } } } },
      "[dev] mlflow.trackingServer.replicas: the chart allows at most 20 replicas (trackingServer.replicas in values.schema.json)",
    ],
    [
      "more workers than the chart allows",
      { dev: { mlflow: { trackingServer: { workers: 33 } } } },
      "[dev] mlflow.trackingServer.workers: the chart allows at most 32 workers (trackingServer.workers in values.schema.json)",
    ],
    [
      "the kube-system namespace",
      { dev: { mlflow: { namespace: "kube-system" } } },
      '[dev] mlflow.namespace: "kube-system" is a system namespace (Kubernetes or an AKS add-on owns it; kube-* and default, kube-system, kube-public, kube-node-lease, ...): choose a namespace of MLflow\'s own',
    ],
    ["the default namespace", { dev: { mlflow: { namespace: "default" } } }, '[dev] mlflow.namespace: "default" is a system namespace'],
    ["an AKS add-on's namespace", { dev: { mlflow: { namespace: "gatekeeper-system" } } }, '[dev] mlflow.namespace: "gatekeeper-system" is a system namespace'],
    ["a kube- namespace", { dev: { mlflow: { namespace: "kube-mlflow" } } }, '[dev] mlflow.namespace: "kube-mlflow" is a system namespace'],
    [
      "the mutable latest tag",
      { dev: { mlflow: { image: { tag: "latest" } } } },
      '[dev] mlflow.image.tag: "latest" moves: pin a release tag (docker/tracking-server/VERSION) or set a digest',
    ],
    // Lists and overrides.
    [
      "an admin listed twice",
      { dev: { kubernetes: { clusterAdminObjectIds: ["3f2504e0-4f89-41d3-9a0c-0305e82c3301", "3f2504e0-4f89-41d3-9a0c-0305e82c3301"] } } },
      "[dev] kubernetes.clusterAdminObjectIds.1: repeats entry 0 (3f2504e0-4f89-41d3-9a0c-0305e82c3301): list each admin once",
    ],
    [
      "an admin listed twice in different case",
      { dev: { kubernetes: { clusterAdminObjectIds: ["7c9e6679-7425-40de-944b-e07fc1f90ae7", "7C9E6679-7425-40DE-944B-E07FC1F90AE7"] } } },
      "[dev] kubernetes.clusterAdminObjectIds.1: repeats entry 0 (7C9E6679-7425-40DE-944B-E07FC1F90AE7): list each admin once",
    ],
    [
      "a zone-redundant registry in a region without zones",
      { dev: { location: "northcentralus" } },
      "[dev] registry.zoneRedundancy: needs availability zones, which northcentralus does not have: set it to false there",
    ],
    [
      "an ephemeral OS disk larger than the local disk",
      { dev: { kubernetes: { systemPool: { osDiskSizeGb: 128 } } } },
      "[dev] kubernetes.systemPool.osDiskSizeGb: an Ephemeral OS disk of 128 GB does not fit the 75 GiB local disk of Standard_D2ds_v5: make it smaller or choose a larger size",
    ],
    [
      "an override that lifts the production policy",
      { prod: { production: false } },
      "[prod] production: an override cannot lift the production policy of an environment committed as production",
    ],
    [
      "an image repository that names another registry",
      { dev: { mlflow: { image: { repository: "docker.io/library/mlflow" } } } },
      '[dev] mlflow.image.repository: "docker.io/library/mlflow" names a registry (docker.io): the image is pulled from the environment\'s own registry, so give only the path inside it, e.g. mlflow-tracking-server',
    ],
    [
      "node-image upgrades with another node OS channel",
      { dev: { kubernetes: { automaticUpgradeChannel: "node-image", nodeOsUpgradeChannel: "SecurityPatch" } } },
      "[dev] kubernetes.nodeOsUpgradeChannel: must be NodeImage while automaticUpgradeChannel is node-image: AKS refuses any other pairing (got SecurityPatch)",
    ],
    [
      "an override that renames an environment",
      { dev: { name: "qa" } },
      '[dev] name: an override cannot rename an environment (got "qa"): rename it in config/environments/ (docs/environments.md)',
    ],
    // Hostile text: quotes, template and interpolation syntax, newlines, unicode. Each is refused with the field and
    // the rule here; __tests__/security/bad-input.test.ts proves the same refusal through the real synth, once per way in.
    ["unicode in the naming prefix", { dev: { namingPrefix: "mlflöw" } }, "[dev] namingPrefix: a lowercase letter, then lowercase letters or digits"],
    ["Helm template syntax in a tag value", { dev: { tags: { team: "{{ .Values.registry.password }}" } } }, "[dev] tags.team: tag values may not contain"],
    ["a very long tag value", { dev: { tags: { note: "x".repeat(300) } } }, "[dev] tags.note: Too big: expected string to have <=256 characters"],
    ["Terraform interpolation as the namespace", { dev: { mlflow: { namespace: "${path.root}" } } }, "[dev] mlflow.namespace: must be a DNS-1123 label"],
    ["a newline in the image tag", { dev: { mlflow: { image: { tag: "3.6.0\nlatest" } } } }, "[dev] mlflow.image.tag: must be an image tag"],
    [
      "template syntax as the image repository",
      { dev: { mlflow: { image: { repository: "{{ evil }}" } } } },
      "[dev] mlflow.image.repository: must be a repository path",
    ],
    [
      "a quote and SQL in the share name",
      { dev: { storage: { fileShareName: "projects'; drop" } } },
      "[dev] storage.fileShareName: share names: 3-63 lowercase letters",
    ],
    ["interpolation in the unique suffix", { dev: { uniqueSuffix: "x7${}" } }, "[dev] uniqueSuffix: 0-8 lowercase letters or digits"],
    ["a newline in a subnet range", { dev: { network: { runnersSubnet: "10.20.5.0/24\n" } } }, "[dev] network.runnersSubnet: must be an IPv4 CIDR"],
    [
      "a pod range in the link-local block AKS reserves",
      { dev: { kubernetes: { network: { podCidr: "169.254.0.0/16" } } } },
      "[dev] kubernetes.network.podCidr: must not overlap 169.254.0.0/16, which AKS reserves",
    ],
  ])("rejects %s", (_what, overrides, expected) => {
    expect(problemsWith(overrides)).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
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

describe("limits shared with the chart", () => {
  const schema = JSON.parse(fs.readFileSync(path.join(repoRoot, "helm_charts/mlflow_setup/values.schema.json"), "utf8"));
  const releaseMax = Math.min(schema.properties.fullnameOverride.maxLength, 53);

  it("accept the longest release name the chart's schema accepts and refuse one more character", () => {
    expect(problemsWith({ dev: { mlflow: { releaseName: "r".repeat(releaseMax) } } })).toEqual([]);
    expect(problemsWith({ dev: { mlflow: { releaseName: "r".repeat(releaseMax + 1) } } })).toContain(
      `[dev] mlflow.releaseName: must be a DNS-1123 label of at most ${releaseMax} characters (the chart's fullnameOverride limit)`,
    );
  });

  it("take the tracking server's replica and worker bounds from the chart's schema", () => {
    const { replicas, workers } = schema.properties.trackingServer.properties;
    expect(problemsWith({ dev: { mlflow: { trackingServer: { replicas: replicas.maximum, workers: workers.maximum } } } })).toEqual([]);
    expect(problemsWith({ dev: { mlflow: { trackingServer: { replicas: replicas.maximum + 1 } } } })).toContain(
      `[dev] mlflow.trackingServer.replicas: the chart allows at most ${replicas.maximum} replicas (trackingServer.replicas in values.schema.json)`,
    );
  });
});

describe("across environments", () => {
  it("refuses a new environment that keeps the default address space of dev", () => {
    expect(() => validateEnvironments([...environments, { name: "uat" }], noSettings)).toThrow(
      "[uat] network.addressSpace: 10.20.0.0/16 is the same address space as environment dev's 10.20.0.0/16: each environment needs its own range",
    );
  });

  it("accepts a new environment with its own address space", () => {
    const uat: EnvironmentOverrides = {
      name: "uat",
      network: { addressSpace: "10.99.0.0/16", nodesSubnet: "10.99.0.0/22", endpointsSubnet: "10.99.4.0/24", runnersSubnet: "10.99.5.0/24" },
    };
    const stacks = validateEnvironments([...environments, uat], noSettings).map((e) => e.names.infraStack);
    expect(stacks).toEqual([...environments.map((e) => `infra-${e.name}`), "infra-uat"]);
  });
});

describe("settings from the environment", () => {
  it("rejects a partial state backend", () => {
    expect(problemsWith({}, { TF_STATE_RESOURCE_GROUP: "rg-tfstate" })).toEqual([
      "[*] TF_STATE_RESOURCE_GROUP/TF_STATE_STORAGE_ACCOUNT/TF_STATE_CONTAINER: set all three for the azurerm state backend, or none for local state",
    ]);
  });

  it("rejects state backend names Azure refuses", () => {
    expect(problemsWith({}, { TF_STATE_RESOURCE_GROUP: "rg-tfstate.", TF_STATE_STORAGE_ACCOUNT: "sttfstate", TF_STATE_CONTAINER: "TF--State" })).toEqual([
      "[*] TF_STATE_CONTAINER: must be 3-63 lowercase letters, digits and single hyphens, starting and ending alphanumeric",
      "[*] TF_STATE_RESOURCE_GROUP: must be 1-90 letters, digits, - _ . ( ), not ending in .",
    ]);
  });

  it("rejects command substitution in a state backend name", () => {
    expect(problemsWith({}, { TF_STATE_RESOURCE_GROUP: "rg-$(id)", TF_STATE_STORAGE_ACCOUNT: "sttfstate", TF_STATE_CONTAINER: "tfstate" })).toEqual([
      "[*] TF_STATE_RESOURCE_GROUP: must be 1-90 letters, digits, - _ . ( ), not ending in .",
    ]);
  });

  it("echoes a hostile value escaped, on the one line of its problem", () => {
    // Found by __tests__/config/hostile-config.test.ts: the value could forge a problem line or hide text (RTL override).
    const error = (() => {
      try {
        loadConfig({ KUBELOGIN_LOGIN_MODE: "x\n  - [prod] name: forged\u202e" });
      } catch (e) {
        return e as Error;
      }
      throw new Error("accepted");
    })();
    expect(error.message).toBe(
      'Invalid configuration (1 problem):\n  - [*] KUBELOGIN_LOGIN_MODE: must be one of azurecli, workloadidentity, spn (got "x\\n  - [prod] name: forged\\u202e")',
    );
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
    expect(config.environments.map((e) => e.config.mlflow.image.digest)).toEqual(environments.map(() => digest));
  });

  it("names an override nested 100 000 deep by its kind, without printing it", () => {
    const deepList = `{"dev":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    expect(() => loadConfig({ MLFLOW_CONFIG_OVERRIDES: deepList })).toThrow(
      '[dev] MLFLOW_CONFIG_OVERRIDES: the override of dev must be a JSON object of fields, e.g. {"dev":{"kubernetes":{"userPool":{"maxCount":5}}}} (got a list)',
    );
    const deepName = `{"dev":{"name":${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}}}`;
    expect(() => loadConfig({ MLFLOW_CONFIG_OVERRIDES: deepName })).toThrow("[dev] name: an override cannot rename an environment (got an object)");
  });

  it("lists the first 50 of thousands of problems and counts the rest", () => {
    const keys = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, 1]));
    let error: ConfigValidationError | undefined;
    try {
      loadConfig({ MLFLOW_CONFIG_OVERRIDES: JSON.stringify({ dev: keys }) });
    } catch (e) {
      error = e as ConfigValidationError;
    }
    const lines = error!.message.split("\n");
    expect(lines[0]).toBe("Invalid configuration (5000 problems):");
    expect(lines.slice(1, 51).every((line) => /^ {2}- \[dev\] k\d+: Unrecognized key: "k\d+"$/.test(line))).toBe(true);
    expect(lines.slice(51)).toEqual(["  … and 4950 more (fix these first; the error's problems list has them all)"]);
    expect(error!.problems).toHaveLength(5000);
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
