import { AKS_RESERVED_RANGES, LARGEST_SERVICE_CIDR_PREFIX, OVERLAY_NODE_PREFIX, UPGRADE_SURGE_PERCENT } from "./azure/kubernetes";
import { ADDRESSES_AZURE_KEEPS_PER_SUBNET, SMALLEST_SUBNET_PREFIX } from "./azure/limits";
import type { Report } from "./errors";
import {
  canonicalCidr,
  cidrAligned,
  cidrContains,
  cidrInside,
  cidrPrivate,
  cidrRange,
  cidrSize,
  cidrsOverlap,
  ipToInt,
  prefixLength,
  PRIVATE_RANGES,
} from "./network";
import type { EnvironmentConfig } from "./schema";

/** Every address range of one environment: its VNet, subnets and the cluster's overlay ranges. */
export function checkNetwork(env: EnvironmentConfig, report: Report): void {
  const ranges = {
    "network.addressSpace": env.network.addressSpace,
    "network.nodesSubnet": env.network.nodesSubnet,
    "network.endpointsSubnet": env.network.endpointsSubnet,
    "network.runnersSubnet": env.network.runnersSubnet,
    "kubernetes.network.podCidr": env.kubernetes.network.podCidr,
    "kubernetes.network.serviceCidr": env.kubernetes.network.serviceCidr,
  };
  for (const [field, cidr] of Object.entries(ranges)) {
    if (!cidrAligned(cidr)) {
      report(field, `${cidr} has host bits set after /${prefixLength(cidr)}: write the network address ${canonicalCidr(cidr)}`);
    }
    if (!cidrPrivate(cidr)) {
      report(field, `${cidr} is not private address space (${PRIVATE_RANGES.join(", ")}): it would hide the public addresses it covers`);
    }
  }
  checkClusterRanges(env, report);
  checkVirtualNetwork(env, report);
  checkCapacity(env, report);
}

function checkClusterRanges(env: EnvironmentConfig, report: Report): void {
  const { podCidr, serviceCidr, dnsServiceIp } = env.kubernetes.network;
  if (cidrsOverlap(podCidr, serviceCidr)) {
    report("kubernetes.network.serviceCidr", `must not overlap podCidr (${serviceCidr} and ${podCidr})`);
  }
  for (const [field, range] of [
    ["podCidr", podCidr],
    ["serviceCidr", serviceCidr],
  ] as const) {
    for (const reserved of AKS_RESERVED_RANGES.filter((r) => cidrsOverlap(r, range))) {
      report(`kubernetes.network.${field}`, `must not overlap ${reserved}, which AKS reserves (got ${range})`);
    }
  }
  if (prefixLength(serviceCidr) < LARGEST_SERVICE_CIDR_PREFIX) {
    report("kubernetes.network.serviceCidr", `must be /${LARGEST_SERVICE_CIDR_PREFIX} or smaller: AKS refuses a larger service range (got ${serviceCidr})`);
  }
  if (!cidrContains(serviceCidr, dnsServiceIp)) {
    report("kubernetes.network.dnsServiceIp", `must lie inside serviceCidr ${serviceCidr} (got ${dnsServiceIp})`);
    return;
  }
  const { first, last } = cidrRange(serviceCidr);
  const address = ipToInt(dnsServiceIp);
  if (address - first <= 1) {
    report("kubernetes.network.dnsServiceIp", `must not be the network address or the first address of ${serviceCidr}, which the API server takes`);
  } else if (address === last) {
    report("kubernetes.network.dnsServiceIp", `must not be the broadcast address of ${serviceCidr}`);
  }
}

