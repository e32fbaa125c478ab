import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { Environment, StateBackendSettings } from "../config";
import { configureStateBackend } from "./constructs/state-backend";
import { TagAspect } from "./constructs/tagging";
import { EnvironmentNetwork, type PrivateLinkService } from "./constructs/virtual-network";
import type { NetworkOutputs } from "./network-outputs";

export interface NetworkStackProps {
  environment: Environment;
  stateBackend: StateBackendSettings;
}

/**
 * network-<env>: the environment's virtual network in its own resource group, deployed first and from a workstation
 * (docs/networking.md). In private mode it holds the runners' subnet, so the stacks deployed from those runners never
 * have to create the network they run in.
 */
export class NetworkStack extends TerraformStack {
  readonly outputs: NetworkOutputs;

  constructor(scope: Construct, props: NetworkStackProps) {
    const { config, names } = props.environment;
    super(scope, names.networkStack);
    configureStateBackend(this, names.networkStack, props.stateBackend);
    TagAspect.applyTo(this, config.tags);

    // Subscription and credentials come from ARM_* variables (or the Azure CLI), never from code.
    new AzurermProvider(this, "azurerm", { features: [{}] });
    const group = new ResourceGroup(this, "resource-group", { name: names.networkResourceGroup, location: config.location });
    const network = new EnvironmentNetwork(this, "network", {
      resourceGroupName: group.name,
      location: group.location,
      name: names.virtualNetwork,
      network: config.network,
      keyVault: config.encryption.customerManagedKey,
    });

    const { endpointsSubnet, zones, runnersSubnet } = network;
    this.outputs = {
      resourceGroupName: group.name,
      virtualNetworkId: network.virtualNetwork.id,
      nodesSubnetId: network.nodesSubnet.id,
      privateLinks:
        endpointsSubnet && zones
          ? {
              endpointsSubnetId: endpointsSubnet.id,
              dnsZoneIds: Object.fromEntries(Object.entries(zones).map(([service, zone]) => [service, zone.id])) as Record<PrivateLinkService, string>,
            }
          : null,
      runnersSubnetId: runnersSubnet?.id ?? null,
    };
    new TerraformOutput(this, "virtual_network_id", { value: this.outputs.virtualNetworkId });
    new TerraformOutput(this, "nodes_subnet_id", { value: this.outputs.nodesSubnetId });
    if (this.outputs.runnersSubnetId) new TerraformOutput(this, "runner_subnet_id", { value: this.outputs.runnersSubnetId });
  }
}
