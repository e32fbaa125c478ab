import type { PrivateLinkService } from "./constructs/virtual-network";

/**
 * What the platform stack may know about an environment's network: the seam between network-<env> and infra-<env>.
 * Values are Terraform tokens when they come from a NetworkStack (read from its state); an existing VNet could be
 * handed over through this interface instead.
 */
export interface NetworkOutputs {
  resourceGroupName: string;
  virtualNetworkId: string;
  /** Subnet of every node pool. */
  nodesSubnetId: string;
  /** Private mode: the subnet private endpoints go to and the DNS zone each service registers in; null in public mode. */
  privateLinks: { endpointsSubnetId: string; dnsZoneIds: Record<PrivateLinkService, string> } | null;
  /** Private mode: where the pipeline's runners for this environment run (docs/ci.md); null in public mode. */
  runnersSubnetId: string | null;
}
