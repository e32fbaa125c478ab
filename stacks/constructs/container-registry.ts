import { ContainerRegistry } from "@cdktf/provider-azurerm/lib/container-registry";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { Construct } from "constructs";
import type { EnvironmentConfig } from "../../config";
import type { PlatformNetwork } from "./platform-network";

export interface ContainerRegistryProps {
  name: string;
  resourceGroupName: string;
  location: string;
  registry: EnvironmentConfig["registry"];
  /** Identities that may pull (the cluster's kubelet identity). */
  pullerObjectIds: Record<string, string>;
  /** The registry's private endpoint goes here; it has no public network access. */
  network: PlatformNetwork;
}

/**
 * Premium ACR reachable only through its private endpoint (which also carries the per-region data endpoints), without
 * admin user or anonymous pull; nodes pull through AcrPull on their kubelet identity, the pipeline pushes as the AcrPush
 * principal from runners inside the VNet.
 */
export class MlflowContainerRegistry extends Construct {
  readonly registry: ContainerRegistry;

  constructor(scope: Construct, id: string, props: ContainerRegistryProps) {
    super(scope, id);
    const r = props.registry;
    this.registry = new ContainerRegistry(this, "registry", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      sku: "Premium",
      adminEnabled: false,
      anonymousPullEnabled: false,
      publicNetworkAccessEnabled: false,
      networkRuleBypassOption: "AzureServices",
      zoneRedundancyEnabled: r.zoneRedundancy,
      retentionPolicyInDays: r.untaggedRetentionDays ?? undefined,
      // Nothing scans and releases quarantined images, so quarantine would block every pull (docs/security.md).
      quarantinePolicyEnabled: false,
      // Docker Content Trust is deprecated by Azure (removed 2028-03-31); images are deployed by digest.
      trustPolicyEnabled: false,
      // Pulls go through a registry-specific data endpoint, so firewalls can allow exactly this registry.
      dataEndpointEnabled: true,
      // Left out, not empty, without replicas: scanners read an empty list as a replica set.
      georeplications:
        r.geoReplicationLocations.length > 0
          ? r.geoReplicationLocations.map((location) => ({ location, zoneRedundancyEnabled: r.zoneRedundancy }))
          : undefined,
    });
    props.network.privateEndpoint("registry-endpoint", {
      name: `pe-${props.name}`,
      resourceId: this.registry.id,
      service: "registry",
      subresource: "registry",
    });

    for (const [key, objectId] of Object.entries(props.pullerObjectIds)) {
      new RoleAssignment(this, `acr-pull-${key}`, {
        scope: this.registry.id,
        roleDefinitionName: "AcrPull",
        principalId: objectId,
        skipServicePrincipalAadCheck: true,
      });
    }
  }
}
