import { NatGateway } from "@cdktf/provider-azurerm/lib/nat-gateway";
import { NatGatewayPublicIpAssociation } from "@cdktf/provider-azurerm/lib/nat-gateway-public-ip-association";
import { NetworkSecurityGroup } from "@cdktf/provider-azurerm/lib/network-security-group";
import { PrivateDnsZone } from "@cdktf/provider-azurerm/lib/private-dns-zone";
import { PrivateDnsZoneVirtualNetworkLink } from "@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link";
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import { PublicIp } from "@cdktf/provider-azurerm/lib/public-ip";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet";
import { SubnetNatGatewayAssociation } from "@cdktf/provider-azurerm/lib/subnet-nat-gateway-association";
import { SubnetNetworkSecurityGroupAssociation } from "@cdktf/provider-azurerm/lib/subnet-network-security-group-association";
import { VirtualNetwork } from "@cdktf/provider-azurerm/lib/virtual-network";
import { Construct } from "constructs";
import type { EnvironmentConfig } from "../../config";

export interface PlatformNetworkProps {
  name: string;
  resourceGroupName: string;
  location: string;
  network: EnvironmentConfig["network"];
}

/** Private DNS zone of each private-link service the platform uses. */
export const PRIVATE_DNS_ZONES = {
  blob: "privatelink.blob.core.windows.net",
  file: "privatelink.file.core.windows.net",
  registry: "privatelink.azurecr.io",
  vault: "privatelink.vaultcore.azure.net",
} as const;
export type PrivateLinkService = keyof typeof PRIVATE_DNS_ZONES;

const GITHUB_NETWORK_SETTINGS = "GitHub.Network/networkSettings";

/**
 * The environment's virtual network: a subnet for AKS nodes, one for private endpoints and one for the pipeline's
 * runners, each behind its own NSG; a private DNS zone per private-link service, linked to the VNet so that nodes
 * and runners resolve the registry, storage and Key Vault to their private addresses. No subnet has Azure's default
 * outbound access: nodes leave through the cluster's load balancer, runners through a NAT gateway.
 * Construct ids starting with "runners-" are what scripts/bootstrap-runner-network.sh applies first.
 */
export class PlatformNetwork extends Construct {
  readonly virtualNetwork: VirtualNetwork;
  readonly nodesSubnet: Subnet;
  readonly endpointsSubnet: Subnet;
  readonly runnersSubnet: Subnet;
  private readonly zones: Record<PrivateLinkService, PrivateDnsZone>;
  private readonly props: PlatformNetworkProps;

  constructor(scope: Construct, id: string, props: PlatformNetworkProps) {
    super(scope, id);
    this.props = props;
    const n = props.network;
    const common = { resourceGroupName: props.resourceGroupName, location: props.location };

    this.virtualNetwork = new VirtualNetwork(this, "virtual-network", { ...common, name: props.name, addressSpace: [n.addressSpace] });

    this.nodesSubnet = this.subnet("nodes", n.nodesSubnet);
    // Network policies on: the endpoints' NSG applies to the private endpoints in it.
    this.endpointsSubnet = this.subnet("endpoints", n.endpointsSubnet, { privateEndpointNetworkPolicies: "Enabled" });
    this.runnersSubnet = this.subnet("runners", n.runnersSubnet, {
      delegation:
        n.runnerSubnetDelegation === "github"
          ? [{ name: "github-runners", serviceDelegation: { name: GITHUB_NETWORK_SETTINGS, actions: ["Microsoft.Network/virtualNetworks/subnets/join/action"] } }]
          : undefined,
    });
    this.giveRunnersEgress(common);

    const services = Object.keys(PRIVATE_DNS_ZONES) as PrivateLinkService[];
    this.zones = Object.fromEntries(services.map((service) => [service, this.linkedZone(service)])) as Record<PrivateLinkService, PrivateDnsZone>;
  }

  /** A private endpoint for one sub-resource of `resourceId` in the endpoints subnet, registered in its DNS zone. */
  privateEndpoint(id: string, props: { name: string; resourceId: string; service: PrivateLinkService; subresource: string }): PrivateEndpoint {
    const zone = this.zones[props.service];
    return new PrivateEndpoint(this, id, {
      name: props.name,
      resourceGroupName: this.props.resourceGroupName,
      location: this.props.location,
      subnetId: this.endpointsSubnet.id,
      customNetworkInterfaceName: `${props.name}-nic`,
      privateServiceConnection: {
        name: props.name,
        privateConnectionResourceId: props.resourceId,
        subresourceNames: [props.subresource],
        isManualConnection: false,
      },
      privateDnsZoneGroup: { name: "default", privateDnsZoneIds: [zone.id] },
    });
  }

  /** The service's private DNS zone, linked to the VNet so that everything in it resolves the private addresses. */
  private linkedZone(service: PrivateLinkService): PrivateDnsZone {
    const zone = new PrivateDnsZone(this, `${service}-dns-zone`, { name: PRIVATE_DNS_ZONES[service], resourceGroupName: this.props.resourceGroupName });
    new PrivateDnsZoneVirtualNetworkLink(this, `${service}-dns-link`, {
      name: this.props.name,
      resourceGroupName: this.props.resourceGroupName,
      privateDnsZoneName: zone.name,
      virtualNetworkId: this.virtualNetwork.id,
      registrationEnabled: false,
    });
    return zone;
  }

  private subnet(role: string, prefix: string, extra: Partial<ConstructorParameters<typeof Subnet>[2]> = {}): Subnet {
    const subnet = new Subnet(this, `${role}-subnet`, {
      name: role,
      resourceGroupName: this.props.resourceGroupName,
      virtualNetworkName: this.virtualNetwork.name,
      addressPrefixes: [prefix],
      defaultOutboundAccessEnabled: false,
      ...extra,
    });
    // Azure's default rules: traffic within the VNet and from its load balancer in, everything else in denied.
    const nsg = new NetworkSecurityGroup(this, `${role}-nsg`, {
      name: `nsg-${this.props.name}-${role}`,
      resourceGroupName: this.props.resourceGroupName,
      location: this.props.location,
    });
    new SubnetNetworkSecurityGroupAssociation(this, `${role}-nsg-link`, { subnetId: subnet.id, networkSecurityGroupId: nsg.id });
    return subnet;
  }

  /** Runners reach GitHub and Azure's public APIs through one static address. */
  private giveRunnersEgress(common: { resourceGroupName: string; location: string }): void {
    const address = new PublicIp(this, "runners-egress-ip", {
      ...common,
      name: `pip-${this.props.name}-runners`,
      sku: "Standard",
      allocationMethod: "Static",
    });
    const gateway = new NatGateway(this, "runners-nat", { ...common, name: `ng-${this.props.name}-runners`, skuName: "Standard" });
    new NatGatewayPublicIpAssociation(this, "runners-nat-ip-link", { natGatewayId: gateway.id, publicIpAddressId: address.id });
    new SubnetNatGatewayAssociation(this, "runners-nat-link", { subnetId: this.runnersSubnet.id, natGatewayId: gateway.id });
  }
}