/** The VNet's subnets sit inside its address space, apart from each other and from the cluster's overlay ranges. */
function checkVirtualNetwork(env: EnvironmentConfig, report: Report): void {
  const { addressSpace, nodesSubnet, endpointsSubnet, runnersSubnet } = env.network;
  const subnets = Object.entries({ nodesSubnet, endpointsSubnet, runnersSubnet });
  subnets.forEach(([field, subnet], index) => {
    if (!cidrInside(addressSpace, subnet)) {
      report(`network.${field}`, `must lie inside network.addressSpace ${addressSpace} (got ${subnet})`);
    }
    if (prefixLength(subnet) > SMALLEST_SUBNET_PREFIX) {
      report(`network.${field}`, `must be /${SMALLEST_SUBNET_PREFIX} or larger: Azure's smallest subnet (got ${subnet})`);
    }
    for (const [otherField, other] of subnets.slice(index + 1)) {
      if (cidrsOverlap(subnet, other)) report(`network.${otherField}`, `must not overlap network.${field} (${other} and ${subnet})`);
    }
  });
  if (prefixLength(nodesSubnet) > 24) {
    report(
      "network.nodesSubnet",
      `must be /24 or larger: every node and every surge node during upgrades takes an address (got /${prefixLength(nodesSubnet)})`,
    );
  }
  const { podCidr, serviceCidr } = env.kubernetes.network;
  for (const [field, range] of [
    ["podCidr", podCidr],
    ["serviceCidr", serviceCidr],
  ] as const) {
    if (cidrsOverlap(addressSpace, range)) {
      report(`kubernetes.network.${field}`, `must not overlap network.addressSpace (${range} and ${addressSpace}): traffic to it would not leave the cluster`);
    }
  }
}

/** Nodes at full scale plus the upgrade surge, in both node pools. */
export function peakNodeCount(env: EnvironmentConfig): number {
  return [env.kubernetes.systemPool, env.kubernetes.userPool]
    .map((pool) => pool.maxCount + Math.ceil((pool.maxCount * UPGRADE_SURGE_PERCENT) / 100))
    .reduce((a, b) => a + b, 0);
}

/** The pod CIDR gives each node a /24 (overlay); the nodes subnet gives each node one address. */
function checkCapacity(env: EnvironmentConfig, report: Report): void {
  const nodes = peakNodeCount(env);
  const { podCidr } = env.kubernetes.network;
  const podPrefix = prefixLength(podCidr);
  const nodeBlocks = podPrefix > OVERLAY_NODE_PREFIX ? 0 : 2 ** (OVERLAY_NODE_PREFIX - podPrefix);
  if (nodeBlocks < nodes) {
    report(
      "kubernetes.network.podCidr",
      `${podCidr} holds ${nodeBlocks} node block(s) of /${OVERLAY_NODE_PREFIX}, but the pools reach ${nodes} nodes with upgrade surge (maxCount + ${UPGRADE_SURGE_PERCENT}%): use /${Math.max(8, OVERLAY_NODE_PREFIX - Math.ceil(Math.log2(nodes)))} or larger`,
    );
  }
  const usable = cidrSize(env.network.nodesSubnet) - ADDRESSES_AZURE_KEEPS_PER_SUBNET;
  if (usable < nodes) {
    report("network.nodesSubnet", `${env.network.nodesSubnet} has ${usable} usable addresses, but the pools reach ${nodes} nodes with upgrade surge`);
  }
}

/** VNets of different environments must not overlap: they are peered or share a hub later, and overlaps cannot be. */
export function addressSpaceOverlaps(envs: EnvironmentConfig[]): { environment: string; field: string; message: string }[] {
  const problems: { environment: string; field: string; message: string }[] = [];
  envs.forEach((env, index) => {
    for (const earlier of envs.slice(0, index)) {
      if (cidrsOverlap(env.network.addressSpace, earlier.network.addressSpace)) {
        const same = canonicalCidr(env.network.addressSpace) === canonicalCidr(earlier.network.addressSpace);
        problems.push({
          environment: env.name,
          field: "network.addressSpace",
          message: `${env.network.addressSpace} ${same ? "is the same address space as" : "overlaps"} environment ${earlier.name}'s ${earlier.network.addressSpace}: each environment needs its own range`,
        });
      }
    }
  });
  return problems;
}
