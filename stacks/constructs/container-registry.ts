import { ContainerRegistry } from "@cdktf/provider-azurerm/lib/container-registry";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { Construct } from "constructs";
import type { EnvironmentConfig } from "../../config";

export interface ContainerRegistryProps {
  name: string;
  resourceGroupName: string;
  location: string;
  registry: EnvironmentConfig["registry"];
  /** Identities that may pull (the cluster's kubelet identity). */
  pullerObjectIds: Record<string, string>;
}

/** ACR without admin user or anonymous pull; nodes pull through AcrPull on their kubelet identity. */
export class MlflowContainerRegistry extends Construct {
  readonly registry: ContainerRegistry;

  constructor(scope: Construct, id: string, props: ContainerRegistryProps) {
    super(scope, id);
    const premium = props.registry.sku === "Premium";

    this.registry = new ContainerRegistry(this, "registry", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      sku: props.registry.sku,
      adminEnabled: false,
      anonymousPullEnabled: false,
      // Premium-only features are left unset on smaller SKUs, where Azure rejects them.
      zoneRedundancyEnabled: premium ? props.registry.zoneRedundancy : undefined,
      retentionPolicyInDays: premium ? (props.registry.untaggedRetentionDays ?? undefined) : undefined,
      quarantinePolicyEnabled: premium ? false : undefined,
      // Pulls go through a registry-specific data endpoint, so firewalls can allow exactly this registry.
      dataEndpointEnabled: premium ? true : undefined,
      trustPolicyEnabled: premium ? true : undefined,
      georeplications: premium
        ? props.registry.geoReplicationLocations.map((location) => ({ location, zoneRedundancyEnabled: props.registry.zoneRedundancy }))
        : undefined,
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
