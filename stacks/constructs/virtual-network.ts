import { NatGateway } from "@cdktf/provider-azurerm/lib/nat-gateway";
import { NatGatewayPublicIpAssociation } from "@cdktf/provider-azurerm/lib/nat-gateway-public-ip-association";
import { NetworkSecurityGroup } from "@cdktf/provider-azurerm/lib/network-security-group";
import { PrivateDnsZone } from "@cdktf/provider-azurerm/lib/private-dns-zone";
import { PrivateDnsZoneVirtualNetworkLink } from "@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link";
import { PublicIp } from "@cdktf/provider-azurerm/lib/public-ip";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet";
import { SubnetNatGatewayAssociation } from "@cdktf/provider-azurerm/lib/subnet-nat-gateway-association";
import { SubnetNetworkSecurityGroupAssociation } from "@cdktf/provider-azurerm/lib/subnet-network-security-group-association";
import { VirtualNetwork } from "@cdktf/provider-azurerm/lib/virtual-network";
import { Construct } from "constructs";
import type { EnvironmentConfig } from "../../config";

export interface EnvironmentNetworkProps {
  name: string;
  resourceGroupName: string;
  location: string;
  network: EnvironmentConfig["network"];
  /** Public mode: the nodes subnet reaches the Key Vault through a service endpoint (only when there is one). */
  keyVault: boolean;
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
 * The environment's virtual network. Both modes: a subnet for AKS nodes behind its own NSG, without Azure's default
 * outbound access (nodes leave through the cluster's load balancer).
 * Private mode adds a subnet for private endpoints and one for the pipeline's runners (each behind its own NSG, runners
 * leaving through a NAT gateway), and a private DNS zone per private-link service linked to the VNet, so that nodes and
 * runners resolve the registry, storage and Key Vault to their private addresses.
 * Public mode adds service endpoints on the nodes subnet instead, so storage and Key Vault can allow the nodes by subnet.
 */
export class EnvironmentNetwork extends Construct {
  readonly virtualNetwork: VirtualNetwork;
  readonly nodesSubnet: Subnet;
  /** Private mode only. */
  readonly endpointsSubnet?: Subnet;
  readonly runnersSubnet?: Subnet;
  readonly zones?: Record<PrivateLinkService, PrivateDnsZone>;
  private readonly props: EnvironmentNetworkProps;

  constructor(scope: Construct, id: string, props: EnvironmentNetworkProps) {
    super(scope, id);
    this.props = props;
    const n = props.network;
    const common = { resourceGroupName: props.resourceGroupName, location: props.location };

    this.virtualNetwork = new VirtualNetwork(this, "virtual-network", { ...common, name: props.name, addressSpace: [n.addressSpace] });

    if (n.access === "public") {
      this.nodesSubnet = this.subnet("nodes", n.nodesSubnet, {
        serviceEndpoints: props.keyVault ? ["Microsoft.KeyVault", "Microsoft.Storage"] : ["Microsoft.Storage"],
      });
      return;
    }

    this.nodesSubnet = this.subnet("nodes", n.nodesSubnet);
    // Network policies on: the endpoints' NSG applies to the private endpoints in it.
    this.endpointsSubnet = this.subnet("endpoints", n.endpointsSubnet, { privateEndpointNetworkPolicies: "Enabled" });
    this.runnersSubnet = this.subnet("runners", n.runnersSubnet, {
      delegation:
        n.runnerSubnetDelegation === "github"
          ? [
              {
                name: "github-runners",
                serviceDelegation: { name: GITHUB_NETWORK_SETTINGS, actions: ["Microsoft.Network/virtualNetworks/subnets/join/action"] },
              },
            ]
          : undefined,
    });
    this.giveRunnersEgress(this.runnersSubnet, common);

    const services = Object.keys(PRIVATE_DNS_ZONES) as PrivateLinkService[];
    this.zones = Object.fromEntries(services.map((service) => [service, this.linkedZone(service)])) as Record<PrivateLinkService, PrivateDnsZone>;
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
  private giveRunnersEgress(runners: Subnet, common: { resourceGroupName: string; location: string }): void {
    const address = new PublicIp(this, "runners-egress-ip", {
      ...common,
      name: `pip-${this.props.name}-runners`,
      sku: "Standard",
      allocationMethod: "Static",
    });
    const gateway = new NatGateway(this, "runners-nat", { ...common, name: `ng-${this.props.name}-runners`, skuName: "Standard" });
    new NatGatewayPublicIpAssociation(this, "runners-nat-ip-link", { natGatewayId: gateway.id, publicIpAddressId: address.id });
    new SubnetNatGatewayAssociation(this, "runners-nat-link", { subnetId: runners.id, natGatewayId: gateway.id });
  }
}
