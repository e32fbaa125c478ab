import { SUPPORTED_KUBERNETES_MINORS, SYSTEM_POOL_MIN_VCPUS } from "./azure/kubernetes";
import { hasAvailabilityZones, isRegion, unknownRegionMessage } from "./azure/regions";
import { hasLocalDisk, isArm, localDiskGib, parseVmSize } from "./azure/vm-size";
import type { Report } from "./errors";
import type { EnvironmentConfig } from "./schema";

/** Regions, the Kubernetes version and the node pools' sizes: what Azure and AKS would refuse at deploy time. */
export function checkPlatform(env: EnvironmentConfig, report: Report): void {
  checkRegions(env, report);
  const { version } = env.kubernetes;
  if (!(SUPPORTED_KUBERNETES_MINORS as readonly string[]).includes(version)) {
    report("kubernetes.version", `${version} is not a Kubernetes minor AKS supports (${SUPPORTED_KUBERNETES_MINORS.join(", ")}; config/azure/kubernetes.ts)`);
  }
  if (env.kubernetes.automaticUpgradeChannel === "node-image" && env.kubernetes.nodeOsUpgradeChannel !== "NodeImage") {
    report(
      "kubernetes.nodeOsUpgradeChannel",
      `must be NodeImage while automaticUpgradeChannel is node-image: AKS refuses any other pairing (got ${env.kubernetes.nodeOsUpgradeChannel})`,
    );
  }
  checkPoolSizes(env, report);
}

function checkRegions(env: EnvironmentConfig, report: Report): void {
  if (!isRegion(env.location)) report("location", unknownRegionMessage(env.location));
  const replicas = env.registry.geoReplicationLocations;
  replicas.forEach((region, index) => {
    if (!isRegion(region)) report(`registry.geoReplicationLocations.${index}`, unknownRegionMessage(region));
    if (replicas.indexOf(region) !== index) report(`registry.geoReplicationLocations.${index}`, `repeats "${region}": each replica region once`);
  });
  const zonesWanted = [env.kubernetes.systemPool, env.kubernetes.userPool].some((pool) => pool.zones.length > 0);
  if (isRegion(env.location) && !hasAvailabilityZones(env.location)) {
    if (zonesWanted)
      report("kubernetes.systemPool.zones/userPool.zones", `${env.location} has no availability zones: leave zones empty or choose a region with zones`);
    if (env.registry.zoneRedundancy) {
      report("registry.zoneRedundancy", `needs availability zones, which ${env.location} does not have: set it to false there`);
    }
    if (["ZRS", "GZRS", "RAGZRS"].includes(env.storage.replication)) {
      report("storage.replication", `${env.storage.replication} needs availability zones, which ${env.location} does not have: use LRS or GRS there`);
    }
  }
}

function checkPoolSizes(env: EnvironmentConfig, report: Report): void {
  const pools = [
    ["kubernetes.systemPool", env.kubernetes.systemPool],
    ["kubernetes.userPool", env.kubernetes.userPool],
  ] as const;
  for (const [field, pool] of pools) {
    const size = parseVmSize(pool.vmSize);
    if ("error" in size) {
      report(`${field}.vmSize`, size.error);
      continue;
    }
    if (pool.osDiskType === "Ephemeral" && !hasLocalDisk(size)) {
      report(
        `${field}.osDiskType`,
        `Ephemeral needs a VM size with a local disk; ${pool.vmSize} has none (choose its "d" variant, e.g. ${withLocalDisk(pool.vmSize)}, or osDiskType Managed)`,
      );
    }
    const localDisk = localDiskGib(size);
    if (pool.osDiskType === "Ephemeral" && localDisk !== null && pool.osDiskSizeGb > localDisk) {
      report(
        `${field}.osDiskSizeGb`,
        `an Ephemeral OS disk of ${pool.osDiskSizeGb} GB does not fit the ${localDisk} GiB local disk of ${pool.vmSize}: make it smaller or choose a larger size`,
      );
    }
    if (isArm(size)) {
      report(`${field}.vmSize`, `${pool.vmSize} is an Arm64 size: the images this project builds and runs are linux/amd64`);
    }
    if (field === "kubernetes.systemPool" && size.vcpus < SYSTEM_POOL_MIN_VCPUS) {
      report(`${field}.vmSize`, `${pool.vmSize} has ${size.vcpus} vCPU: AKS system pools need at least ${SYSTEM_POOL_MIN_VCPUS}`);
    }
  }
}

/** vCPUs of the user pool's VM size, where MLflow runs, or null when the size is not readable. */
export function userPoolVcpus(env: EnvironmentConfig): number | null {
  const size = parseVmSize(env.kubernetes.userPool.vmSize);
  return "error" in size ? null : size.vcpus;
}

function withLocalDisk(vmSize: string): string {
  return vmSize.replace(
    /^(Standard_[A-Z]+\d+(?:-\d+)?)([a-z]*)/,
    (_, head: string, features: string) => `${head}${features.includes("s") ? features.replace("s", "ds") : `${features}d`}`,
  );
}
