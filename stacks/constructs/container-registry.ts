import { ContainerRegistry } from "@cdktf/provider-azurerm/lib/container-registry";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { Construct } from "constructs";
import type { EnvironmentConfig } from "../../config";
import type { ServiceAccess } from "./service-access";

export interface ContainerRegistryProps {
  name: string;
  resourceGroupName: string;
  location: string;
  registry: EnvironmentConfig["registry"];
  /** Identities that may pull (the cluster's kubelet identity). */
  pullerObjectIds: Record<string, string>;
  /** Private endpoint, or public endpoint limited to the authorized ranges. */
  access: ServiceAccess;
  /** Public mode: the cluster's outbound address (x.x.x.x/32), so nodes can pull. */
  clusterEgressRange?: string;
}

/**
 * Premium ACR without admin user or anonymous pull; nodes pull through AcrPull on their kubelet identity, the pipeline
 * pushes as the AcrPush principal. Private mode: reachable only through its private endpoint (which also carries the
 * per-region data endpoints), pushes come from runners inside the VNet. Public mode: its public endpoint denies every
 * address except the authorized ranges and the cluster's outbound address (network rules are Premium-only).
 */
export class MlflowContainerRegistry extends Construct {
  readonly registry: ContainerRegistry;

  constructor(scope: Construct, id: string, props: ContainerRegistryProps) {
    super(scope, id);
    const r = props.registry;
    const access = props.access;
    const allowed = access.kind === "public" ? [...access.authorizedIpRanges, ...(props.clusterEgressRange ? [props.clusterEgressRange] : [])] : [];
    this.registry = new ContainerRegistry(this, "registry", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      sku: r.sku,
      adminEnabled: false,
      anonymousPullEnabled: false,
      publicNetworkAccessEnabled: access.kind === "public",
      networkRuleSet: access.kind === "public" ? [{ defaultAction: "Deny", ipRule: allowed.map((ipRange) => ({ action: "Allow", ipRange })) }] : undefined,
      networkRuleBypassOption: "AzureServices",
      // Private mode: images leave only by pull, no `az acr import` out of it (Azure allows this only with public access off).
      exportPolicyEnabled: access.kind === "public",
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
        r.geoReplicationLocations.length > 0 ? r.geoReplicationLocations.map((location) => ({ location, zoneRedundancyEnabled: r.zoneRedundancy })) : undefined,
    });
    if (access.kind === "private") {
      access.links.endpoint("registry-endpoint", { name: `pe-${props.name}`, resourceId: this.registry.id, service: "registry", subresource: "registry" });
    }

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
