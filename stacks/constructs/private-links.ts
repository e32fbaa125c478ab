import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import { Construct } from "constructs";
import type { NetworkOutputs } from "../network-outputs";
import type { PrivateLinkService } from "./virtual-network";

export interface PrivateLinksProps {
  resourceGroupName: string;
  location: string;
  /** The network stack's endpoints subnet and private DNS zones. */
  links: NonNullable<NetworkOutputs["privateLinks"]>;
}

/** Private mode: private endpoints of the platform's services in the network stack's endpoints subnet. */
export class PrivateLinks extends Construct {
  constructor(
    scope: Construct,
    id: string,
    private readonly props: PrivateLinksProps,
  ) {
    super(scope, id);
  }

  /** A private endpoint for one sub-resource of `resourceId`, registered in its service's private DNS zone. */
  endpoint(id: string, props: { name: string; resourceId: string; service: PrivateLinkService; subresource: string }): PrivateEndpoint {
    return new PrivateEndpoint(this, id, {
      name: props.name,
      resourceGroupName: this.props.resourceGroupName,
      location: this.props.location,
      subnetId: this.props.links.endpointsSubnetId,
      customNetworkInterfaceName: `${props.name}-nic`,
      privateServiceConnection: {
        name: props.name,
        privateConnectionResourceId: props.resourceId,
        subresourceNames: [props.subresource],
        isManualConnection: false,
      },
      privateDnsZoneGroup: { name: "default", privateDnsZoneIds: [this.props.links.dnsZoneIds[props.service]] },
    });
  }
}
