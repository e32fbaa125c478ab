import { checkAccess } from "./access-rules";
import type { ConfigProblem } from "./errors";
import { nameRules, resourceNames } from "./naming";
import { cidrContains, cidrInside, cidrRange, cidrsOverlap, cpuMillis, memoryMi } from "./network";
import type { EnvironmentConfig, ResourcesConfig } from "./schema";

type Report = (field: string, message: string) => void;

/** Rules that span fields of one schema-valid environment. */
export function environmentProblems(env: EnvironmentConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const report: Report = (field, message) => problems.push({ environment: env.name, field, message });

  checkDerivedNames(env, report);
  checkNodePools(env, report);
  checkDiskEncryption(env, report);
  checkNetwork(env, report);
  checkAccess(env, report);
  checkRegistry(env, report);
  checkStorage(env, report);
  checkResources("mlflow.trackingServer.resources", env.mlflow.trackingServer.resources, report);
  checkResources("mlflow.mysql.resources", env.mlflow.mysql.resources, report);
  if (env.production) checkProductionPolicy(env, report);
  return problems;
}

/** Rules across environments: names that must differ between them. */
export function crossEnvironmentProblems(envs: EnvironmentConfig[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seen = new Map<string, string>();
  for (const env of envs) {
    const names = resourceNames(env);
    for (const [what, value] of [["name", env.name], ["registry name", names.registry], ["storage account name", names.storageAccount], ["key vault name", names.keyVault]] as const) {
      const key = `${what}:${value}`;
      const first = seen.get(key);
      if (first) {
        problems.push({ environment: env.name, field: what === "name" ? "name" : "namingPrefix/uniqueSuffix", message: `${what} "${value}" is already used by environment ${first}; it must be unique` });
      } else {
        seen.set(key, env.name);
      }
    }
  }
  return problems;
}

function checkDerivedNames(env: EnvironmentConfig, report: Report): void {
  const names = resourceNames(env);
  for (const key of Object.keys(nameRules) as (keyof typeof nameRules)[]) {
    const { pattern, rule } = nameRules[key];
    if (!pattern.test(names[key])) {
      report("namingPrefix/name/uniqueSuffix", `derived ${key} name "${names[key]}" breaks Azure's rule: ${rule}`);
    }
  }
}

function checkNodePools(env: EnvironmentConfig, report: Report): void {
  const { systemPool, userPool } = env.kubernetes;
  for (const [field, pool] of [["kubernetes.systemPool", systemPool], ["kubernetes.userPool", userPool]] as const) {
    if (pool.minCount > pool.maxCount) {
      report(`${field}.minCount`, `must be <= maxCount (${pool.minCount} > ${pool.maxCount})`);
    }
    if (new Set(pool.zones).size !== pool.zones.length) {
      report(`${field}.zones`, `must not repeat a zone (${pool.zones.join(", ")})`);
    }
  }
  if (systemPool.name === userPool.name) {
    report("kubernetes.userPool.name", `must differ from the system pool's name "${systemPool.name}"`);
  }
}

/** Node disks are encrypted with the environment's customer-managed key; ephemeral OS disks only get it through the host. */
function checkDiskEncryption(env: EnvironmentConfig, report: Report): void {
  const { hostEncryption, systemPool, userPool } = env.kubernetes;
  const ephemeral = [systemPool, userPool].some((pool) => pool.osDiskType === "Ephemeral");
  if (ephemeral && !hostEncryption) {
    report("kubernetes.hostEncryption", "must be true while a node pool uses Ephemeral OS disks: the customer-managed key reaches ephemeral OS disks only through encryption at host");
  }
}

function checkNetwork(env: EnvironmentConfig, report: Report): void {
  const { podCidr, serviceCidr, dnsServiceIp } = env.kubernetes.network;
  if (cidrsOverlap(podCidr, serviceCidr)) {
    report("kubernetes.network.serviceCidr", `must not overlap podCidr (${serviceCidr} and ${podCidr})`);
  }
  if (!cidrContains(serviceCidr, dnsServiceIp)) {
    report("kubernetes.network.dnsServiceIp", `must lie inside serviceCidr ${serviceCidr} (got ${dnsServiceIp})`);
  } else {
    const { first } = cidrRange(serviceCidr);
    const offset = dnsServiceIp.split(".").reduce((acc, o) => acc * 256 + Number(o), 0) - first;
    if (offset <= 1) {
      report("kubernetes.network.dnsServiceIp", `must not be the network address or the first address of ${serviceCidr}, which the API server takes`);
    }
  }
  checkVirtualNetwork(env, report);
}

/** The VNet's subnets sit inside its address space, apart from each other and from the cluster's overlay ranges. */
function checkVirtualNetwork(env: EnvironmentConfig, report: Report): void {
  const { addressSpace, nodesSubnet, endpointsSubnet, runnersSubnet } = env.network;
  const ranges = Object.entries({ nodesSubnet, endpointsSubnet, runnersSubnet });
  ranges.forEach(([field, subnet], index) => {
    if (!cidrInside(addressSpace, subnet)) {
      report(`network.${field}`, `must lie inside network.addressSpace ${addressSpace} (got ${subnet})`);
    }
    for (const [otherField, other] of ranges.slice(index + 1)) {
      if (cidrsOverlap(subnet, other)) report(`network.${otherField}`, `must not overlap network.${field} (${other} and ${subnet})`);
    }
  });
  const prefix = Number(nodesSubnet.split("/")[1]);
  if (prefix > 24) {
    report("network.nodesSubnet", `must be /24 or larger: every node and every surge node during upgrades takes an address (got /${prefix})`);
  }
  const { podCidr, serviceCidr } = env.kubernetes.network;
  for (const [field, range] of [["podCidr", podCidr], ["serviceCidr", serviceCidr]] as const) {
    if (cidrsOverlap(addressSpace, range)) {
      report(`kubernetes.network.${field}`, `must not overlap network.addressSpace (${range} and ${addressSpace}): traffic to it would not leave the cluster`);
    }
  }
}

function checkRegistry(env: EnvironmentConfig, report: Report): void {
  if (env.registry.geoReplicationLocations.includes(env.location)) {
    report("registry.geoReplicationLocations", `must not include the registry's own location ${env.location}`);
  }
}

function checkStorage(env: EnvironmentConfig, report: Report): void {
  if (env.storage.backupContainerName === env.storage.artifactContainerName) {
    report("storage.backupContainerName", "must differ from artifactContainerName: every MLflow user reaches the artifact container through the server");
  }
}

function checkResources(field: string, r: ResourcesConfig, report: Report): void {
  if (cpuMillis(r.cpuRequest) > cpuMillis(r.cpuLimit)) {
    report(`${field}.cpuRequest`, `must be <= cpuLimit (${r.cpuRequest} > ${r.cpuLimit})`);
  }
  if (memoryMi(r.memoryRequest) > memoryMi(r.memoryLimit)) {
    report(`${field}.memoryRequest`, `must be <= memoryLimit (${r.memoryRequest} > ${r.memoryLimit})`);
  }
}

/** What makes an environment fit for production; each line is a rule of the policy. */
function checkProductionPolicy(env: EnvironmentConfig, report: Report): void {
  const k = env.kubernetes;
  const rule = (ok: boolean, field: string, message: string) => ok || report(field, `production policy: ${message}`);
  rule(k.skuTier !== "Free", "kubernetes.skuTier", "must be Standard or Premium (uptime SLA)");
  rule(!k.localAccountsEnabled, "kubernetes.localAccountsEnabled", "must be false (Entra ID sign-in only)");
  rule(k.systemPool.onlyCriticalAddons, "kubernetes.systemPool.onlyCriticalAddons", "must be true (workloads stay off the system pool)");
  rule(k.systemPool.minCount >= 2, "kubernetes.systemPool.minCount", "must be at least 2");
  rule(k.systemPool.zones.length >= 2, "kubernetes.systemPool.zones", "must span at least 2 availability zones");
  rule(k.userPool.zones.length >= 2, "kubernetes.userPool.zones", "must span at least 2 availability zones");
  rule(env.dataProtection, "dataProtection", "must be true");
  rule(env.registry.geoReplicationLocations.length > 0, "registry.geoReplicationLocations", "must name at least one other region");
  rule(k.hostEncryption, "kubernetes.hostEncryption", "must be true");
  rule(["GZRS", "RAGZRS"].includes(env.storage.replication), "storage.replication", "must be geo-zone-redundant (GZRS or RAGZRS)");
  rule(env.storage.softDeleteDays >= 14, "storage.softDeleteDays", "must be at least 14");
  rule(env.mlflow.trackingServer.replicas >= 2, "mlflow.trackingServer.replicas", "must be at least 2");
}
