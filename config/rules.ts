import { checkAccess } from "./access-rules";
import { FILE_SHARE_QUOTA_GIB, PROJECT_FILE_SHARE_TIER, RESERVED_NAME_WORDS } from "./azure/limits";
import type { ConfigProblem, Report } from "./errors";
import { checkFrontDoor } from "./front-door-rules";
import { nameRules, resourceNames } from "./naming";
import { addressSpaceOverlaps, checkNetwork } from "./network-rules";
import { checkPlatform } from "./platform-rules";
import { checkRelease } from "./release-rules";
import type { EnvironmentConfig } from "./schema";
import { checkTags } from "./tag-rules";

/** Rules that span fields of one schema-valid environment. */
export function environmentProblems(env: EnvironmentConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const report: Report = (field, message) => problems.push({ environment: env.name, field, message });

  checkDerivedNames(env, report);
  checkTags(env.tags, report);
  checkPlatform(env, report);
  checkNodePools(env, report);
  checkAdmins(env, report);
  checkDiskEncryption(env, report);
  checkNetwork(env, report);
  checkAccess(env, report);
  checkRegistry(env, report);
  checkStorage(env, report);
  checkRelease(env, report);
  checkFrontDoor(env, report);
  if (env.production) checkProductionPolicy(env, report);
  return problems;
}

/** Rules across environments: names that must differ between them, and address spaces that must not overlap. */
export function crossEnvironmentProblems(envs: EnvironmentConfig[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seen = new Map<string, string>();
  for (const env of envs) {
    const names = resourceNames(env);
    for (const [what, value] of [
      ["name", env.name],
      ["registry name", names.registry],
      ["storage account name", names.storageAccount],
      ["key vault name", names.keyVault],
    ] as const) {
      const key = `${what}:${value}`;
      const first = seen.get(key);
      if (first) {
        problems.push({
          environment: env.name,
          field: what === "name" ? "name" : "namingPrefix/uniqueSuffix",
          message: `${what} "${value}" is already used by environment ${first}; it must be unique`,
        });
      } else {
        seen.set(key, env.name);
      }
    }
  }
  problems.push(...addressSpaceOverlaps(envs));
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
  for (const word of RESERVED_NAME_WORDS) {
    if (`${env.namingPrefix}${env.name}${env.uniqueSuffix}`.includes(word)) {
      report("namingPrefix/name/uniqueSuffix", `names containing "${word}" are reserved by Azure (ReservedResourceName)`);
    }
  }
}

/** Each admin once: a repeated object id would be granted twice, and Azure refuses the second identical assignment. */
function checkAdmins(env: EnvironmentConfig, report: Report): void {
  const seen = new Map<string, number>();
  env.kubernetes.clusterAdminObjectIds.forEach((id, index) => {
    const first = seen.get(id.toLowerCase());
    if (first !== undefined) report(`kubernetes.clusterAdminObjectIds.${index}`, `repeats entry ${first} (${id}): list each admin once`);
    else seen.set(id.toLowerCase(), index);
  });
}

function checkNodePools(env: EnvironmentConfig, report: Report): void {
  const { systemPool, userPool } = env.kubernetes;
  for (const [field, pool] of [
    ["kubernetes.systemPool", systemPool],
    ["kubernetes.userPool", userPool],
  ] as const) {
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
    report(
      "kubernetes.hostEncryption",
      "must be true while a node pool uses Ephemeral OS disks: the customer-managed key reaches ephemeral OS disks only through encryption at host",
    );
  }
}

function checkRegistry(env: EnvironmentConfig, report: Report): void {
  if (env.registry.geoReplicationLocations.includes(env.location)) {
    report("registry.geoReplicationLocations", `must not include the registry's own location ${env.location}`);
  }
}

function checkStorage(env: EnvironmentConfig, report: Report): void {
  const quota = FILE_SHARE_QUOTA_GIB[PROJECT_FILE_SHARE_TIER];
  if (env.storage.fileShareQuotaGb > quota.max) {
    report(
      "storage.fileShareQuotaGb",
      `${env.storage.fileShareQuotaGb} GiB is more than a share of the project's ${PROJECT_FILE_SHARE_TIER} storage account holds (at most ${quota.max} GiB without large file shares)`,
    );
  }
  if (env.storage.backupContainerName === env.storage.artifactContainerName) {
    report("storage.backupContainerName", "must differ from artifactContainerName: every MLflow user reaches the artifact container through the server");
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
  rule(!env.frontDoor.enabled || env.frontDoor.proxyImage.digest !== null, "frontDoor.proxyImage.digest", "must pin the oauth2-proxy image by digest");
}
